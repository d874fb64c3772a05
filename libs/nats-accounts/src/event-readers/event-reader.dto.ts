import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

export class CreateEventReaderDto {
  @ApiProperty({ example: 'billing warehouse', description: 'What reads the events, for the list; 1-100 characters.' })
  @IsString()
  @MaxLength(100)
  @Matches(/^[^\u0000-\u001f\u007f]+$/, { message: 'name must be 1-100 printable characters' })
  name!: string;
}

export class EventReaderView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'billing warehouse' }) name!: string;
  @ApiProperty({
    description: "The reader's NATS user name: also its JetStream consumer's name.",
    example: 'reader-01a2…',
  })
  natsName!: string;
  @ApiProperty({ description: "The reader's NATS user key (revocations name it).", example: 'UB2Z…' }) userKey!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
}

class EventReaderSubjects {
  @ApiProperty({
    description: "Core NATS subscription for this organisation's events, live.",
    example: 'taskinbox.events.<orgId>.>',
  })
  live!: string;
  @ApiProperty({
    description: 'Replies reach the reader only under this inbox prefix (client option inboxPrefix).',
    example: '_INBOX.reader-…',
  })
  inboxPrefix!: string;
}

class EventReaderJetStream {
  @ApiProperty({
    description: "JetStream API prefix in the reader's account (client option apiPrefix).",
    example: 'js.api',
  })
  apiPrefix!: string;
  @ApiProperty({ example: 'TASKINBOX_EVENTS' }) stream!: string;
  @ApiProperty({
    description: "The reader's own durable pull consumer: this organisation's events from its creation on.",
    example: 'reader-01a2…',
  })
  consumer!: string;
}

export class EventReaderCreatedView extends EventReaderView {
  @ApiProperty({
    description: 'The NATS credentials (.creds: user JWT and nkey seed). Shown this once; store them now.',
    example: '-----BEGIN NATS USER JWT-----\n…',
  })
  creds!: string;
  @ApiProperty({ type: EventReaderSubjects }) subjects!: EventReaderSubjects;
  @ApiProperty({ type: EventReaderJetStream }) jetstream!: EventReaderJetStream;
}
