import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

export const sourceKinds = ['sender', 'third_party'] as const;
export type SourceKind = (typeof sourceKinds)[number];

/** The tag a task carries to let a third party post information on it (tags are at most 50 characters). */
export const thirdPartyTag = (key: string): string => `third-party:${key}`;

export class CreateInboundSourceDto {
  @ApiProperty({ example: 'Carrier tracking', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    enum: sourceKinds,
    description:
      "sender: acts as the API key that created the tasks (posts info on and cancels its own tasks). third_party: only posts info on tasks tagged 'third-party:<key>'.",
  })
  @IsIn(sourceKinds)
  kind!: SourceKind;

  @ApiProperty({
    example: 'carrier',
    description:
      "Lower-case letters, digits, dashes; unique in the organisation. Tasks name a third party by the tag 'third-party:<key>'.",
  })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,37}$/, { message: 'key must be 1-38 lower-case letters, digits or dashes' })
  key!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Senders only: the API key whose tasks this source acts on.' })
  @ValidateIf((body: CreateInboundSourceDto) => body.kind === 'sender' || body.apiKeyId !== undefined)
  @IsUUID('all', { message: 'apiKeyId must be the id (UUID) of an API key of the organisation; senders need one' })
  apiKeyId?: string;
}

export class InboundSourceView {
  @ApiProperty({ format: 'uuid', description: 'Part of the inbound URL: POST /api/inbound/{id}.' })
  id!: string;

  @ApiProperty({ example: 'Carrier tracking' })
  name!: string;

  @ApiProperty({ enum: sourceKinds, example: 'third_party' })
  kind!: SourceKind;

  @ApiProperty({ example: 'carrier' })
  key!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  apiKeyId?: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class CreatedInboundSourceView extends InboundSourceView {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Standard Webhooks signing secret, shown this once.',
  })
  secret!: string;
}
