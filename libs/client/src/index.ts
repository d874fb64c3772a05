export type { components, operations, paths } from './schema';
export * from './api.client';
export * from './webhook.verifier';
