import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessView {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status!: 'ok';
}

export class CheckResultView {
  @ApiProperty({ enum: ['ok', 'failed'] })
  status!: 'ok' | 'failed';

  @ApiProperty({ description: 'What the check saw, or why it failed.', example: 'PING answered PONG' })
  detail!: string;
}

/** Only the checks of the service that answers appear. */
export class ChecksView {
  @ApiPropertyOptional({ type: CheckResultView, description: 'SELECT 1 on the pool.' })
  postgres?: CheckResultView;

  @ApiPropertyOptional({ type: CheckResultView, description: 'A round trip (PING/PONG) to the NATS server.' })
  nats?: CheckResultView;

  @ApiPropertyOptional({ type: CheckResultView, description: 'PING to Redis.' })
  redis?: CheckResultView;

  @ApiPropertyOptional({ type: CheckResultView, description: 'Events the read-model projector has yet to apply, against HEALTH_MAX_PROJECTOR_LAG.' })
  projectorLag?: CheckResultView;

  @ApiPropertyOptional({ type: CheckResultView, description: 'Events the relay has yet to publish to NATS, against HEALTH_MAX_RELAY_LAG.' })
  relayLag?: CheckResultView;
}

export class ReadinessView {
  @ApiProperty({ enum: ['ok', 'unavailable'], example: 'ok' })
  status!: 'ok' | 'unavailable';

  @ApiProperty({ type: ChecksView })
  checks!: ChecksView;
}
