import type { CodedError } from '@taskinbox/http';

/** An endpoint URL that may not be called; `reason` names why (e.g. `loopback`, `scheme`). */
export class WebhookUrlRefused extends Error implements CodedError {
  readonly code = 'webhook_url_refused';
  constructor(readonly reason: string, detail: string) {
    super(`Webhook URL refused (${reason}): ${detail}`);
    this.name = 'WebhookUrlRefused';
  }
}

export class WebhookEndpointNotFound extends Error implements CodedError {
  readonly code = 'webhook_endpoint_not_found';
  constructor() {
    super('Webhook endpoint not found.');
    this.name = 'WebhookEndpointNotFound';
  }
}

export class WebhookDeliveryNotFound extends Error implements CodedError {
  readonly code = 'webhook_delivery_not_found';
  constructor() {
    super('Webhook delivery not found.');
    this.name = 'WebhookDeliveryNotFound';
  }
}
