import { Controller, Get, Header, Headers, Inject, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { register, Registry } from 'prom-client';
import { Public } from '@taskinbox/auth';
import { CONFIG, type Config } from '@taskinbox/config';
import { DeliveryQueueService } from '../delivery/delivery-queue.service';
import { WebhookMetrics } from './webhook.metrics';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Prometheus scrape target, for a scraper holding METRICS_TOKEN: the figures name endpoints and
 * show an organisation's traffic, which is nobody else's business. Without the token configured
 * it is not served at all.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: WebhookMetrics,
    private readonly queue: DeliveryQueueService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Headers('authorization') authorization: string | undefined): Promise<string> {
    this.assertScraper(authorization);
    const counts = await this.queue.counts().catch(() => undefined);
    for (const [state, count] of Object.entries(counts ?? {})) this.metrics.queueDepth.set({ state }, count);
    // With the process-wide default registry: task events dropped by consumers (libs/messaging).
    return Registry.merge([this.metrics.registry, register]).metrics();
  }

  private assertScraper(authorization: string | undefined): void {
    const token = this.config.metricsToken;
    if (token === undefined) throw new NotFoundException('Metrics are not served: set METRICS_TOKEN to serve them to a scraper holding it.');
    const given = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
    // Compared as digests: equal lengths for timingSafeEqual, and no early exit on the first wrong byte.
    if (!timingSafeEqual(digest(given), digest(token))) {
      throw new UnauthorizedException('Send Authorization: Bearer <METRICS_TOKEN> to read metrics.');
    }
  }
}
