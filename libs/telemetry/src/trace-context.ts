import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { tracer, tracingEnabled } from './tracing';

/**
 * The correlation id on every span that knows it, so a trace and the log lines (`correlationId`)
 * of one request find each other.
 */
export const correlationIdAttribute = 'taskinbox.correlation_id';

/**
 * Messaging attributes of the OpenTelemetry semantic conventions. They are still "incubating",
 * which the conventions' package advises copying rather than importing, as they may be renamed.
 */
export const messagingAttributes = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  operationType: 'messaging.operation.type',
  messageId: 'messaging.message.id',
  conversationId: 'messaging.message.conversation_id',
} as const;

/** W3C trace context as it travels in event metadata and queued jobs. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The trace context of `from` (the active one by default); empty while tracing is off or no span is in it. */
export function activeTraceCarrier(from: Context = context.active()): TraceCarrier {
  if (!tracingEnabled()) return {};
  const fields: Record<string, string> = {};
  propagation.inject(from, fields);
  return pickCarrier(fields);
}

/** The trace context a carrier (event metadata, job data) holds; the root context when none. */
export function contextOfCarrier(carrier: unknown): Context {
  if (!tracingEnabled() || !carrier || typeof carrier !== 'object') return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, pickCarrier(carrier as Record<string, unknown>));
}

function pickCarrier(fields: Record<string, unknown>): TraceCarrier {
  const carrier: TraceCarrier = {};
  if (typeof fields.traceparent === 'string') carrier.traceparent = fields.traceparent;
  if (typeof fields.tracestate === 'string' && fields.tracestate !== '') carrier.tracestate = fields.tracestate;
  return carrier;
}

/** A NATS message's headers (MsgHdrs), as far as the propagator uses them. */
export interface NatsHeaders {
  get(key: string): string;
  set(key: string, value: string): void;
  keys(): string[];
}

const natsHeaderSetter: TextMapSetter<NatsHeaders> = { set: (headers, key, value) => headers.set(key, value) };
const natsHeaderGetter: TextMapGetter<NatsHeaders> = {
  keys: (headers) => headers.keys(),
  get: (headers, key) => headers.get(key) || undefined,
};

/** Writes `traceparent` (and `tracestate`) of `from` into a NATS message's headers; nothing while tracing is off. */
export function injectIntoNatsHeaders(headers: NatsHeaders, from: Context = context.active()): void {
  if (tracingEnabled()) propagation.inject(from, headers, natsHeaderSetter);
}

/** The trace context a NATS message's headers carry; the root context when none. */
export function contextOfNatsHeaders(headers: NatsHeaders | undefined): Context {
  if (!tracingEnabled() || !headers) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, natsHeaderGetter);
}

/** Marks a span as failed by this error (its class or code as `error.type`). */
export function recordFailure(span: Span, error: unknown): void {
  const type = (error as { code?: unknown }).code ?? (error as Error)?.name ?? 'Error';
  span.setAttribute(ATTR_ERROR_TYPE, String(type));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/**
 * Runs `work` in a new span, child of `parent` (the active context by default), ending it when
 * `work` settles and marking it failed when it throws.
 */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  const span = tracer().startSpan(name, options, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}
