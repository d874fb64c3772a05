import { NotFoundException, UnauthorizedException } from '@nestjs/common';
import { Counter } from 'prom-client';
import { loadConfig } from '@taskinbox/config';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

function controller(env: NodeJS.ProcessEnv) {
  const metrics = new MetricsRegistry({ processMetrics: false });
  new Counter({ name: 'scrapes_seen_total', help: 'A figure of this app.', registers: [metrics.registry] }).inc(3);
  return new MetricsController(metrics, loadConfig({ JWT_SECRET: 'x'.repeat(32), ...env }));
}

describe('/metrics', () => {
  it('is not served when METRICS_TOKEN is not set', async () => {
    await expect(controller({}).scrape('Bearer anything')).rejects.toThrow(NotFoundException);
  });

  it('needs the token as a bearer credential when it is set', async () => {
    const metrics = controller({ METRICS_TOKEN: 'scrape-token-0123456789' });
    for (const authorization of [undefined, '', 'Bearer scrape-token-012345678', 'Basic scrape-token-0123456789']) {
      await expect(metrics.scrape(authorization)).rejects.toThrow(UnauthorizedException);
    }
    expect(await metrics.scrape('Bearer scrape-token-0123456789')).toContain('scrapes_seen_total 3');
  });

  it('refuses a token too short to be a secret', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(32), METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
