import { useState } from 'react';
import { describeError } from '../api/api.client';
import { ConfirmButton } from '../admin/confirm.button';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { useNotify } from '../layout/notices.context';
import { useSignedIn } from '../session/session.context';
import { ago, labelsText, when } from './devices.format';
import { useCreateEnrolmentToken, useDevices, useGroups, useUnenrol } from './devices.queries';
import type { Device, DeviceGroup } from './devices.types';

/** Every enrolled device: online or not (live), last seen, facts, labels and groups. */
export function DeviceListView() {
  const { role } = useSignedIn();
  const devices = useDevices();
  const groups = useGroups();
  if (devices.isPending) return <Loading what="devices" />;
  if (devices.isError) return <ErrorState error={devices.error} retry={() => void devices.refetch()} />;
  const groupName = new Map((groups.data ?? []).map((group) => [group.id, group.name]));
  const online = devices.data.filter((device) => device.online).length;
  return (
    <div className="stack">
      {role === 'admin' && <EnrolPanel groups={groups.data ?? []} />}
      <p className="muted">
        {devices.data.length} enrolled, {online} online
      </p>
      {devices.data.length === 0 ? (
        <Empty>No device is enrolled yet.</Empty>
      ) : (
        <ul className="device-list" aria-label="Devices">
          {devices.data.map((device) => (
            <DeviceCard key={device.id} device={device} groupNames={device.groupIds.map((id) => groupName.get(id) ?? id)} admin={role === 'admin'} />
          ))}
        </ul>
      )}
    </div>
  );
}

function DeviceCard({ device, groupNames, admin }: { device: Device; groupNames: string[]; admin: boolean }) {
  const unenrol = useUnenrol();
  const notify = useNotify();
  return (
    <li className="card device" aria-label={device.name}>
      <div className="row">
        <span className={`presence ${device.online ? 'online' : 'offline'}`}>{device.online ? 'Online' : 'Offline'}</span>
        <h2 className="break">{device.name}</h2>
      </div>
      <dl className="facts">
        <dt>Last seen</dt>
        <dd title={when(device.lastSeenAt)}>{ago(device.lastSeenAt)}</dd>
        <dt>System</dt>
        <dd>
          {device.facts.os} · {device.facts.arch}
        </dd>
        <dt>Kernel</dt>
        <dd className="break">{device.facts.kernel}</dd>
        <dt>Host</dt>
        <dd className="break">{device.facts.hostname}</dd>
        <dt>Agent</dt>
        <dd>{device.facts.agentVersion}</dd>
        <dt>Groups</dt>
        <dd>{groupNames.length ? groupNames.join(', ') : '—'}</dd>
        {Object.keys(device.labels).length > 0 && (
          <>
            <dt>Labels</dt>
            <dd className="break">{labelsText(device.labels)}</dd>
          </>
        )}
      </dl>
      {admin && (
        <div className="actions">
          <ConfirmButton
            label="Unenrol"
            question={`Unenrol ${device.name}? It is cut off at once and its waiting runs are cancelled.`}
            confirmLabel="Unenrol"
            busy={unenrol.isPending}
            onConfirm={() =>
              unenrol.mutate(device.id, {
                onSuccess: () => notify(`${device.name} is unenrolled.`, 'success'),
                onError: (error) => notify(describeError(error), 'error'),
              })
            }
          />
        </div>
      )}
    </li>
  );
}

/** An admin makes a single-use enrolment token and sees the one command that enrols a machine. */
function EnrolPanel({ groups }: { groups: DeviceGroup[] }) {
  const create = useCreateEnrolmentToken();
  const [open, setOpen] = useState(false);
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [created, setCreated] = useState<{ token: string; expiresAt: string } | null>(null);
  if (created) {
    const command = `curl -fsSL ${window.location.origin}/api/devices/agent-files/install.sh | sudo sh -s -- --server ${window.location.origin} --token ${created.token}`;
    return (
      <section className="card stack" aria-label="Enrol a device">
        <h2>Enrol a device</h2>
        <p>Run this on the Linux machine (as root). The token works once, until {when(created.expiresAt)}, and is not shown again.</p>
        <pre className="break" aria-label="Enrolment command">
          {command}
        </pre>
        <button type="button" className="button" onClick={() => setCreated(null)}>
          Done
        </button>
      </section>
    );
  }
  if (!open)
    return (
      <button type="button" className="button primary" onClick={() => setOpen(true)}>
        Enrol a device
      </button>
    );
  return (
    <form
      className="card stack"
      aria-label="Enrol a device"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({ name: 'from the devices page', groupIds }, { onSuccess: (token) => setCreated(token) });
      }}
    >
      <h2>Enrol a device</h2>
      {groups.length > 0 && (
        <fieldset>
          <legend>Put it in these groups</legend>
          {groups.map((group) => (
            <label key={group.id} className="check">
              <input
                type="checkbox"
                checked={groupIds.includes(group.id)}
                onChange={(event) =>
                  setGroupIds((ids) => (event.target.checked ? [...ids, group.id] : ids.filter((id) => id !== group.id)))
                }
              />
              {group.name}
            </label>
          ))}
        </fieldset>
      )}
      {create.isError && <p className="error">{describeError(create.error)}</p>}
      <div className="row">
        <button type="submit" className="button primary" disabled={create.isPending}>
          Make an enrolment command
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
