import { type BeforeApplicationShutdown, type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { errorCodes } from 'fastify';
import path from 'node:path';
import type { Pool } from 'pg';
import { CONFIG, type Config, jwtSecretOf } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import type { Logger } from 'pino';
import { PROCESS_LOGGER } from '@taskinbox/http';
import { IngestModule, TaskCommandHandler } from '@taskinbox/ingest';
import { UrlGuard } from '@taskinbox/webhooks';
import { ATTACHMENT_LIMITS, type AttachmentLimits, BLOB_STORE } from './attachments.tokens';
import { AttachmentEraser } from './erasure/attachment.eraser';
import { AttachmentIntake } from './intake/attachment.intake';
import { UploadController } from './intake/upload.controller';
import { UrlAttachmentNatsController } from './intake/url-attachment-nats.controller';
import { UrlAttachmentController } from './intake/url-attachment.controller';
import { UrlFetcher } from './intake/url.fetcher';
import { UrlIntake } from './intake/url.intake';
import { PreviewMaker } from './previews/preview.maker';
import { PreviewQueue } from './previews/preview.worker';
import { AttachmentCatalog } from './serving/attachment.catalog';
import { AttachmentController } from './serving/attachment.controller';
import { FileLinks } from './serving/file.links';
import type { BlobStore } from './storage/blob.store';
import { FilesystemStore } from './storage/filesystem.store';
import { S3Store } from './storage/s3.store';
import { TusController } from './tus/tus.controller';
import { TusUploads, tusStagingDir } from './tus/tus.uploads';
import { MetricsModule, MetricsRegistry, registerQueueDepth } from '@taskinbox/metrics';

const QUEUE_METRICS = Symbol('taskinbox.attachments.queue-metrics');

export interface AttachmentsOptions {
  /** BullMQ queue name and key prefix; default `attachments` / `bull`. */
  queueName: string;
  queuePrefix: string;
  /** False: API only, previews are made by another process. */
  work: boolean;
  sweepIntervalMs: number;
}

/** Routes whose bodies are streams read by the handler, not JSON (every other route keeps its 415). */
export const streamedBodyRoutes = /^\/api\/(tasks\/[^/?]+\/attachments\/upload|uploads\/tus)(\/|\?|$)/;

export function createBlobStore(config: Config['attachments']): BlobStore {
  const store = config.store;
  return store.kind === 's3' ? new S3Store(store) : new FilesystemStore(store.dir);
}

/**
 * Attachments: upload (multipart, tus, or a URL the server fetches once), storage (filesystem or S3), previews on a BullMQ queue,
 * and serving through short-lived signed links. Needs ConfigModule, DatabaseModule, AuthModule
 * and IngestModule (the task's visibility and its TaskAttachmentAdded events) in the application.
 */
@Module({})
export class AttachmentsModule implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly previews: PreviewQueue,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  static forRoot(overrides: Partial<AttachmentsOptions> = {}): DynamicModule {
    const options: AttachmentsOptions = { queueName: 'attachments', queuePrefix: 'bull', work: true, sweepIntervalMs: 60_000, ...overrides };
    return {
      module: AttachmentsModule,
      imports: [IngestModule, MetricsModule],
      controllers: [UploadController, UrlAttachmentController, UrlAttachmentNatsController, AttachmentController, TusController],
      providers: [
        {
          // Its depth for the operator's Prometheus (taskinbox_queue_jobs).
          provide: QUEUE_METRICS,
          inject: [MetricsRegistry, PreviewQueue],
          useFactory: (metrics: MetricsRegistry, previews: PreviewQueue) => {
            registerQueueDepth(metrics, 'attachments', () => previews.counts());
            return true;
          },
        },
        { provide: BLOB_STORE, inject: [CONFIG], useFactory: (config: Config) => createBlobStore(config.attachments) },
        {
          provide: ATTACHMENT_LIMITS,
          inject: [CONFIG],
          useFactory: (config: Config): AttachmentLimits => ({
            maxFileBytes: config.attachments.maxFileBytes,
            orgQuotaBytes: config.attachments.orgQuotaBytes,
          }),
        },
        { provide: FileLinks, inject: [CONFIG], useFactory: (config: Config) => new FileLinks(jwtSecretOf(config), config.attachments.urlTtlSeconds) },
        {
          provide: PreviewMaker,
          inject: [PG_POOL, BLOB_STORE, CONFIG],
          useFactory: (pool: Pool, store: BlobStore, config: Config) =>
            new PreviewMaker(pool, store, { timeoutMs: config.attachments.previewTimeoutMs, pdfMemoryBytes: 1024 * 1024 * 1024 }),
        },
        {
          provide: PreviewQueue,
          inject: [CONFIG, PG_POOL, PreviewMaker, PROCESS_LOGGER],
          useFactory: (config: Config, pool: Pool, maker: PreviewMaker, logger: Logger) =>
            new PreviewQueue(config.redisUrl, options, pool, maker, logger.child({ component: 'attachments' })),
        },
        {
          provide: AttachmentIntake,
          inject: [PG_POOL, BLOB_STORE, TaskCommandHandler, CONFIG, PreviewQueue],
          useFactory: (pool: Pool, store: BlobStore, tasks: TaskCommandHandler, config: Config, previews: PreviewQueue) =>
            new AttachmentIntake(
              pool,
              store,
              tasks,
              { ...config.attachments, stagingDir: path.join(config.attachments.dir, '.staging') },
              (orgId, sha256) => previews.request(orgId, sha256),
            ),
        },
        {
          provide: UrlIntake,
          inject: [AttachmentIntake, CONFIG],
          useFactory: (intake: AttachmentIntake, config: Config) =>
            new UrlIntake(
              intake,
              new UrlFetcher(new UrlGuard(config.attachments.fetchAllowedHosts), {
                timeoutMs: config.attachments.fetchTimeoutMs,
                maxRedirects: 3,
                maxFileBytes: config.attachments.maxFileBytes,
              }),
            ),
        },
        {
          provide: TusUploads,
          inject: [AttachmentIntake, CONFIG],
          useFactory: (intake: AttachmentIntake, config: Config) =>
            new TusUploads(intake, tusStagingDir(config.attachments.dir), config.attachments.maxFileBytes),
        },
        {
          provide: AttachmentCatalog,
          inject: [PG_POOL, TaskCommandHandler, FileLinks],
          useFactory: (pool: Pool, tasks: TaskCommandHandler, links: FileLinks) => new AttachmentCatalog(pool, tasks, links),
        },
        {
          provide: AttachmentEraser,
          inject: [PG_POOL, BLOB_STORE, AttachmentCatalog],
          useFactory: (pool: Pool, store: BlobStore, catalog: AttachmentCatalog) => new AttachmentEraser(pool, store, catalog),
        },
      ],
      exports: [AttachmentIntake, AttachmentCatalog, PreviewQueue, BLOB_STORE],
    };
  }

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    // Upload bodies are streamed by their handlers; only those routes accept these types.
    fastify.addContentTypeParser(['multipart/form-data', 'application/offset+octet-stream'], (request, _payload, done) => {
      if (streamedBodyRoutes.test(request.url)) done(null);
      else done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(String(request.headers['content-type'])));
    });
  }

  onApplicationBootstrap(): void {
    this.previews.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.previews.stop();
    await this.store.close();
  }
}
