import type { NatsConnection } from '@nats-io/transport-node';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import { EVENT_STORE, type EventStore } from '@taskinbox/event-store';
import { connectNats, relayCheckpointName } from '@taskinbox/messaging';
import { MetricsModule, MetricsRegistry } from '@taskinbox/metrics';
import { liveProjection } from '@taskinbox/projector';
import { type HealthCheck, type HealthCheckName, lagCheck, natsCheck, postgresCheck, redisCheck } from './health.checks';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { registerLagMetrics } from './lag.metrics';

/**
 * The probe's own NATS and Redis connections: readiness then says whether this pod reaches
 * them, without borrowing (or disturbing) the connections the service works with.
 */
class HealthConnections {
  private nats?: Promise<NatsConnection>;
  private redisClient?: Redis;

  constructor(private readonly config: Config) {}

  natsConnection(): Promise<NatsConnection> {
    // A failed first connect is forgotten so the next probe tries again; once up, it reconnects by itself.
    this.nats ??= connectNats(this.config.nats, 'taskinbox-health').catch((error: unknown) => {
      this.nats = undefined;
      throw error;
    });
    return this.nats;
  }

  redis(): Redis {
    if (!this.redisClient) {
      this.redisClient = new Redis(this.config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      // Failures show in the probe's answer; the client reconnects by itself.
      this.redisClient.on('error', () => undefined);
    }
    return this.redisClient;
  }

  async close(): Promise<void> {
    this.redisClient?.disconnect();
    const nats = await this.nats?.catch(() => undefined);
    await nats?.close();
  }
}

const CONNECTIONS = Symbol('taskinbox.health.connections');
const LAG_METRICS = Symbol('taskinbox.health.lag-metrics');

/** `/health/live` and `/health/ready`, with the readiness checks of the dependencies the app names. */
@Module({})
export class HealthModule implements OnApplicationShutdown {
  constructor(@Inject(CONNECTIONS) private readonly connections: HealthConnections) {}

  static forRoot(checks: HealthCheckName[]): DynamicModule {
    return {
      module: HealthModule,
      imports: [MetricsModule],
      controllers: [HealthController],
      providers: [
        {
          // The lags this service's readiness watches are its metrics too (Nest makes every provider at start).
          provide: LAG_METRICS,
          inject: [MetricsRegistry, PG_POOL, { token: EVENT_STORE, optional: true }],
          useFactory: (metrics: MetricsRegistry, pool: Pool, store?: EventStore) => {
            if (store && checks.includes('projectorLag')) registerLagMetrics(metrics, 'projection', pool, store, liveProjection.checkpoint);
            if (store && checks.includes('relayLag')) registerLagMetrics(metrics, 'relay', pool, store, relayCheckpointName);
            return true;
          },
        },
        { provide: CONNECTIONS, inject: [CONFIG], useFactory: (config: Config) => new HealthConnections(config) },
        {
          provide: HealthService,
          inject: [CONFIG, PG_POOL, CONNECTIONS, { token: EVENT_STORE, optional: true }],
          useFactory: (config: Config, pool: Pool, connections: HealthConnections, store?: EventStore) => {
            const eventStore = (): EventStore => {
              if (!store) throw new Error('The lag checks need the EventStoreModule in the app.');
              return store;
            };
            const make: Record<HealthCheckName, () => HealthCheck> = {
              postgres: () => postgresCheck(pool),
              nats: () => natsCheck(() => connections.natsConnection()),
              redis: () => redisCheck(connections.redis()),
              projectorLag: () => lagCheck(pool, eventStore(), liveProjection.checkpoint, config.health.maxProjectorLag),
              relayLag: () => lagCheck(pool, eventStore(), relayCheckpointName, config.health.maxRelayLag),
            };
            return new HealthService(Object.fromEntries(checks.map((name) => [name, make[name]()])), config.health.timeoutMs);
          },
        },
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connections.close();
  }
}
