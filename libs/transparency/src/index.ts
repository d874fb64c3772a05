export * from './transparency.module';
