import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram } from 'prom-client';
import type { MetricsRegistry } from './metrics.registry';

/** The label of a request that matched no route: never the raw URL, which is unbounded and may carry ids. */
export const unmatchedRoute = '(unmatched)';

/**
 * Request rate and latency by method, route template (`/api/tasks/:id`, never the URL itself)
 * and status code, taken in Fastify's onResponse hook. Cardinality: routes × methods × statuses
 * seen, a few hundred series at most.
 */
export function instrumentHttp(fastify: FastifyInstance, metrics: MetricsRegistry): void {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [metrics.registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics.registry],
  });
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = routeOf(request);
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}

function routeOf(request: FastifyRequest): string {
  // A request that matched nothing lands on Fastify's 404 handler, whose "route" has no url.
  const url = request.routeOptions?.url;
  return url && !request.is404 ? url : unmatchedRoute;
}
