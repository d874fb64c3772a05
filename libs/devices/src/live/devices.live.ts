import { Client, type Pool } from 'pg';
import type { Logger } from 'pino';
import { devicesChangedChannel } from '../projection/devices.rows';

/**
 * Changes to an organisation's devices and runs, as the projection and presence NOTIFY them
 * (devices_changed): one LISTEN connection per process, fanned out to that organisation's open
 * streams. Reconnects by itself; listeners miss what happened meanwhile and reload on reconnect.
 */
export class DevicesLive {
  private readonly listeners = new Map<string, Set<() => void>>();
  private client?: Client;
  private closing = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    if (this.closing) return;
    const client = new Client({ ...this.pool.options, application_name: 'taskinbox devices live' });
    client.on('error', () => undefined);
    client.on('end', () => {
      if (this.client === client) this.client = undefined;
      this.again();
    });
    client.on('notification', (message) => {
      try {
        const { org } = JSON.parse(message.payload ?? '{}') as { org?: string };
        for (const listener of (org && this.listeners.get(org)) || []) listener();
      } catch {
        // not ours
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${devicesChangedChannel}`);
      this.client = client;
    } catch (error) {
      this.logger.warn({ err: error }, 'devices live updates: cannot listen; trying again');
      await client.end().catch(() => undefined);
    }
  }

  subscribe(orgId: string, listener: () => void): () => void {
    const set = this.listeners.get(orgId) ?? new Set();
    set.add(listener);
    this.listeners.set(orgId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(orgId);
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private again(): void {
    if (this.closing || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.start();
    }, 1000);
  }
}
