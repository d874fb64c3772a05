import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, IsUUID, MaxLength, Min } from 'class-validator';

export class UrlAttachmentDto {
  @ApiProperty({ example: 'https://files.example.com/receipt.pdf', description: 'Fetched once by the server, which keeps the bytes.' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ example: 'receipt.pdf', description: "Omitted: the name the sender's server gives, else the URL's last segment." })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ deprecated: true, description: 'Ignored: the type is sniffed from the fetched bytes.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  contentType?: string;

  @ApiPropertyOptional({ deprecated: true, description: 'Ignored: the size is measured.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  sizeBytes?: number;
}

/** Over NATS the task id travels in the body. */
export class UrlAttachmentMessage extends UrlAttachmentDto {
  @IsUUID()
  taskId!: string;
}
