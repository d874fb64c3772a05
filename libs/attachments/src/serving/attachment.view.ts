import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class AttachmentPreviewView {
  @ApiProperty({ enum: ['pending', 'ready', 'failed'], description: 'Previews are made off the request path; pending until then.' })
  status!: 'pending' | 'ready' | 'failed';
  @ApiPropertyOptional({ enum: ['image', 'text', 'icon'], description: 'image: thumb and phone links; text: the first lines; icon: no picture of the content.' })
  kind?: 'image' | 'text' | 'icon';
  @ApiPropertyOptional({ description: 'The first lines of a text or CSV file.' })
  text?: string;
  @ApiPropertyOptional({ description: 'Why no picture could be made (then kind is icon).' })
  error?: string;
}

export class AttachmentLinksView {
  @ApiProperty({ description: 'Signed URL of the file itself (a download unless it is an image).' })
  file!: string;
  @ApiPropertyOptional({ description: 'Signed URL of a small WebP thumbnail (preview kind image).' })
  thumb?: string;
  @ApiPropertyOptional({ description: 'Signed URL of a phone-sized WebP (preview kind image).' })
  phone?: string;
  @ApiProperty({ format: 'date-time', description: 'When these links stop working; ask again for fresh ones.' })
  expiresAt!: string;
}

export class AttachmentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ example: 'receipt.pdf' }) name!: string;
  @ApiProperty({ example: 'application/pdf', description: 'Sniffed from the bytes; what the uploader claimed is ignored.' })
  contentType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ description: 'SHA-256 of the content, hex.' }) sha256!: string;
  @ApiProperty({ enum: ['multipart', 'tus', 'url'] }) via!: 'multipart' | 'tus' | 'url';
  @ApiPropertyOptional({ description: 'For URL attachments: the URL the server fetched once.' }) sourceUrl?: string;
  @ApiProperty({ description: 'user:<id> or service:<id>' }) addedBy!: string;
  @ApiProperty({ format: 'date-time' }) addedAt!: string;
  @ApiProperty({ description: 'True when the content was erased on request; the history still lists the attachment.' })
  erased!: boolean;
  @ApiProperty({ type: AttachmentPreviewView }) preview!: AttachmentPreviewView;
  @ApiPropertyOptional({ type: AttachmentLinksView, description: 'Absent once erased.' }) links?: AttachmentLinksView;
}

export class UploadedAttachmentView extends AttachmentView {
  @ApiProperty({ description: 'True when the organisation already had these bytes: nothing new was stored.' })
  deduplicated!: boolean;
}
