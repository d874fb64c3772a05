import 'reflect-metadata';
import { loadServiceConfig } from '@taskinbox/config';
import { createLogger, startService } from '@taskinbox/http';
import { ProjectorAppModule } from './projector-app.module';

// HTTP only for /health/live and /health/ready (HTTP_PORT). Migrations are run by the
// deployment's migrate job (npm run migrate), not by each replica.
async function main(): Promise<void> {
  // It signs no tokens and keeps no secrets: neither JWT_SECRET nor WEBHOOK_SECRET_KEY.
  const config = loadServiceConfig('projector');
  const logger = createLogger(config.logLevel);
  // SIGTERM/SIGINT close the app: the batch in flight commits, then the lock is released.
  await startService(ProjectorAppModule.forRoot(config), config, logger);
  logger.info({ port: config.http.port }, 'projector started');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
