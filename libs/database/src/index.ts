export * from './database';
export * from './database.module';
export { migrations } from './migrations';
