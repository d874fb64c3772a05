import { Controller, Get, Headers, Inject, NotFoundException, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '@taskinbox/auth';
import { CONFIG, type Config } from '@taskinbox/config';
import { MetricsRegistry } from './metrics.registry';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Prometheus scrape target, for a scraper holding METRICS_TOKEN: the operator. The figures name
 * organisations, task types and webhook endpoints, which is nobody else's business (and never
 * task titles or payloads). Without the token configured it is not served at all.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsRegistry,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Public()
  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply?: FastifyReply,
  ): Promise<string> {
    this.assertScraper(authorization);
    const text = await this.metrics.scrape();
    void reply?.header('content-type', this.metrics.contentType);
    return text;
  }

  private assertScraper(authorization: string | undefined): void {
    const token = this.config.metricsToken;
    if (token === undefined)
      throw new NotFoundException('Metrics are not served: set METRICS_TOKEN to serve them to a scraper holding it.');
    const given = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
    // Compared as digests: equal lengths for timingSafeEqual, and no early exit on the first wrong byte.
    if (!timingSafeEqual(digest(given), digest(token))) {
      throw new UnauthorizedException('Send Authorization: Bearer <METRICS_TOKEN> to read metrics.');
    }
  }
}
