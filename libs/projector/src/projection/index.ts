export { ProjectorModule } from './projector.module';
export { ProjectorService } from './projector.service';
export { ReadModelProjector, type ReadModelProjectorOptions, type ProjectorState } from './read-model.projector';
export { type RebuildOptions, type RebuildResult, rebuildReadModels } from './read-model.rebuild';
export { liveProjection } from './read-model.projection';
