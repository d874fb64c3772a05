import 'reflect-metadata';
import { loadServiceConfig } from '@taskinbox/config';
import { createLogger, startService } from '@taskinbox/http';
import { IngestAppModule } from './ingest-app.module';

// Migrations are run by the deployment's migrate job (npm run migrate), not by each replica.
async function main(): Promise<void> {
  const config = loadServiceConfig('ingest');
  const logger = createLogger(config.logLevel);
  await startService(IngestAppModule.forRoot(config), config, logger, { natsQueue: 'ingest' });
  logger.info({ port: config.http.port }, 'ingest listening');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
