import { Client } from 'pg';

const reconnectDelayMs = 1000;

export interface ChannelSubscriber {
  /** A NOTIFY on the channel, with its payload. */
  notice(payload: string): void;
  /** Notices may have been missed: the connection dropped, or came back after dropping. */
  gap(): void;
}

/**
 * One LISTENing PostgreSQL connection for one channel. It connects on first subscription and,
 * when the connection drops, tells every subscriber of the gap and reconnects (telling them
 * again once listening) for as long as anyone is subscribed.
 */
export class ChannelListener {
  private readonly subscribers = new Set<ChannelSubscriber>();
  private connection: Promise<Client> | null = null;
  private current: Client | null = null;
  private closed = false;

  constructor(
    private readonly options: {
      databaseUrl: string;
      channel: string;
      applicationName: string;
      warn: (message: string) => void;
    },
  ) {}

  /** True while LISTEN is in effect: no notice can be missed. */
  get listening(): boolean {
    return this.current !== null;
  }

  /**
   * Resolves once LISTEN is in effect, so a caller that reads the tables afterwards cannot miss a
   * change in between. Returns the function that unsubscribes.
   */
  async subscribe(subscriber: ChannelSubscriber): Promise<() => void> {
    this.subscribers.add(subscriber);
    try {
      await this.listen();
    } catch (error) {
      this.subscribers.delete(subscriber);
      throw error;
    }
    return () => this.subscribers.delete(subscriber);
  }

  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.connection = null;
    this.current = null;
    if (connection) await connection.then((client) => client.end()).catch(() => undefined);
  }

  private listen(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('The application is shutting down.'));
    this.connection ??= this.connect().catch((error: unknown) => {
      this.connection = null;
      throw error;
    });
    return this.connection;
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: this.options.applicationName });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      void client.end().catch(() => undefined);
      this.connectionLost(client, error);
    };
    client.on('notification', (message) => this.each((subscriber) => subscriber.notice(message.payload ?? '')));
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
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
    this.options.warn(`LISTEN ${this.options.channel} connection lost${error ? `: ${error.message}` : ''}`);
    this.current = null;
    this.connection = null;
    this.each((subscriber) => subscriber.gap());
    this.reconnectSoon();
  }

  private reconnectSoon(): void {
    setTimeout(() => {
      if (this.closed || this.subscribers.size === 0) return;
      this.listen().then(
        () => this.each((subscriber) => subscriber.gap()),
        () => this.reconnectSoon(),
      );
    }, reconnectDelayMs).unref();
  }

  private each(call: (subscriber: ChannelSubscriber) => void): void {
    for (const subscriber of this.subscribers) {
      try {
        call(subscriber);
      } catch (error) {
        this.options.warn(`${this.options.channel} subscriber failed: ${String(error)}`);
      }
    }
  }
}
