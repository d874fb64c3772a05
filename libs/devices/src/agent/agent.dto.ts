import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateIf,
} from 'class-validator';
import { missedReasons, type MissedReason, runStatuses, type RunStatus } from '@taskinbox/device-protocol';
import { OneLine, Text } from '../dto.checks';
import { LabelMap } from '../groups/device-group.dto';
import { actionDiscriminator, actionDtos } from '../jobs/job.dto';
import { misfirePolicies, overlapPolicies } from '@taskinbox/device-protocol';
import { Nested } from '@taskinbox/http';

// What an agent sends and gets under /api/devices/agent. Every field a device sends is checked
// here; a device is as untrusted as any caller.

const publicKey = /^U[A-Z2-7]{55}$/;
const signature = /^[A-Za-z0-9_-]{86}$/;
// A date a device's clock gave: ISO 8601 with a zone, in this century.
const deviceTime = { strict: true, strictSeparator: true };
const Iso = (what: string) => IsISO8601(deviceTime, { message: `${what} must be an ISO 8601 date-time` });
const InCentury = (what: string) =>
  Matches(/^2\d{3}-/, { message: `${what} must be a date-time between the years 2000 and 2999` });

export class DeviceFactsDto {
  @ApiProperty({ example: 'web-1' }) @IsString() @MinLength(1) @MaxLength(253) @OneLine('hostname') hostname!: string;
  @ApiProperty({ example: 'Debian GNU/Linux 12 (bookworm)' }) @IsString() @MaxLength(200) @OneLine('os') os!: string;
  @ApiProperty({ example: '6.1.0-18-amd64' }) @IsString() @MaxLength(200) @OneLine('kernel') kernel!: string;
  @ApiProperty({ example: 'x64' }) @IsString() @MaxLength(50) @OneLine('arch') arch!: string;
  @ApiProperty({ example: '0.1.0' }) @IsString() @MaxLength(50) @OneLine('agentVersion') agentVersion!: string;
}

export class EnrolDto {
  @ApiProperty({ description: 'The single-use enrolment token an admin created.' })
  @IsString()
  @MaxLength(200)
  @OneLine('token')
  token!: string;

  @ApiProperty({ description: "The device's own nkey (public, U…); its seed never leaves the device." })
  @Matches(publicKey, { message: 'publicKey must be an nkey user public key (U…, 56 characters)' })
  publicKey!: string;

  @ApiProperty({ description: 'ed25519 signature (base64url) of `taskinbox-device-enrolment:<token>` with that nkey.' })
  @Matches(signature, { message: 'signature must be a base64url ed25519 signature' })
  signature!: string;

  @ApiPropertyOptional({ description: 'Defaults to the hostname.', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @OneLine('name')
  name?: string;

  @ApiProperty({ type: DeviceFactsDto })
  @Nested(() => DeviceFactsDto)
  facts!: DeviceFactsDto;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { role: 'web' } })
  @IsOptional()
  @Validate(LabelMap)
  labels?: Record<string, string>;
}

export class ChallengeDto {
  @ApiProperty({ format: 'uuid', example: '5b1e9c3a-2d4f-4e6a-8b0c-1d2e3f4a5b6c' })
  @IsUUID('all', { message: 'deviceId must be a UUID' })
  deviceId!: string;
}

export class ChallengeView {
  @ApiProperty({
    description: 'Sign `taskinbox-device-session:<nonce>` with the device nkey within a minute.',
    example: 'q3T9vXz2LmN8pR4sW6yB1cD5fH7jK0aE',
  })
  nonce!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-07T09:31:00.000Z' }) expiresAt!: string;
}

export class SessionDto extends ChallengeDto {
  @ApiProperty() @IsString() @MaxLength(100) @OneLine('nonce') nonce!: string;
  @ApiProperty()
  @Matches(signature, { message: 'signature must be a base64url ed25519 signature' })
  signature!: string;
}

class NatsAccessView {
  @ApiProperty({ example: 'nats://nats.example.com:4222' }) url!: string;
  @ApiProperty({ description: "User JWT for the device's nkey: at most 24 h." }) jwt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ example: 'taskinbox.devices.cmd.<deviceId>', description: 'Subscribe here for wake-ups.' })
  commands!: string;
  @ApiProperty({ example: 'taskinbox.devices.from.<deviceId>.heartbeat', description: 'Publish heartbeats here.' })
  heartbeat!: string;
}

export class AgentSessionView {
  @ApiProperty({ description: 'Bearer token for /api/devices/agent (tid_…).' }) accessToken!: string;
  @ApiProperty({ format: 'date-time' }) accessExpiresAt!: string;
  @ApiProperty({ type: NatsAccessView }) nats!: NatsAccessView;
  @ApiProperty() heartbeatSeconds!: number;
  @ApiProperty() pollSeconds!: number;
}

export class EnrolmentView extends AgentSessionView {
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ format: 'uuid' }) orgId!: string;
  @ApiProperty() name!: string;
}

export class ReportFactsDto {
  @ApiProperty({ type: DeviceFactsDto })
  @Nested(() => DeviceFactsDto)
  facts!: DeviceFactsDto;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  @Validate(LabelMap)
  labels!: Record<string, string>;
}

