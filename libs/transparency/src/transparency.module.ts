import { Global, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Pool } from 'pg';
import { CONFIG, type Config, jwtSecretOf } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import { EVENT_STORE, type EventStore } from '@taskinbox/event-store';
import { IngestModule, STATUS_LINK_ISSUER, TaskCommandHandler } from '@taskinbox/ingest';
import { QueryModule } from '@taskinbox/query';
import { PayloadSchemas, TaskTypeCatalog, TaskTypesModule } from '@taskinbox/task-types';
import { EtaCalibrationController } from './eta/eta-calibration.controller';
import { EtaService } from './eta/eta.service';
import { createEtaService } from './eta/eta-service.provider';
import { StatusLinkController } from './links/status-link.controller';
import { StatusLinks } from './links/status-link.service';
import { EndUserRequestController } from './requests/end-user-request.controller';
import { EndUserRequests } from './requests/end-user-request.service';
import { TransparencySettingsController } from './settings/transparency-settings.controller';
import { TransparencySettingsService } from './settings/transparency-settings.service';
import { TaskStatusController } from './status/task-status.controller';
import { TaskStatusService } from './status/task-status.service';

/**
 * Transparency for end users: status links (capability URLs) to a public status page with an
 * explainable ETA, the same as JSON for the sender, requests the end user answers there, and
 * each organisation's settings for them.
 * Needs ConfigModule, DatabaseModule, EventStoreModule, AuthModule and the read models. Global so
 * that the task create route (libs/ingest) finds the status link issuer without importing this.
 */
@Global()
@Module({
  imports: [TaskTypesModule, IngestModule, QueryModule],
  controllers: [StatusLinkController, TaskStatusController, EndUserRequestController, TransparencySettingsController, EtaCalibrationController],
  providers: [
    { provide: TransparencySettingsService, inject: [PG_POOL], useFactory: (pool: Pool) => new TransparencySettingsService(pool) },
    {
      provide: EtaService,
      inject: [PG_POOL, ModuleRef],
      useFactory: createEtaService,
    },
    {
      provide: StatusLinks,
      inject: [PG_POOL, EVENT_STORE, CONFIG],
      useFactory: (pool: Pool, store: EventStore, config: Config) => new StatusLinks(pool, store, config.publicUrl),
    },
    {
      provide: TaskStatusService,
      inject: [PG_POOL, TaskTypeCatalog, TransparencySettingsService, EtaService],
      useFactory: (pool: Pool, types: TaskTypeCatalog, settings: TransparencySettingsService, eta: EtaService) =>
        new TaskStatusService(pool, types, settings, eta),
    },
    {
      provide: EndUserRequests,
      inject: [TaskCommandHandler, StatusLinks, CONFIG],
      useFactory: (tasks: TaskCommandHandler, links: StatusLinks, config: Config) =>
        new EndUserRequests(tasks, new PayloadSchemas(), links, jwtSecretOf(config)),
    },
    { provide: STATUS_LINK_ISSUER, useExisting: StatusLinks },
  ],
  exports: [STATUS_LINK_ISSUER],
})
export class TransparencyModule {}
