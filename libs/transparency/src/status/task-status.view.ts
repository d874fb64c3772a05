import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type PublicStatus, publicStatuses } from '../pure/public-status';

// What a status link shows, and nothing else: the e2e test asserts these keys exactly.

export class PublicFieldView {
  @ApiProperty() label!: string;
  @ApiProperty({ description: 'The value as text.' }) value!: string;
}

export class PublicEventView {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'Being worked on' }) label!: string;
}

export class EtaView {
  @ApiProperty({ format: 'date-time', description: 'Earliest expected resolution.' }) from!: string;
  @ApiProperty({ format: 'date-time', description: 'Latest expected resolution (P90).' }) to!: string;
  @ApiProperty({ type: [String], description: 'One sentence per step of the estimate.' }) explanation!: string[];
}

export class OutcomeShareView {
  @ApiProperty({ example: 'accepted' }) resolution!: string;
  @ApiProperty({ example: 60, description: 'Percent of resolved tasks of this type.' }) percent!: number;
}

export class EstimateCalibrationView {
  @ApiProperty({ description: 'Completed tasks of this type whose end user was shown an estimate (180 days).' }) tasks!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Percent of them resolved by the latest time first shown (P90); null without any.' })
  withinPercent!: number | null;
}

export class PublicStatsView {
  @ApiProperty({ description: 'Tasks of this type resolved in the last 180 days.' }) resolvedCount!: number;
  @ApiProperty({ description: 'Median resolution time, in working seconds.' }) medianSeconds!: number;
  @ApiProperty({ description: '90th percentile, in working seconds.' }) p90Seconds!: number;
  @ApiProperty({ description: 'Slowest, in working seconds.' }) slowestSeconds!: number;
  @ApiProperty({ type: [OutcomeShareView] }) outcomes!: OutcomeShareView[];
  @ApiProperty({ type: EstimateCalibrationView, description: 'How well past estimates held.' }) estimates!: EstimateCalibrationView;
}

export class FormFieldView {
  @ApiProperty() name!: string;
  @ApiProperty() label!: string;
  @ApiPropertyOptional() hint?: string;
  @ApiProperty({ enum: ['text', 'number', 'integer', 'boolean', 'choice'] }) kind!: string;
  @ApiProperty() required!: boolean;
  @ApiPropertyOptional({ type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] } }) options?: (string | number)[];
}

export class EndUserRequestPublicView {
  @ApiProperty() prompt!: string;
  @ApiProperty({ type: [FormFieldView], description: 'The form to fill in; empty when the request is a link.' }) fields!: FormFieldView[];
  @ApiProperty({ type: String, nullable: true, description: 'Where to grant something elsewhere.' }) actionUrl!: string | null;
}

export class TaskStatusView {
  @ApiProperty({ enum: publicStatuses }) status!: PublicStatus;
  @ApiProperty({ example: 'Being worked on' }) statusLabel!: string;
  @ApiProperty({ type: String, nullable: true, description: "The task type's display name; null without a registered type." })
  typeName!: string | null;
  @ApiProperty({ type: [PublicFieldView], description: 'Only the payload fields the task type marks public.' }) fields!: PublicFieldView[];
  @ApiProperty({ type: [PublicEventView] }) timeline!: PublicEventView[];
  @ApiProperty({ type: EtaView, nullable: true, description: 'Null once resolved, or without enough history.' }) eta!: EtaView | null;
  @ApiProperty({ type: PublicStatsView, nullable: true, description: 'Only when the organisation shows public stats.' })
  stats!: PublicStatsView | null;
  @ApiProperty({ type: EndUserRequestPublicView, nullable: true, description: 'What the task waits for from its end user.' })
  endUserRequest!: EndUserRequestPublicView | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When a link to this page stops working; null while the task is open.' })
  linkExpiresAt!: string | null;
}
