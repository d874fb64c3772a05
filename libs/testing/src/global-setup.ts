import { prepareTemplateDatabase } from './test-database';

// Runs once before the int and e2e projects: every test file clones this migrated template.
export default async function globalSetup(): Promise<void> {
  await prepareTemplateDatabase();
}
