import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { type Config, InjectConfig } from '@taskinbox/config';
import { readModelsUpdatedChannel } from '@taskinbox/read-models';


const reconnectDelayMs = 1000;

/**
 * One LISTENing PostgreSQL connection per process, shared by everything that reacts to
 * projector batches (read-your-writes waits, live streams). It connects on first use and,
 * when the connection drops, tells every subscriber (a batch may have been missed meanwhile)
 * and reconnects while anyone is still subscribed.
 */
@Injectable()
export class ReadModelListener implements OnApplicationShutdown {
  private readonly logger = new Logger(ReadModelListener.name);
  private readonly subscribers = new Set<() => void>();
  private connection: Promise<Client> | null = null;
  private current: Client | null = null;
  private closed = false;

  constructor(@InjectConfig() private readonly config: Config) {}

  /**
   * Calls `onUpdate` after every projector batch from now on. Resolves once LISTEN is in effect,
   * so a caller that looks at the tables afterwards cannot miss a batch in between.
   * Returns the function that unsubscribes.
   */
  async subscribe(onUpdate: () => void): Promise<() => void> {
    this.subscribers.add(onUpdate);
    try {
      await this.listening();
    } catch (error) {
      this.subscribers.delete(onUpdate);
      throw error;
    }
    return () => this.subscribers.delete(onUpdate);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.connection = null;
    if (connection) await connection.then((client) => client.end()).catch(() => undefined);
  }

  private listening(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('The application is shutting down.'));
    this.connection ??= this.connect().catch((error: unknown) => {
      this.connection = null;
      throw error;
    });
    return this.connection;
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.config.databaseUrl,
      application_name: 'taskinbox-query-listener',
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      void client.end().catch(() => undefined);
      this.connectionLost(client, error);
    };
    client.on('notification', () => this.notifyAll());
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${readModelsUpdatedChannel}`);
    } catch (error) {
      lost = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    this.current = client;
    return client;
  }

  private connectionLost(client: Client, error: Error | undefined): void {
    if (this.closed || this.current !== client) return;
    this.logger.warn(`LISTEN ${readModelsUpdatedChannel} connection lost${error ? `: ${error.message}` : ''}`);
    this.current = null;
    this.connection = null;
    this.notifyAll();
    this.reconnectSoon();
  }

  private reconnectSoon(): void {
    setTimeout(() => {
      if (this.closed || this.subscribers.size === 0) return;
      this.listening().then(
        () => this.notifyAll(),
        () => this.reconnectSoon(),
      );
    }, reconnectDelayMs).unref();
  }

  private notifyAll(): void {
    for (const onUpdate of this.subscribers) {
      try {
        onUpdate();
      } catch (error) {
        this.logger.error(`read-model subscriber failed: ${String(error)}`);
      }
    }
  }
}
