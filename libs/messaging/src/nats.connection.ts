import { connect, type NatsConnection } from '@nats-io/transport-node';

/**
 * A NATS connection that, once established, reconnects forever (subscriptions survive it).
 * The first connect fails fast so callers decide how to retry and can log why.
 */
export function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: url,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    // Notices a silently dropped connection within ~30 s instead of the default 4 minutes.
    pingInterval: 10_000,
    maxPingOut: 3,
  });
}
