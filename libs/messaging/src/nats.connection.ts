import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsAuthOptions, type NatsSettings } from '@taskinbox/http';

/**
 * A NATS connection with this process's credentials that, once established, reconnects forever
 * (subscriptions survive it). The first connect fails fast so callers decide how to retry and
 * can log why.
 */
export function connectNats(settings: NatsSettings, name: string, options: { asyncTraces?: boolean } = {}): Promise<NatsConnection> {
  return connect({
    ...natsAuthOptions(settings),
    name,
    // When on, every request builds an Error up front only to give a timeout its caller's stack.
    noAsyncTraces: options.asyncTraces === false,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    // Notices a silently dropped connection within ~30 s instead of the default 4 minutes.
    pingInterval: 10_000,
    maxPingOut: 3,
  });
}
