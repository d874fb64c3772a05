import { headers as natsHeaders } from '@nats-io/transport-node';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ConfigError } from '@taskinbox/config';
import { activeTraceCarrier, contextOfCarrier, contextOfNatsHeaders, injectIntoNatsHeaders } from './trace-context';
import { startTracing, tracer, tracingEnabled } from './tracing';
import { tracingConfig } from './tracing.config';

describe('tracing configuration', () => {
  it('is off without an OTLP endpoint, and names the service after the process', () => {
    expect(tracingConfig({}, 'taskinbox-relay')).toEqual({ tracesUrl: undefined, serviceName: 'taskinbox-relay' });
    expect(tracingConfig({ OTEL_SERVICE_NAME: 'relay-eu' }, 'taskinbox-relay').serviceName).toBe('relay-eu');
  });

  it('sends to <endpoint>/v1/traces, or to the traces endpoint as given', () => {
    expect(tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'x').tracesUrl).toBe('http://collector:4318/v1/traces');
    expect(
      tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/otlp/spans' }, 'x').tracesUrl,
    ).toBe('https://b/otlp/spans');
    expect(tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_SDK_DISABLED: 'true' }, 'x').tracesUrl).toBeUndefined();
  });

  it('refuses at start what it cannot use, naming the variable', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        tracingConfig(env, 'x');
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toEqual(["OTEL_EXPORTER_OTLP_ENDPOINT must use http: or https:, got 'collector:4318'"]);
    expect(problems({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' })).toEqual(["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not a URL: 'not a url'"]);
    expect(problems({ OTEL_SERVICE_NAME: 'has space' })).toHaveLength(1);
    expect(problems({ OTEL_SDK_DISABLED: 'yes' })).toHaveLength(1);
  });
});

describe('trace context in events and NATS headers', () => {
  it('adds nothing while tracing is off', async () => {
    const tracing = startTracing({ serviceName: 'test' });
    expect(tracing.enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);
    await tracer().startActiveSpan('nothing', async (span) => {
      expect(activeTraceCarrier()).toEqual({});
      const headers = natsHeaders();
      injectIntoNatsHeaders(headers);
      expect(headers.keys()).toEqual([]);
      span.end();
    });
    expect(contextOfCarrier({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' })).toBe(ROOT_CONTEXT);
    await tracing.shutdown();
  });

  it('carries a span through event metadata and NATS headers to its children in another process', async () => {
    // The spans are never ended, so nothing is exported (the exporter's transport needs real Node, not Jest's VM).
    const tracing = startTracing({ serviceName: 'test', tracesUrl: 'http://127.0.0.1:9/v1/traces' });
    try {
      expect(tracingEnabled()).toBe(true);
      const append = tracer().startSpan('append');
      const metadata = context.with(trace.setSpan(context.active(), append), () => ({ correlationId: 'c-1', ...activeTraceCarrier() }));
      expect(metadata.traceparent).toBe(`00-${append.spanContext().traceId}-${append.spanContext().spanId}-01`);

      // The relay, later: its span continues from the metadata, and goes on in the headers.
      const publish = tracer().startSpan('publish', {}, contextOfCarrier(JSON.parse(JSON.stringify(metadata))));
      const headers = natsHeaders();
      injectIntoNatsHeaders(headers, trace.setSpan(ROOT_CONTEXT, publish));
      const consumer = tracer().startSpan('process', {}, contextOfNatsHeaders(headers));
      expect(consumer.spanContext().traceId).toBe(append.spanContext().traceId);
      expect(headers.get('traceparent')).toBe(`00-${append.spanContext().traceId}-${publish.spanContext().spanId}-01`);
      // A carrier that is not one (metadata of events appended untraced) starts nothing.
      expect(contextOfCarrier({ traceparent: 42 })).toBe(ROOT_CONTEXT);
      expect(trace.getSpan(contextOfCarrier({ traceparent: 'garbage' }))).toBeUndefined();
    } finally {
      await tracing.shutdown();
    }
    expect(tracingEnabled()).toBe(false);
  });
});
