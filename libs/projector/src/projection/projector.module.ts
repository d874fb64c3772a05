import { Module } from '@nestjs/common';
import { ProjectorService } from './projector.service';

/**
 * Projects the event log into the read models while the application runs. Expects the app to
 * provide ConfigModule, DatabaseModule and EventStoreModule (all global).
 */
@Module({ providers: [ProjectorService], exports: [ProjectorService] })
export class ProjectorModule {}
