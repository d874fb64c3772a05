import { ApiProperty } from '@nestjs/swagger';

// What the delivery log shows: a delivery's state, its attempts and its endpoint's health changes.
// Classes so the OpenAPI document carries their schemas.

export const deliveryStatuses = ['pending', 'retrying', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** A change of an endpoint's health, recorded in webhook_endpoint_notices. */
export const endpointNoticeKinds = ['failing', 'disabled', 'recovered'] as const;
export type EndpointNoticeKind = (typeof endpointNoticeKinds)[number];

const nullableString = { type: String, nullable: true } as const;
const nullableTime = { type: String, format: 'date-time', nullable: true } as const;

export class EndpointNoticeView {
  @ApiProperty({ example: '17' }) id!: string;
  @ApiProperty({ enum: endpointNoticeKinds }) kind!: EndpointNoticeKind;
  @ApiProperty({ ...nullableString, description: 'Why it was disabled; null for the other kinds.' }) reason!:
    string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** One message (one event) for one endpoint. */
export class DeliveryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'Also the webhook-id header: the same on every attempt and resend.' })
  eventId!: string;
  @ApiProperty({ example: 'task.claimed' }) eventType!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ description: "Orders one task's events: the event's revision in its task.", example: 3 })
  sequence!: number;
  @ApiProperty({ enum: deliveryStatuses }) status!: DeliveryStatus;
  @ApiProperty({ description: 'Attempts made so far.', example: 1 }) attempts!: number;
  @ApiProperty({ ...nullableTime, description: 'When the next attempt is due; null once delivered or failed.' })
  nextAttemptAt!: string | null;
  @ApiProperty({ ...nullableString, example: 'http_status 503' }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty(nullableTime) deliveredAt!: string | null;
}

/** One HTTP call made for a delivery. */
export class AttemptView {
  @ApiProperty({ example: '42' }) id!: string;
  @ApiProperty({ format: 'uuid' }) deliveryId!: string;
  @ApiProperty({ format: 'date-time' }) attemptedAt!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Null when no answer came (DNS, refused address, timeout).',
    example: 200,
  })
  statusCode!: number | null;
  @ApiProperty({ example: 87 }) latencyMs!: number;
  @ApiProperty() succeeded!: boolean;
  @ApiProperty({
    ...nullableString,
    description: 'Why it failed (http_status, dns, address_refused, timeout, tls, …); null when it succeeded.',
  })
  errorClass!: string | null;
  @ApiProperty({ ...nullableString, description: 'The first 20 KB of the answer.', example: 'ok' }) responseBody!:
    string | null;
}
