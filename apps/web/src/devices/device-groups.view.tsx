import { useState } from 'react';
import { describeError } from '../api/api.client';
import { ConfirmButton } from '../admin/confirm.button';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { useSignedIn } from '../session/session.context';
import { labelsText, parseLabels } from './devices.format';
import { useDeleteGroup, useDevices, useGroups, useSaveGroup } from './devices.queries';
import type { Device } from './devices.types';

/** Device groups: static members and label selectors, with who belongs now. */
export function DeviceGroupsView() {
  const { role } = useSignedIn();
  const groups = useGroups();
  const devices = useDevices();
  const remove = useDeleteGroup();
  if (groups.isPending || devices.isPending) return <Loading what="device groups" />;
  if (groups.isError) return <ErrorState error={groups.error} retry={() => void groups.refetch()} />;
  if (devices.isError) return <ErrorState error={devices.error} retry={() => void devices.refetch()} />;
  const byId = new Map(devices.data.map((device) => [device.id, device]));
  return (
    <div className="stack">
      {role === 'admin' && <GroupForm devices={devices.data} />}
      {groups.data.length === 0 ? (
        <Empty>No device group yet.</Empty>
      ) : (
        <ul className="device-list" aria-label="Device groups">
          {groups.data.map((group) => (
            <li key={group.id} className="card" aria-label={group.name}>
              <h2 className="break">{group.name}</h2>
              <dl className="facts">
                <dt>Members</dt>
                <dd>
                  {group.members.length === 0
                    ? 'none'
                    : group.members.map((id) => {
                        const device = byId.get(id);
                        return (
                          <span key={id} className="member">
                            <span className={`dot ${device?.online ? 'online' : 'offline'}`} aria-hidden />
                            {device?.name ?? id}
                            {device && <span className="visually-hidden">{device.online ? ' (online)' : ' (offline)'}</span>}
                          </span>
                        );
                      })}
                </dd>
                <dt>Selector</dt>
                <dd className="break">{Object.keys(group.selector).length ? labelsText(group.selector) : 'none (static members only)'}</dd>
              </dl>
              {role === 'admin' && (
                <div className="actions">
                  <ConfirmButton
                    label="Delete group"
                    question={`Delete ${group.name}? Its schedules stop reaching its devices.`}
                    confirmLabel="Delete"
                    busy={remove.isPending}
                    onConfirm={() => remove.mutate(group.id)}
                  />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function GroupForm({ devices }: { devices: Device[] }) {
  const save = useSaveGroup();
  const [name, setName] = useState('');
  const [selector, setSelector] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const parsed = parseLabels(selector);
  const problem = 'problem' in parsed ? `Selector: ${String(parsed.problem)}` : null;
  return (
    <form
      className="card stack"
      aria-label="New device group"
      onSubmit={(event) => {
        event.preventDefault();
        if ('problem' in parsed) return;
        save.mutate(
          { name, deviceIds: members, selector: parsed as Record<string, string> },
          {
            onSuccess: () => {
              setName('');
              setSelector('');
              setMembers([]);
            },
          },
        );
      }}
    >
      <h2>New device group</h2>
      <label>
        Name
        <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} />
      </label>
      <label>
        Label selector
        <input value={selector} onChange={(event) => setSelector(event.target.value)} placeholder="role=web, env=prod" />
      </label>
      {devices.length > 0 && (
        <fieldset>
          <legend>Static members</legend>
          {devices.map((device) => (
            <label key={device.id} className="check">
              <input
                type="checkbox"
                checked={members.includes(device.id)}
                onChange={(event) =>
                  setMembers((ids) => (event.target.checked ? [...ids, device.id] : ids.filter((id) => id !== device.id)))
                }
              />
              {device.name}
            </label>
          ))}
        </fieldset>
      )}
      {problem && <p className="error">{problem}</p>}
      {save.isError && <p className="error">{describeError(save.error)}</p>}
      <div>
        <button type="submit" className="button primary" disabled={save.isPending || problem !== null}>
          Create group
        </button>
      </div>
    </form>
  );
}
