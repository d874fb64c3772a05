import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CONFIG, type Config } from '@taskinbox/config';
import { createDataSource } from '@taskinbox/database';
import { InboxTask } from './inbox-task.entity';
import { OrgCalendar } from './org-calendar.entity';
import { TaskFact } from './task-fact.entity';
import { TimelineEntry } from './timeline-entry.entity';
import { DeviceView } from './device-view.entity';
import { RunActionView, RunView } from './run-view.entity';

export const readModelEntities = [InboxTask, TimelineEntry, TaskFact, OrgCalendar, DeviceView, RunView, RunActionView];

/** A TypeORM DataSource over the read-model tables, shared by the projector and the query API. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [CONFIG],
      useFactory: (config: Config) =>
        createDataSource(config.databaseUrl, { entities: readModelEntities, poolSize: 10 }).initialize(),
    },
  ],
  exports: [DataSource],
})
export class ReadModelsModule implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
