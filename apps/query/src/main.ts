import 'reflect-metadata';
import { loadServiceConfig } from '@taskinbox/config';
import { createLogger, startService } from '@taskinbox/http';
import { QueryAppModule } from './query-app.module';

// Migrations are run by the deployment's migrate job (npm run migrate), not by each replica.
async function main(): Promise<void> {
  const config = loadServiceConfig('query');
  const logger = createLogger(config.logLevel);
  await startService(QueryAppModule.forRoot(config), config, logger, { webAppDir: config.webAppDir });
  logger.info({ port: config.http.port }, 'query listening');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
