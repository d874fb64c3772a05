import { ApiProperty } from '@nestjs/swagger';
import type { EndpointHealth, EndpointView } from './endpoint.service';

// The OpenAPI shapes of EndpointView and its kin (endpoint.service.ts), for the routes' answers.

class EndpointHealthView implements EndpointHealth {
  @ApiProperty({ enum: ['healthy', 'failing', 'disabled'] })
  state!: EndpointHealth['state'];

  @ApiProperty({ format: 'date-time' })
  since!: string;

  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;
}

export class WebhookEndpointView implements EndpointView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'https://hooks.example.com/taskinbox' })
  url!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: [String], example: ['task.completed', 'task.*'] })
  eventTypes!: string[];

  @ApiProperty({ type: [String] })
  taskTypes!: string[];

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ description: "One task's events arrive in order." })
  ordered!: boolean;

  @ApiProperty({ type: String, nullable: true })
  disabledReason!: string | null;

  @ApiProperty({ type: EndpointHealthView })
  health!: EndpointHealthView;

  @ApiProperty({ type: [String], description: 'Names of the extra headers; their values stay hidden.' })
  headerNames!: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class CreatedWebhookEndpointView extends WebhookEndpointView {
  @ApiProperty({ description: 'The signing secret, shown this once.', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret!: string;
}

export class RotatedSecretView {
  @ApiProperty({ description: 'The new signing secret, shown this once.', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret!: string;

  @ApiProperty({ format: 'date-time', description: 'Until then the old secret signs too.', example: '2026-12-08T09:30:00.000Z' })
  previousExpiresAt!: string;
}

export class RecoveredView {
  @ApiProperty({ description: 'Messages queued again.' })
  queued!: number;
}
