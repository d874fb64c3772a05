import { startRunNats } from './test-nats';
import { prepareTemplateDatabase } from './test-database';

// Runs once before the int and e2e projects: every test file clones this migrated template and
// talks to this run's own nats-server (operator mode, on a free port; see test-nats.ts).
export default async function globalSetup(): Promise<void> {
  await Promise.all([prepareTemplateDatabase(), startRunNats()]);
}
