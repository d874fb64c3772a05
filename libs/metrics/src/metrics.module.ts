import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { instrumentHttp } from './http.metrics';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

/**
 * The process's metrics registry (MetricsRegistry, for every library to register in), the
 * guarded /metrics route and request rate/latency of the HTTP server. Static and global: every
 * library that registers metrics may import it, and the app still has exactly one of each.
 * Needs ConfigModule (METRICS_TOKEN).
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: MetricsRegistry, useFactory: () => new MetricsRegistry() }],
  exports: [MetricsRegistry],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    // Absent in an application context without HTTP (the CLI, benches): nothing to measure then.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify && typeof fastify.addHook === 'function') instrumentHttp(fastify, this.metrics);
  }
}
