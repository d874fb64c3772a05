// The shapes the admin pages read from the API (libs/webhooks, libs/auth), from the OpenAPI
// document. Only admins use them, so they live here rather than in api/api.types.ts.
import type { Schema } from '@taskinbox/client';

/** The filter value meaning "every task event", as the API also accepts it. */
export const everyEvent = 'task.*';

export type WebhookEndpoint = Schema<'WebhookEndpointView'>;
export type EndpointHealth = WebhookEndpoint['health'];

/** What POST /api/webhooks/endpoints and PATCH …/{id} take. */
export type EndpointInput = Schema<'CreateEndpointDto'>;

export type WebhookDelivery = Schema<'DeliveryView'>;
export type DeliveryStatus = WebhookDelivery['status'];
export const deliveryStatuses: DeliveryStatus[] = ['pending', 'retrying', 'delivered', 'failed'];

export type WebhookAttempt = Schema<'AttemptView'>;
export type EndpointNotice = Schema<'EndpointNoticeView'>;

export type ApiKey = Schema<'ApiKeyView'>;
export type Scope = Schema<'CreateApiKeyDto'>['scopes'][number];

/** The scopes CreateApiKeyDto allows, with what they let a service do. */
export const scopeLabels: Record<Scope, string> = {
  'tasks:read': 'Read tasks, the inbox and stats',
  'tasks:write': 'Create and change tasks',
};

export type UserGroup = Schema<'GroupView'>;

/** A pending invitation (GET /api/invitations); its link was shown once, when it was made. */
export type Invitation = Schema<'InvitationView'>;

/** POST /api/invitations: the link is in this answer only. */
export type IssuedInvitation = Schema<'IssuedInvitationView'>;
