export * from './keys/installation.keys';
export * from './accounts/account.specs';
export * from './accounts/account.publisher';
export * from './accounts/issuer';
export * from './users/user.creds';
export * from './server/server.config';
export * from './installation/nats.installation';
export * from './revocations/account.revocations';
export { EventReadersModule } from './event-readers/event-readers.module';
