import { NotFoundException, UnauthorizedException } from '@nestjs/common';
import { loadConfig } from '@taskinbox/config';
import type { DeliveryQueueService } from '../delivery/delivery-queue.service';
import { MetricsController } from './metrics.controller';
import { WebhookMetrics } from './webhook.metrics';

const queue = { counts: async () => ({ waiting: 2 }) } as unknown as DeliveryQueueService;
const controller = (env: NodeJS.ProcessEnv) => new MetricsController(new WebhookMetrics(), queue, loadConfig({ JWT_SECRET: 'x'.repeat(32), ...env }));

describe('/metrics', () => {
  it('is not served when METRICS_TOKEN is not set', async () => {
    await expect(controller({}).scrape('Bearer anything')).rejects.toThrow(NotFoundException);
  });

  it('needs the token as a bearer credential when it is set', async () => {
    const metrics = controller({ METRICS_TOKEN: 'scrape-token-0123456789' });
    for (const authorization of [undefined, '', 'Bearer scrape-token-012345678', 'Basic scrape-token-0123456789']) {
      await expect(metrics.scrape(authorization)).rejects.toThrow(UnauthorizedException);
    }
    expect(await metrics.scrape('Bearer scrape-token-0123456789')).toContain('webhook_queue_jobs{state="waiting"} 2');
  });

  it('refuses a token too short to be a secret', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(32), METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
