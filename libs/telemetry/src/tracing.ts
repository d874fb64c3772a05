import { trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from './tracing.config';

/** The process's tracing, as started by its main; shutdown() sends the spans still buffered. */
export interface Tracing {
  readonly enabled: boolean;
  shutdown(): Promise<void>;
}

let enabled = false;

/**
 * True once this process exports spans. Instrumented code asks before doing any tracing work,
 * so with tracing off nothing is added to a request, an event or a message.
 */
export function tracingEnabled(): boolean {
  return enabled;
}

/** taskinbox's tracer (a no-op one while tracing is off). */
export function tracer(): Tracer {
  return trace.getTracer('taskinbox');
}

/**
 * Starts tracing for this process (before Nest boots): spans are batched and exported as OTLP
 * JSON over HTTP, context flows through async calls (AsyncLocalStorage) and crosses processes
 * as W3C trace context. Without an endpoint it registers nothing: the OpenTelemetry API stays a no-op.
 */
export function startTracing(config: TracingConfig): Tracing {
  if (!config.tracesUrl) return { enabled: false, shutdown: async () => undefined };
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName })),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }))],
  });
  // Only W3C trace context: the baggage header would carry whatever a caller put in it onwards.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  enabled = true;
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown: () =>
      (stopped ??= provider.shutdown().finally(() => {
        enabled = false;
        trace.disable();
      })),
  };
}
