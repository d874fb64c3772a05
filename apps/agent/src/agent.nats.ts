import { connect, jwtAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import type { AgentSession, WakeMessage } from '@taskinbox/device-protocol';
import type { Logger } from './agent.logger';

/**
 * The device's NATS link: wake-ups in, heartbeats out, nothing else (its JWT allows nothing
 * else). It authenticates with the JWT of the newest session and the device's nkey; when the
 * server closes it for good (an expired JWT, say), it connects again with a renewed session.
 */
export class AgentNats {
  private nc?: NatsConnection;
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;
  private running?: Promise<void>;

  constructor(
    private readonly deviceId: string,
    private readonly seed: string,
    /** The current session, renewed when needed. */
    private readonly session: (renew: boolean) => Promise<AgentSession>,
    private readonly onWake: (message: WakeMessage) => void,
    /** Called on every (re)connection: the agent asks the server for work then. */
    private readonly onConnected: () => void,
    private readonly logger: Logger,
    private readonly maxBackoffMs: number,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    await this.nc?.close().catch(() => undefined);
    await this.running?.catch(() => undefined);
  }

  private async loop(): Promise<void> {
    let failures = 0;
    let renew = false;
    while (!this.stopped) {
      try {
        const session = await this.session(renew);
        renew = false;
        const nc = await connect({
          servers: session.nats.url,
          name: `taskinbox-agent`,
          authenticator: jwtAuthenticator(
            () => this.jwt ?? session.nats.jwt,
            new TextEncoder().encode(this.seed),
          ),
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1000,
          pingInterval: 10_000,
          maxPingOut: 3,
        });
        this.jwt = session.nats.jwt;
        this.nc = nc;
        failures = 0;
        nc.subscribe(session.nats.commands, {
          callback: (error, message) => {
            if (error) return void this.logger.warn({ err: error.message }, 'wake-up subscription failed');
            try {
              const wake = message.json<WakeMessage>();
              if (wake && typeof wake === 'object' && typeof wake.kind === 'string') this.onWake(wake);
            } catch {
              // only JSON wake-ups mean anything
            }
          },
        });
        await nc.flush();
        this.logger.info({ deviceId: this.deviceId }, 'connected to NATS');
        this.onConnected();
        void (async () => {
          for await (const status of nc.status()) {
            if (status.type === 'reconnect') this.onConnected();
            if (status.type === 'disconnect' || status.type === 'reconnect') this.logger.info({ server: status.server }, `NATS ${status.type}`);
          }
        })();
        clearInterval(this.heartbeat);
        const beat = () => {
          try {
            nc.publish(session.nats.heartbeat, '');
          } catch {
            // reconnecting: the next one goes
          }
        };
        beat();
        this.heartbeat = setInterval(beat, session.heartbeatSeconds * 1000);
        const closed = await nc.closed();
        clearInterval(this.heartbeat);
        if (this.stopped) return;
        this.logger.warn({ err: closed?.message }, 'NATS connection closed; connecting again with a renewed JWT');
        renew = true;
      } catch (error) {
        if (this.stopped) return;
        if ((error as Error).name === 'DeviceUnenrolled') throw error;
        failures++;
        this.logger.warn({ err: String(error) }, 'cannot reach NATS or the server yet');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.maxBackoffMs, 250 * 2 ** Math.min(failures, 10))));
    }
  }

  private jwt?: string;

  /** A renewed session's JWT, used at the next reconnect. */
  renewed(session: AgentSession): void {
    this.jwt = session.nats.jwt;
  }

  /** Resolves when the loop ends (stopped, or the device was unenrolled). */
  done(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
