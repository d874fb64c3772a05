import { Webhook } from 'standardwebhooks';

/**
 * Checks a webhook taskinbox sent (Standard Webhooks: webhook-id, webhook-timestamp and
 * webhook-signature, HMAC-SHA256 with the endpoint's `whsec_…` secret, timestamps within five
 * minutes) and returns its parsed body. Throws when the signature or timestamp does not hold.
 * `body` must be the raw text as received, before any JSON parsing.
 */
export function verifyWebhook<Event = unknown>(
  secret: string,
  headers: Headers | Record<string, string | string[] | undefined>,
  body: string,
): Event {
  const header = (name: string): string => {
    const value = headers instanceof Headers ? headers.get(name) : headers[name];
    return (Array.isArray(value) ? value[0] : value) ?? '';
  };
  const signed = {
    'webhook-id': header('webhook-id'),
    'webhook-timestamp': header('webhook-timestamp'),
    'webhook-signature': header('webhook-signature'),
  };
  return new Webhook(secret).verify(body, signed) as Event;
}
