import type { Device, DeviceGroup } from './devices.types';

/** A device or a group, as "device:<id>" or "group:<id>". */
export function TargetSelect({
  devices,
  groups,
  value,
  onChange,
}: {
  devices: Device[];
  groups: DeviceGroup[];
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      On
      <select value={value} onChange={(event) => onChange(event.target.value)} required>
        <option value="">Choose a device or a group</option>
        {groups.length > 0 && (
          <optgroup label="Groups">
            {groups.map((group) => (
              <option key={group.id} value={`group:${group.id}`}>
                {group.name} ({group.members.length} devices)
              </option>
            ))}
          </optgroup>
        )}
        <optgroup label="Devices">
          {devices.map((device) => (
            <option key={device.id} value={`device:${device.id}`}>
              {device.name} ({device.online ? 'online' : 'offline'})
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}
