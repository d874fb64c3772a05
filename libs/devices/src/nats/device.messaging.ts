import { connect, credsAuthenticator, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { type Config } from '@taskinbox/config';
import { deviceReportsSubject, deviceSubjects, reportingDevice, type WakeMessage } from '@taskinbox/device-protocol';
import { connectNats } from '@taskinbox/messaging';
import type { Issuer } from '@taskinbox/nats-accounts';

/** A client's connection as the server's $SYS events describe it. */
export interface ClientEvent {
  kind: 'connect' | 'disconnect';
  /** The client's JWT name: the device id (never the client-chosen connection name). */
  deviceId: string;
  /** The client's nkey: must be the device's enrolled key. */
  userKey: string;
  /** The server's id for the connection. */
  clientId: number;
}

interface SysClientAdvisory {
  client?: { id?: number; user?: string; name_tag?: string; kind?: string };
}

/**
 * NATS for devices: wakes a device (its command subject, as taskinbox's services), hears devices'
 * heartbeats, and follows the DEVICES account's connect and disconnect events (as the system
 * user). Several taskinbox processes share the listening through queue groups.
 */
export class DeviceMessaging {
  private services?: Promise<NatsConnection>;
  private system?: Promise<NatsConnection>;
  private readonly subscriptions: Subscription[] = [];
  private closing = false;

  constructor(
    private readonly config: Config,
    private readonly issuer: Issuer,
    private readonly logger: Logger,
  ) {}

  /** Best effort: a device that misses a wake-up asks for work at its next poll or reconnect. */
  async wake(deviceId: string, message: WakeMessage): Promise<void> {
    try {
      const nc = await this.connection();
      nc.publish(deviceSubjects(this.config.nats.prefix, deviceId).commands, JSON.stringify(message));
    } catch (error) {
      this.logger.warn({ err: error, deviceId }, 'could not wake a device; it will ask at its next poll');
    }
  }

  /** Heartbeats of every device of the installation; resolves once the server has the subscription. */
  async listenHeartbeats(heartbeat: (deviceId: string) => Promise<void>): Promise<void> {
    const prefix = this.config.nats.prefix;
    const services = await this.connection();
    this.subscriptions.push(
      services.subscribe(deviceReportsSubject(prefix), {
        queue: `${prefix}-device-presence`,
        callback: (error, message) => {
          if (error) return void this.logger.warn({ err: error }, 'device report subscription failed');
          // The subject names the device, and NATS lets a device publish under its own id only.
          const from = reportingDevice(prefix, message.subject);
          if (from?.kind === 'heartbeat') void heartbeat(from.deviceId).catch((e: unknown) => this.failed(e));
        },
      }),
    );
    await services.flush();
  }

  /** The DEVICES account's connect and disconnect events (as the system user). */
  async listenClients(client: (event: ClientEvent) => Promise<void>): Promise<void> {
    const system = await this.systemConnection();
    const account = this.issuer.keys.accounts.DEVICES.identity;
    for (const kind of ['connect', 'disconnect'] as const) {
      this.subscriptions.push(
        system.subscribe(`$SYS.ACCOUNT.${account}.${kind.toUpperCase()}`, {
          queue: `${this.config.nats.prefix}-device-presence`,
          callback: (error, message) => {
            if (error) return void this.logger.warn({ err: error }, 'device presence subscription failed');
            let advisory: SysClientAdvisory;
            try {
              advisory = message.json<SysClientAdvisory>();
            } catch {
              return;
            }
            const from = advisory?.client;
            if (!from?.name_tag || !from.user || typeof from.id !== 'number') return;
            void client({ kind, deviceId: from.name_tag, userKey: from.user, clientId: from.id }).catch((e: unknown) =>
              this.failed(e),
            );
          },
        }),
      );
    }
    await system.flush();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    for (const connection of [this.services, this.system]) {
      const nc = await connection?.catch(() => undefined);
      await nc?.close().catch(() => undefined);
    }
  }

  private failed(error: unknown): void {
    this.logger.warn({ err: error }, 'device presence could not be recorded');
  }

  private connection(): Promise<NatsConnection> {
    if (this.closing) return Promise.reject(new Error('device messaging is closed'));
    this.services ??= connectNats(this.config.nats, 'taskinbox-devices').catch((error: unknown) => {
      this.services = undefined;
      throw error;
    });
    return this.services;
  }

  private systemConnection(): Promise<NatsConnection> {
    this.system ??= connect({
      servers: this.config.nats.url,
      name: 'taskinbox-device-presence',
      authenticator: credsAuthenticator(new TextEncoder().encode(this.issuer.system)),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
    }).catch((error: unknown) => {
      this.system = undefined;
      throw error;
    });
    return this.system;
  }
}
