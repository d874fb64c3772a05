// What the delivery log shows: a delivery's state, its attempts and its endpoint's health changes.

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

/** A change of an endpoint's health, recorded in webhook_endpoint_notices. */
export type EndpointNoticeKind = 'failing' | 'disabled' | 'recovered';

export interface EndpointNoticeView {
  id: string;
  kind: EndpointNoticeKind;
  reason: string | null;
  createdAt: string;
}

export interface DeliveryView {
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

export interface AttemptView {
  id: string;
  deliveryId: string;
  attemptedAt: string;
  statusCode: number | null;
  latencyMs: number;
  succeeded: boolean;
  errorClass: string | null;
  responseBody: string | null;
}
