export { StreamModule } from './stream.module';
export type { StreamOptions } from './stream.options';
