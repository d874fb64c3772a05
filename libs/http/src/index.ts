export * from './correlation';
export * from './error-response';
export * from './error.filter';
export * from './http-app';
export * from './logger';
export * from './validation.pipe';
export * from './nats-request.deserializer';
export * from './web-app';
