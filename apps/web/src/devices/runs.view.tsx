import { RunList } from './run-list.view';

/** The run history of every job on every device, newest first. */
export function RunsView() {
  return <RunList filter={{ limit: 100 }} />;
}
