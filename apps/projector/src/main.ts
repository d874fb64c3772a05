import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@taskinbox/config';
import { NestPinoLogger, createLogger } from '@taskinbox/http';
import { ProjectorAppModule } from './projector-app.module';

// Migrations are run by the deployment's migrate job (npm run migrate), not by each replica.
async function main(): Promise<void> {
  // The projector signs no tokens, so it does not need the server's JWT secret.
  const config = loadConfig({ JWT_SECRET: 'x'.repeat(32), ...process.env });
  const logger = createLogger(config.logLevel);
  const app = await NestFactory.createApplicationContext(ProjectorAppModule.forRoot(config), {
    logger: new NestPinoLogger(logger),
  });
  // SIGTERM/SIGINT close the context: the batch in flight commits, then the lock is released.
  app.enableShutdownHooks();
  logger.info('projector started');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
