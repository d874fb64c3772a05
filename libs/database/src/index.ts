export * from './database';
export * from './database.module';
export { migrations } from './migrations';
export { ChannelListener, type ChannelSubscriber } from './channel.listener';
