import 'reflect-metadata';
import { loadConfig } from '@taskinbox/config';
import { createLogger, startService } from '@taskinbox/http';
import { startTracing, tracingConfig } from '@taskinbox/telemetry';
import { ProjectorAppModule } from './projector-app.module';

// HTTP only for /health/live and /health/ready (HTTP_PORT). Migrations are run by the
// deployment's migrate job (npm run migrate), not by each replica.
async function main(): Promise<void> {
  // It signs no tokens: no JWT_SECRET needed.
  const config = loadConfig(process.env, { jwtSecret: false });
  // Before Nest boots; flushed when the app closes (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
  const tracing = startTracing(tracingConfig(process.env, 'taskinbox-projector'));
  const logger = createLogger(config.logLevel);
  // SIGTERM/SIGINT close the app: the batch in flight commits, then the lock is released.
  await startService(ProjectorAppModule.forRoot(config), config, logger, { tracing });
  logger.info({ port: config.http.port }, 'projector started');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
