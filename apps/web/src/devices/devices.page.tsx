import { NavLink, Route, Routes } from 'react-router';
import { DeviceGroupsView } from './device-groups.view';
import { DeviceListView } from './device-list.view';
import { useDevicesLive } from './devices.queries';
import { JobPage } from './job.page';
import { JobsView } from './jobs.view';
import { RunPage } from './run.page';
import { RunsView } from './runs.view';
import './devices.css';

const liveText = { live: 'Live', connecting: 'Connecting…', offline: 'Offline: retrying' } as const;

/** Enrolled devices, their groups, the jobs they run and the runs' history, kept live. */
export function DevicesPage() {
  const live = useDevicesLive();
  return (
    <section className="devices">
      <div className="row">
        <h1>Devices</h1>
        <span className="spacer" />
        <span className={`live-state ${live}`} role="status">
          {liveText[live]}
        </span>
      </div>
      <nav aria-label="Devices sections" className="tabs devices-tabs">
        <NavLink to="/devices" end className="button small">
          Devices
        </NavLink>
        <NavLink to="/devices/groups" className="button small">
          Groups
        </NavLink>
        <NavLink to="/devices/jobs" className="button small">
          Jobs
        </NavLink>
        <NavLink to="/devices/runs" className="button small">
          Runs
        </NavLink>
      </nav>
      <Routes>
        <Route index element={<DeviceListView />} />
        <Route path="groups" element={<DeviceGroupsView />} />
        <Route path="jobs" element={<JobsView />} />
        <Route path="jobs/:id" element={<JobPage />} />
        <Route path="runs" element={<RunsView />} />
        <Route path="runs/:id" element={<RunPage />} />
        <Route path="*" element={<p>This devices page does not exist.</p>} />
      </Routes>
    </section>
  );
}
