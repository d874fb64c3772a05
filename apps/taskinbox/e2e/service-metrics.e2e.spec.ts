import { jetstreamManager } from '@nats-io/jetstream';
import type { DynamicModule } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { type Config, loadConfig } from '@taskinbox/config';
import { createLogger, startService } from '@taskinbox/http';
import { natsNames } from '@taskinbox/messaging';
import {
  connectTestNats,
  createTestDatabase,
  type TestDatabase,
  testNatsEnv,
  testNatsPrefix,
} from '@taskinbox/testing';
import { IngestAppModule } from '../../ingest/src/ingest-app.module';
import { ProjectorAppModule } from '../../projector/src/projector-app.module';
import { QueryAppModule } from '../../query/src/query-app.module';
import { RelayAppModule } from '../../relay/src/relay-app.module';

jest.setTimeout(90_000);

const metricsToken = randomBytes(24).toString('base64url');
let database: TestDatabase;
let config: Config;

beforeAll(async () => {
  database = await createTestDatabase('service-metrics');
  config = loadConfig({
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATABASE_URL: database.url,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NATS_SUBJECT_PREFIX: testNatsPrefix(),
    METRICS_TOKEN: metricsToken,
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
    ...testNatsEnv(),
  });
});

afterAll(async () => {
  await database?.drop();
  const nc = await connectTestNats({ name: 'test-cleanup' });
  try {
    await (await jetstreamManager(nc)).streams.delete(natsNames(config.nats.prefix).stream).catch(() => undefined);
  } finally {
    await nc.close();
  }
});

/** Each service as its main starts it (the webhooks service's /metrics: libs/webhooks' e2e test). */
const services: [string, (config: Config) => DynamicModule, string[]][] = [
  ['ingest', (c) => IngestAppModule.forRoot(c), ['taskinbox_events_appended_total']],
  [
    'query',
    (c) => QueryAppModule.forRoot(c),
    [
      'taskinbox_tasks_resolved_total',
      'taskinbox_task_resolution_seconds',
      'taskinbox_tasks_open',
      'taskinbox_slo_target_ratio',
    ],
  ],
  [
    'projector',
    (c) => ProjectorAppModule.forRoot(c),
    ['taskinbox_projection_lag_events', 'taskinbox_projection_lag_seconds'],
  ],
  ['relay', (c) => RelayAppModule.forRoot(c), ['taskinbox_relay_lag_events', 'taskinbox_relay_lag_seconds']],
];

describe.each(services)('the %s service', (_name, module, own) => {
  it('serves /metrics to the scraper: its request counter by route template, the process figures and its own', async () => {
    const app = await startService(module(config), config, createLogger(config.logLevel));
    try {
      const { port } = app.getHttpServer().address() as { port: number };
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toMatch(/^http_requests_total\{method="GET",route="\/health\/live",status="200"\} 1$/m);
      expect(text).toContain('# TYPE taskinbox_process_resident_memory_bytes gauge');
      for (const name of own) expect(text).toContain(`# TYPE ${name} `);
    } finally {
      await app.close();
    }
  });
});