@ApiExtraModels(...actionDtos)
export class JobSpecView {
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() name!: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({
    type: 'array',
    items: { oneOf: actionDtos.map((dto) => ({ $ref: getSchemaPath(dto) })), discriminator: actionDiscriminator },
  })
  actions!: unknown[];
  @ApiProperty({ enum: ['stop', 'continue'] }) onFailure!: string;
  @ApiProperty({ nullable: true, type: String }) runAs!: string | null;
  @ApiProperty() outputMaxBytes!: number;
}

class RunTriggerView {
  @ApiProperty({ enum: ['now', 'schedule'] }) kind!: string;
  @ApiPropertyOptional({ description: 'now: who asked (user:<id>).' }) by?: string;
  @ApiPropertyOptional({ format: 'uuid' }) batchId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) scheduleId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) scheduledFor?: string;
}

export class RunOrderView {
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ type: JobSpecView }) job!: JobSpecView;
  @ApiProperty({ type: RunTriggerView }) trigger!: RunTriggerView;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
}

export class ScheduleOrderView {
  @ApiProperty({ format: 'uuid' }) scheduleId!: string;
  @ApiProperty() cron!: string;
  @ApiProperty() timezone!: string;
  @ApiProperty({ enum: misfirePolicies }) misfire!: string;
  @ApiProperty({ nullable: true, type: Number }) startingDeadlineSeconds!: number | null;
  @ApiProperty({ enum: overlapPolicies }) overlap!: string;
  @ApiProperty({ format: 'date-time' }) activeFrom!: string;
  @ApiProperty({ type: JobSpecView }) job!: JobSpecView;
}

export class AgentWorkView {
  @ApiProperty({ type: [RunOrderView], description: 'Runs waiting for this device.' }) runs!: RunOrderView[];
  @ApiProperty({ type: [ScheduleOrderView], description: 'Every schedule that reaches this device: cache them.' })
  schedules!: ScheduleOrderView[];
}

class ScheduledSlotDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'schedule.scheduleId must be a UUID' })
  scheduleId!: string;
  @ApiProperty({ format: 'date-time' })
  @Iso('schedule.scheduledFor')
  @InCentury('schedule.scheduledFor')
  scheduledFor!: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(2 ** 31 - 1) jobVersion!: number;
}

export class RunStartDto {
  @ApiProperty({ format: 'date-time', description: "By the device's clock.", example: '2026-12-07T02:00:01.250Z' })
  @Iso('startedAt')
  @InCentury('startedAt')
  startedAt!: string;

  @ApiPropertyOptional({
    type: ScheduledSlotDto,
    description: 'A slot the agent fired from its cached schedule: the run id must be the slot’s (uuid v5).',
  })
  @IsOptional()
  @Nested(() => ScheduledSlotDto)
  schedule?: ScheduledSlotDto;
}

export class ActionReportDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Exit code (128 + signal when killed), HTTP status, or null.',
    example: 0,
  })
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(-1)
  @Max(65535)
  code!: number | null;

  @ApiProperty({ example: true }) @IsBoolean() ok!: boolean;

  // Control characters stay (terminal colours, say): the SPA shows output as text. NUL never passes the input check.
  @ApiProperty({
    description: "Standard output (HTTP: the body), capped at the job's outputMaxBytes: head and tail.",
    example: 'Rotated 3 order export logs\n',
  })
  @IsString()
  @MaxLength(70_000)
  output!: string;

  @ApiProperty({ description: 'Standard error, or why the action failed.', example: '' })
  @IsString()
  @MaxLength(70_000)
  @Text('error')
  error!: string;

  @ApiProperty({ description: 'Output or error was longer than the cap: its middle was left out.', example: false })
  @IsBoolean()
  truncated!: boolean;

  @ApiProperty({ minimum: 0, example: 840 }) @IsInt() @Min(0) @Max(31 * 24 * 3600 * 1000) durationMs!: number;
  @ApiProperty({ format: 'date-time', example: '2026-12-07T02:00:02.090Z' })
  @Iso('finishedAt')
  @InCentury('finishedAt')
  finishedAt!: string;
}

export class RunFinishDto {
  @ApiProperty({ format: 'date-time', example: '2026-12-07T02:00:03.000Z' })
  @Iso('finishedAt')
  @InCentury('finishedAt')
  finishedAt!: string;
  @ApiPropertyOptional({ description: 'Why the run failed as a whole.', example: 'disk full on /var/lib/orders' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Text('error')
  error?: string;
}

export class RunMissedDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'scheduleId must be a UUID' }) scheduleId!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-07T02:00:00.000Z' })
  @Iso('scheduledFor')
  @InCentury('scheduledFor')
  scheduledFor!: string;
  @ApiProperty({ minimum: 1, example: 3 }) @IsInt() @Min(1) @Max(2 ** 31 - 1) jobVersion!: number;
  @ApiProperty({ enum: missedReasons, example: 'deadline_passed' }) @IsIn(missedReasons) reason!: MissedReason;
  @ApiPropertyOptional({ minimum: 0, example: 0 }) @IsOptional() @IsInt() @Min(0) @Max(10_000_000) earlierNotRecorded?: number;
}

export class RunCancelledDto {
  @ApiProperty({ example: 'replaced by the next slot (overlap policy replace)' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @OneLine('reason')
  reason!: string;
  @ApiProperty({ format: 'date-time' }) @Iso('cancelledAt') @InCentury('cancelledAt') cancelledAt!: string;
}

export class RunStatusDto {
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ enum: runStatuses, example: 'running' }) status!: RunStatus;
}
