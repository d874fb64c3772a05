import { type DynamicModule, HttpException, type INestApplication, Module, type Type } from '@nestjs/common';
import type { CustomStrategy } from '@nestjs/microservices';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { type FastifyError, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import compress from '@fastify/compress';
import { constants as zlibConstants } from 'node:zlib';
import type { Logger } from 'pino';
import type { Config } from '@taskinbox/config';
import { type Tracing, TracingModule, tracingEnabled } from '@taskinbox/telemetry';
import { PlainJsonRequestDeserializer } from './nats-request.deserializer';
import { NatsRequestServer } from './nats-request.server';
import { natsAuthOptions } from './nats-auth.options';
import { acceptCorrelationId } from './correlation';
import { ErrorFilter } from './error.filter';
import { toErrorResponse } from './error-response';
import { InvalidInput } from './input/input.check';
import { checkRequestInput } from './input/request-input.hook';
import { NestPinoLogger } from './logger';
import { ProcessLoggerModule } from './logger.module';
import { watchShutdownHooks } from './shutdown.watch';
import { buildApiDocument } from './openapi-document';
import { traceRequests } from './request.tracing';
import { validationPipe } from './validation.pipe';
import { serveWebApp } from './web-app';

/**
 * A Nest application on Fastify with the project's HTTP conventions: correlation ids,
 * one error shape, the input check, validation, body limit, OpenAPI at /api/docs.
 */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  config: Pick<Config, 'bodyLimitBytes' | 'input' | 'auth'>,
  logger: Logger,
  options: { tracing?: Tracing } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // request.ip is the client only behind proxies named in TRUST_PROXY (sign-in throttling uses it).
    trustProxy: config.auth.trustedProxies.length > 0 ? config.auth.trustedProxies.join(',') : false,
    // Lets shutdown end keep-alive sockets instead of waiting for them to idle out.
    forceCloseConnections: true,
    loggerInstance: logger,
    // Fastify's per-request lines are replaced by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'correlationId' }),
    genReqId: (request: { headers: Record<string, unknown> }) => acceptCorrelationId(request.headers['x-correlation-id']),
    // The router's own refusals (a path that is not percent-encoded UTF-8, an over-long
    // parameter) come before any hook: they get the same body as every other error here.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const refusal =
        error.code === 'FST_ERR_BAD_URL'
          ? new InvalidInput([{ field: '(path)', in: 'path', problems: ['is not valid percent-encoded UTF-8'] }])
          : new HttpException(error.message, error.statusCode ?? 400);
      const { body } = toErrorResponse(refusal, String(request.id));
      void reply.header('x-correlation-id', request.id).status(body.statusCode).send(body);
    },
  });
  // Bodies are parsed by the input check (checkRequestInput) alone.
  // The app's modules inject this same logger (PROCESS_LOGGER) instead of making their own.
  @Module({})
  class ProcessRootModule {}
  const root: DynamicModule = {
    module: ProcessRootModule,
    imports: [ProcessLoggerModule.forRoot(logger), ...(options.tracing ? [TracingModule.forRoot(options.tracing)] : []), module],
  };
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger: new NestPinoLogger(logger),
    bufferLogs: false,
    bodyParser: false,
  });
  // Lists and timelines are JSON of tens of KiB, read on phones. Brotli at quality 4 costs
  // little CPU; small answers (a create's 201) stay as they are. Streams (SSE, tus) write to the
  // raw socket and are never compressed.
  // Answers only: request bodies are read as sent (the input check, signed inbound events).
  app.getHttpAdapter().getInstance().addHook('onRoute', (route) => {
    route.decompress = false;
  });
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  checkRequestInput(app, { ...config.input, bodyLimitBytes: config.bodyLimitBytes });
  const fastify = app.getHttpAdapter().getInstance();
  if (tracingEnabled()) traceRequests(fastify);

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.header('x-correlation-id', request.id);
  });
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    // The path only: query strings may carry an access token (SSE).
    const line = { method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (reply.statusCode >= 400) request.log.info(line, 'request refused');
    else request.log.debug(line, 'request');
  });
  app.useGlobalPipes(validationPipe);
  app.useGlobalFilters(new ErrorFilter(logger));
  app.enableShutdownHooks();
  watchShutdownHooks(app, (slow) => logger.warn(slow, 'a shutdown hook is still running'));
  documentApi(app);
  return app;
}

function documentApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, buildApiDocument(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
}

/**
 * Starts a service: HTTP on config.http and, when asked, the NATS request/reply listener on
 * `<NATS_SUBJECT_PREFIX>.<pattern>` (queue group `natsQueue`, so several replicas share the work) and the admin SPA. Pipes, guards and filters apply to both.
 * `tracing` (startTracing in main) is flushed when the application closes.
 */
export async function startService(
  module: Type<unknown> | DynamicModule,
  config: Config,
  logger: Logger,
  options: { natsQueue?: string; webAppDir?: string; tracing?: Tracing } = {},
): Promise<NestFastifyApplication> {
  const app = await createHttpApp(module, config, logger, { tracing: options.tracing });
  try {
    if (options.webAppDir) await serveWebApp(app, options.webAppDir, logger);
    if (options.natsQueue) {
      const server = new NatsRequestServer(config.nats.prefix, options.natsQueue, {
        ...natsAuthOptions(config.nats),
        name: `taskinbox-${options.natsQueue}`,
        deserializer: new PlainJsonRequestDeserializer(config.input),
      });
      app.connectMicroservice<CustomStrategy>({ strategy: server }, { inheritAppConfig: true });
      await app.startAllMicroservices();
    }
    await app.listen(config.http.port, config.http.host);
  } catch (error) {
    // Modules that started before the failure (log followers, timers, queues) stop with it.
    await app.close().catch((closing: unknown) => logger.error({ err: closing }, 'closing after a failed start failed'));
    throw error;
  }
  return app;
}
