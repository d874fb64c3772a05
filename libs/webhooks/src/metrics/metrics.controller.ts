import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { register, Registry } from 'prom-client';
import { Public } from '@taskinbox/auth';
import { DeliveryQueueService } from '../delivery/delivery-queue.service';
import { WebhookMetrics } from './webhook.metrics';

/** Prometheus scrape target; public like a health check, holds no organisation data beyond endpoint ids. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: WebhookMetrics,
    private readonly queue: DeliveryQueueService,
  ) {}

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    const counts = await this.queue.counts().catch(() => undefined);
    for (const [state, count] of Object.entries(counts ?? {})) this.metrics.queueDepth.set({ state }, count);
    // With the process-wide default registry: task events dropped by consumers (libs/messaging).
    return Registry.merge([this.metrics.registry, register]).metrics();
  }
}
