import 'reflect-metadata';
import { loadConfig } from '@taskinbox/config';
import { createLogger, startService } from '@taskinbox/http';
import { startTracing, tracingConfig } from '@taskinbox/telemetry';
import { QueryAppModule } from './query-app.module';

// Migrations are run by the deployment's migrate job (npm run migrate), not by each replica.
async function main(): Promise<void> {
  const config = loadConfig();
  // Before Nest boots; flushed when the app closes (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
  const tracing = startTracing(tracingConfig(process.env, 'taskinbox-query'));
  const logger = createLogger(config.logLevel);
  await startService(QueryAppModule.forRoot(config), config, logger, { webAppDir: config.webAppDir, tracing });
  logger.info({ port: config.http.port }, 'query listening');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
