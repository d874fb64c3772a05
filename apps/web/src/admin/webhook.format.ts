import { formatDateTime } from '../tasks/task.format';
import { type DeliveryStatus, everyEvent, type WebhookEndpoint } from './admin.types';

export const deliveryStatusLabels: Record<DeliveryStatus, string> = {
  pending: 'Waiting to send',
  retrying: 'Retrying',
  delivered: 'Delivered',
  failed: 'Failed',
};

/** The sender's error classes (libs/webhooks webhook.sender.ts), said for people. */
const failureLabels: Record<string, string> = {
  address_refused: 'address not allowed',
  dns: 'host name did not resolve',
  connect_timeout: 'connection timed out',
  timeout: 'no answer in time',
  connection_refused: 'connection refused',
  tls: 'TLS handshake failed',
  network: 'network error',
  http_status: 'answered with an error status',
};

/** "HTTP 500" or "connection refused", from a delivery's lastError ("http_status 500", "dns"). */
export function describeFailure(lastError: string): string {
  const [errorClass, statusCode] = lastError.split(' ');
  if (statusCode) return `HTTP ${statusCode}`;
  return failureLabels[errorClass] ?? errorClass;
}

export const eventFilterText = (endpoint: WebhookEndpoint): string =>
  endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(everyEvent)
    ? 'Every event'
    : endpoint.eventTypes.join(', ');

export const taskTypeFilterText = (endpoint: WebhookEndpoint): string =>
  endpoint.taskTypes.length === 0 ? 'Every task type' : endpoint.taskTypes.join(', ');

export const healthLabels: Record<WebhookEndpoint['health']['state'], string> = {
  healthy: 'Healthy',
  failing: 'Failing',
  disabled: 'Disabled',
};

/** Why the endpoint is in its state, and since when. */
export function healthText({ health }: WebhookEndpoint): string {
  const since = formatDateTime(health.since);
  switch (health.state) {
    case 'healthy':
      return `No failures since ${since}.`;
    case 'failing':
      return `Every attempt since ${since} failed; retries go on, and it is disabled automatically if this lasts.`;
    case 'disabled':
      return health.reason
        ? `Disabled automatically on ${since}: ${health.reason}. New events are not queued for it while disabled.`
        : `Disabled by an administrator on ${since}. New events are not queued for it while disabled.`;
  }
}
