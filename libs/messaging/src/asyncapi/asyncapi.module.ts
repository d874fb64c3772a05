import { Module } from '@nestjs/common';
import { AsyncApiController } from './asyncapi.controller';

/** Serves /api/docs/asyncapi.json; import it in every app that serves HTTP. */
@Module({ controllers: [AsyncApiController] })
export class AsyncApiModule {}
