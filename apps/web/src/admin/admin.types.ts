// The shapes the admin pages read from the API (libs/webhooks, libs/auth). Only admins use them,
// so they live here rather than in api/api.types.ts.

/** The filter value meaning "every task event", as the API also accepts it. */
export const everyEvent = 'task.*';

export interface EndpointHealth {
  state: 'healthy' | 'failing' | 'disabled';
  since: string;
  reason: string | null;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  taskTypes: string[];
  enabled: boolean;
  ordered: boolean;
  disabledReason: string | null;
  health: EndpointHealth;
  headerNames: string[];
  createdAt: string;
  updatedAt: string;
}

/** What POST /api/webhooks/endpoints and PATCH …/{id} take. */
export interface EndpointInput {
  url: string;
  description: string;
  eventTypes: string[];
  taskTypes: string[];
  enabled?: boolean;
  ordered: boolean;
  headers?: Record<string, string>;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';
export const deliveryStatuses: DeliveryStatus[] = ['pending', 'retrying', 'delivered', 'failed'];

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  taskId: string;
  sequence: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface WebhookAttempt {
  id: string;
  deliveryId: string;
  attemptedAt: string;
  statusCode: number | null;
  latencyMs: number;
  succeeded: boolean;
  errorClass: string | null;
  responseBody: string | null;
}

export interface EndpointNotice {
  id: string;
  kind: 'failing' | 'disabled' | 'recovered';
  reason: string | null;
  createdAt: string;
}

export type Scope = 'tasks:read' | 'tasks:write';

/** The scopes CreateApiKeyDto allows, with what they let a service do. */
export const scopeLabels: Record<Scope, string> = {
  'tasks:read': 'Read tasks, the inbox and stats',
  'tasks:write': 'Create and change tasks',
};

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface UserGroup {
  id: string;
  name: string;
  members: string[];
}

/** A pending invitation (GET /api/invitations); its link was shown once, when it was made. */
export interface Invitation {
  id: string;
  email: string;
  role: 'admin' | 'member' | 'viewer';
  createdAt: string;
  expiresAt: string;
}

/** POST /api/invitations: the link is in this answer only. */
export interface IssuedInvitation {
  id: string;
  email: string;
  role: 'admin' | 'member' | 'viewer';
  expiresAt: string;
  link: string;
}
