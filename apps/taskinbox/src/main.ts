import 'reflect-metadata';
import { loadConfig } from '@taskinbox/config';
import { ensureDatabase, migrate } from '@taskinbox/database';
import { createLogger, startService } from '@taskinbox/http';
import { startTracing, tracingConfig } from '@taskinbox/telemetry';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  const config = loadConfig();
  // Before Nest boots; flushed when the app closes (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
  const tracing = startTracing(tracingConfig(process.env, 'taskinbox'));
  const logger = createLogger(config.logLevel);
  await ensureDatabase(config.databaseUrl);
  const applied = await migrate(config.databaseUrl);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  await startService(AppModule.forRoot(config), config, logger, { natsQueue: 'ingest', webAppDir: config.webAppDir, tracing });
  logger.info({ url: `http://${config.http.host}:${config.http.port}`, docs: '/api/docs' }, 'taskinbox listening');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
