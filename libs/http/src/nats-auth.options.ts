import { type Authenticator, credsAuthenticator } from '@nats-io/transport-node';
import type { Config } from '@taskinbox/config';

/** Where and as whom to connect to NATS: the `nats` part of the configuration. */
export type NatsSettings = Pick<Config['nats'], 'url' | 'creds'>;

/** The server and, when configured, the credentials (NATS_CREDS) every taskinbox connection uses. */
export function natsAuthOptions(settings: NatsSettings): { servers: string; authenticator?: Authenticator } {
  if (!settings.creds) return { servers: settings.url };
  return { servers: settings.url, authenticator: credsAuthenticator(new TextEncoder().encode(settings.creds)) };
}
