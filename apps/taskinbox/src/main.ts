import 'reflect-metadata';
import { loadServiceConfig } from '@taskinbox/config';
import { ensureDatabase, migrate } from '@taskinbox/database';
import { createLogger, startService } from '@taskinbox/http';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  const config = loadServiceConfig('taskinbox');
  const logger = createLogger(config.logLevel);
  await ensureDatabase(config.databaseUrl);
  const applied = await migrate(config.databaseUrl);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  await startService(AppModule.forRoot(config), config, logger, { natsQueue: 'ingest', webAppDir: config.webAppDir });
  logger.info({ url: `http://${config.http.host}:${config.http.port}`, docs: '/api/docs' }, 'taskinbox listening');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
