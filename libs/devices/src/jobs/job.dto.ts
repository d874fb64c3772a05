import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import {
  actionTypes,
  httpMethods,
  jobLimits,
  linuxUserPattern,
  type ActionType,
  type HttpMethod,
  type OnFailure,
} from '@taskinbox/device-protocol';
import { AbsolutePath, OneLine, Text } from '../dto.checks';
import { ScheduleView } from './schedule.dto';
import { Nested } from '@taskinbox/http';

export class KeyValuePairDto {
  @ApiProperty({ example: 'region' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @OneLine('key')
  key!: string;

  @ApiProperty({ example: 'eu' })
  @IsString()
  @MaxLength(4000)
  @OneLine('value')
  value!: string;
}

export class EnvironmentVariableDto extends KeyValuePairDto {
  @ApiProperty({ example: 'BACKUP_TARGET' })
  @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,199}$/, {
    message: 'environment key must be a variable name ([A-Za-z_][A-Za-z0-9_]*)',
  })
  declare key: string;
}

class ActionDto {
  @ApiProperty({ enum: actionTypes })
  @IsIn(actionTypes)
  type!: ActionType;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: jobLimits.maxTimeoutSeconds,
    default: jobLimits.defaultTimeoutSeconds,
    description: 'Then the process group gets SIGTERM, and SIGKILL 5 s later (an HTTP request is aborted).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(jobLimits.maxTimeoutSeconds)
  timeoutSeconds?: number;
}

export class HttpActionDto extends ActionDto {
  @ApiProperty({ enum: ['HTTP_REQUEST'] }) declare type: 'HTTP_REQUEST';

  @ApiProperty({ enum: httpMethods })
  @IsIn(httpMethods)
  method!: HttpMethod;

