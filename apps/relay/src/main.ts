import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@taskinbox/config';
import { createLogger, NestPinoLogger } from '@taskinbox/http';
import { RelayAppModule } from './relay-app.module';

// No HTTP: the relay only reads the event store and publishes. Migrations are run by the
// deployment's migrate job (npm run migrate), not by each replica.
async function main(): Promise<void> {
  // The relay never signs tokens, so it does not need the server's JWT secret.
  const config = loadConfig({ JWT_SECRET: 'x'.repeat(32), ...process.env });
  const logger = createLogger(config.logLevel);
  const app = await NestFactory.createApplicationContext(RelayAppModule.forRoot(config), {
    logger: new NestPinoLogger(logger),
  });
  app.enableShutdownHooks();
  logger.info('relay started');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
