export { WebhooksModule } from './webhooks.module';
export { defaultRetrySchedule, type WebhooksOptions } from './webhooks.options';
export { WebhookDeliveryNotFound, WebhookEndpointNotFound, WebhookUrlRefused } from './webhook.errors';
export { UrlGuard, type Resolver, type ResolvedAddress } from './url/url.guard';
export { generateSecret, signatureHeader, signingSecrets } from './secrets/webhook.signer';
export { DeliveryService, webhookBody } from './delivery/delivery.service';
export { DeliveryWorker } from './delivery/delivery.worker';
export { DeliveryQueueService } from './delivery/delivery-queue.service';
export { createWebhookQueue, deliveryJobId, type WebhookJobs } from './delivery/webhook.jobs';