  @ApiProperty({ example: 'https://status.example.com/ping' })
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'url must be an http(s) URL' },
  )
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ type: [String], example: ['Accept: application/json'], description: '`Name: value`' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}:[ \t]*[^\u0000-\u001f\u007f]{0,2000}$/, {
    each: true,
    message: 'each header must be "Name: value" on one line',
  })
  headers?: string[];

  @ApiPropertyOptional({ type: [KeyValuePairDto], description: 'Sent as a URL-encoded form when there is no body.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(jobLimits.maxPairs)
  @Nested(() => KeyValuePairDto, { each: true })
  form?: KeyValuePairDto[];

  @ApiPropertyOptional({ maxLength: jobLimits.maxBodyBytes })
  @IsOptional()
  @IsString()
  @MaxLength(jobLimits.maxBodyBytes)
  @Text('body')
  body?: string;
}

export class ScriptActionDto extends ActionDto {
  @ApiProperty({ enum: ['SCRIPT'] }) declare type: 'SCRIPT';

  @ApiPropertyOptional({ default: '/bin/sh', example: '/bin/bash' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @AbsolutePath('interpreter')
  interpreter?: string;

  @ApiProperty({ example: 'df -h /\nuptime', maxLength: jobLimits.maxScriptBytes })
  @IsString()
  @MinLength(1)
  @MaxLength(jobLimits.maxScriptBytes)
  @Text('content')
  content!: string;
}

export class CommandActionDto extends ActionDto {
  @ApiProperty({ enum: ['COMMAND'] }) declare type: 'COMMAND';

  @ApiProperty({ example: '/usr/bin/systemctl', description: 'Run without a shell: a path, or a name found in PATH.' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @OneLine('command')
  command!: string;

  @ApiPropertyOptional({ type: [String], example: ['restart', 'nginx'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(jobLimits.maxArguments)
  @IsString({ each: true })
  @MaxLength(4000, { each: true })
  @Text('each argument', { each: true })
  arguments?: string[];

  @ApiPropertyOptional({ type: [EnvironmentVariableDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(jobLimits.maxPairs)
  @Nested(() => EnvironmentVariableDto, { each: true })
  environment?: EnvironmentVariableDto[];
}

export class ReadFileActionDto extends ActionDto {
  @ApiProperty({ enum: ['READ_FILE'] }) declare type: 'READ_FILE';

  @ApiProperty({ example: '/var/log/backup.log' })
  @IsString()
  @MaxLength(1000)
  @AbsolutePath('path')
  path!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: jobLimits.maxReadBytes, default: jobLimits.defaultOutputMaxBytes })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(jobLimits.maxReadBytes)
  maxBytes?: number;
}

export const actionDtos = [HttpActionDto, ScriptActionDto, CommandActionDto, ReadFileActionDto];

/** Which action schema an item is, by its `type`: without the mapping, generated clients take the schema's name for the value. */
export const actionDiscriminator = {
  propertyName: 'type',
  mapping: {
    HTTP_REQUEST: getSchemaPath(HttpActionDto),
    SCRIPT: getSchemaPath(ScriptActionDto),
    COMMAND: getSchemaPath(CommandActionDto),
    READ_FILE: getSchemaPath(ReadFileActionDto),
  },
};

@ApiExtraModels(...actionDtos)
export class JobDto {
  @ApiProperty({ example: 'Nightly backup', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @OneLine('name')
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Text('description')
  description?: string;

  @ApiProperty({
    type: 'array',
    items: { oneOf: actionDtos.map((dto) => ({ $ref: getSchemaPath(dto) })), discriminator: actionDiscriminator },
    description: `Run in order; 1-${jobLimits.maxActions}.`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(jobLimits.maxActions)
  @Nested(() => ActionDto, {
    each: true,
    keepDiscriminatorProperty: true,
    discriminator: {
      property: 'type',
      subTypes: [
        { value: HttpActionDto, name: 'HTTP_REQUEST' },
        { value: ScriptActionDto, name: 'SCRIPT' },
        { value: CommandActionDto, name: 'COMMAND' },
        { value: ReadFileActionDto, name: 'READ_FILE' },
      ],
    },
  })
  actions!: (HttpActionDto | ScriptActionDto | CommandActionDto | ReadFileActionDto)[];

  @ApiPropertyOptional({ enum: ['stop', 'continue'], default: 'stop', description: 'After a failed action.' })
  @IsOptional()
  @IsIn(['stop', 'continue'])
  onFailure?: OnFailure;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'backup',
    description: "Linux user the actions run as; omitted: the agent's configured non-root user.",
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Matches(linuxUserPattern, { message: 'runAs must be a Linux user name' })
  runAs?: string | null;

  @ApiPropertyOptional({
    minimum: 256,
    maximum: jobLimits.maxOutputMaxBytes,
    default: jobLimits.defaultOutputMaxBytes,
    description: "Cap of each action's output and error text: the head and the tail are kept, with a flag.",
  })
  @IsOptional()
  @IsInt()
  @Min(256)
  @Max(jobLimits.maxOutputMaxBytes)
  outputMaxBytes?: number;

  @ApiPropertyOptional({
    default: false,
    description: 'A failed run opens an inbox task for the team, linked to the run.',
  })
  @IsOptional()
  @IsBoolean()
  openTaskOnFailure?: boolean;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3650,
    default: 30,
    description: 'Finished runs older than this are deleted.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  retentionDays?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 100000,
    default: 100,
    description: 'At most this many finished runs are kept per device; older ones are deleted.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  retentionCount?: number;
}

@ApiExtraModels(...actionDtos)
export class JobView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ description: 'Raised by every change; each run names the version it ran.' }) version!: number;
  @ApiProperty({
    type: 'array',
    items: { oneOf: actionDtos.map((dto) => ({ $ref: getSchemaPath(dto) })), discriminator: actionDiscriminator },
  })
  actions!: unknown[];
  @ApiProperty({ enum: ['stop', 'continue'] }) onFailure!: OnFailure;
  @ApiProperty({ nullable: true, type: String }) runAs!: string | null;
  @ApiProperty() outputMaxBytes!: number;
  @ApiProperty() openTaskOnFailure!: boolean;
  @ApiProperty() retentionDays!: number;
  @ApiProperty() retentionCount!: number;
  @ApiProperty({ type: [ScheduleView] }) schedules!: ScheduleView[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class RunNowDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'One device; or give groupId.' })
  @ValidateIf((body: RunNowDto) => body.groupId === undefined)
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'deviceId must be a UUID (or give groupId instead)',
  })
  deviceId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Every enrolled device of the group, each a run of its own.',
    example: '7d3c1b2a-9e8f-4a6b-8c5d-0e1f2a3b4c5d',
  })
  @ValidateIf((body: RunNowDto) => body.groupId !== undefined || body.deviceId === undefined)
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'groupId must be a UUID (or give deviceId instead)',
  })
  groupId?: string;
}

class RunStarted {
  @ApiProperty({ format: 'uuid', example: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }) runId!: string;
  @ApiProperty({ format: 'uuid', example: '5b1e9c3a-2d4f-4e6a-8b0c-1d2e3f4a5b6c' }) deviceId!: string;
}

export class RunNowView {
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The runs of one group run share it.',
  })
  batchId!: string | null;
  @ApiProperty({ type: [RunStarted] }) runs!: RunStarted[];
}
