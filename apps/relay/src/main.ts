import 'reflect-metadata';
import { loadServiceConfig } from '@taskinbox/config';
import { createLogger, startService } from '@taskinbox/http';
import { RelayAppModule } from './relay-app.module';

// HTTP only for /health/live and /health/ready (HTTP_PORT): the relay reads the event store and
// publishes. Migrations are run by the deployment's migrate job (npm run migrate), not by each replica.
async function main(): Promise<void> {
  // It signs no tokens and keeps no secrets: neither JWT_SECRET nor WEBHOOK_SECRET_KEY.
  const config = loadServiceConfig('relay');
  const logger = createLogger(config.logLevel);
  // SIGTERM/SIGINT close the app: the batch in flight is published and checkpointed first.
  await startService(RelayAppModule.forRoot(config), config, logger);
  logger.info({ port: config.http.port }, 'relay started');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
