import { ConfigError } from '@taskinbox/config';

/**
 * What tracing reads from the standard OpenTelemetry variables, validated once at start. Tracing
 * is off unless an OTLP endpoint is set, so a process without one pays nothing.
 */
export interface TracingConfig {
  /**
   * Where spans go, OTLP over HTTP (JSON): OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, else
   * OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`. Undefined: tracing is off (and so with
   * OTEL_SDK_DISABLED=true).
   */
  tracesUrl?: string;
  /** OTEL_SERVICE_NAME; default the process's own (`taskinbox-ingest`, `taskinbox` for the one-process app). */
  serviceName: string;
}

const serviceNamePattern = /^[\x21-\x7e]{1,100}$/;

export function tracingConfig(env: NodeJS.ProcessEnv, defaultServiceName: string): TracingConfig {
  const problems: string[] = [];
  const serviceName = env.OTEL_SERVICE_NAME || defaultServiceName;
  if (!serviceNamePattern.test(serviceName)) problems.push(`OTEL_SERVICE_NAME must be 1 to 100 printable ASCII characters without spaces, got '${serviceName}'`);

  const url = (name: string, value: string): string => {
    try {
      const protocol = new URL(value).protocol;
      if (protocol !== 'http:' && protocol !== 'https:') problems.push(`${name} must use http: or https:, got '${value}'`);
    } catch {
      problems.push(`${name} is not a URL: '${value}'`);
    }
    return value;
  };
  let tracesUrl: string | undefined;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    tracesUrl = url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  } else if (env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    // The specification's rule for the generic variable: the signal's path is appended.
    tracesUrl = `${url('OTEL_EXPORTER_OTLP_ENDPOINT', env.OTEL_EXPORTER_OTLP_ENDPOINT).replace(/\/+$/, '')}/v1/traces`;
  }
  const disabled = (env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase();
  if (disabled !== '' && disabled !== 'true' && disabled !== 'false') problems.push(`OTEL_SDK_DISABLED must be 'true' or 'false', got '${env.OTEL_SDK_DISABLED}'`);

  if (problems.length > 0) throw new ConfigError(problems);
  return disabled === 'true' ? { serviceName } : { tracesUrl, serviceName };
}
