import 'reflect-metadata';
import { loadConfig } from '@taskinbox/config';
import { createLogger, startService } from '@taskinbox/http';
import { startTracing, tracingConfig } from '@taskinbox/telemetry';
import { WebhooksAppModule } from './webhooks-app.module';

// Migrations are run by the deployment's migrate job (npm run migrate), not by each replica.
async function main(): Promise<void> {
  const config = loadConfig();
  // Before Nest boots; flushed when the app closes (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
  const tracing = startTracing(tracingConfig(process.env, 'taskinbox-webhooks'));
  const logger = createLogger(config.logLevel);
  await startService(WebhooksAppModule.forRoot(config), config, logger, { tracing });
  logger.info({ host: config.http.host, port: config.http.port }, 'webhooks started');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
