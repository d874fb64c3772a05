export * from './tracing.config';
export * from './tracing';
export * from './trace-context';
export * from './tracing.module';
