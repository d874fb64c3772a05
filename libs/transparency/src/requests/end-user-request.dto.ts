import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';

export class AskEndUserDto {
  @ApiProperty({ example: 'Which account should we refund to?', maxLength: 1000, description: 'Shown to the end user as text.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  prompt!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'A JSON Schema of a flat object (string, number, integer, boolean properties; enums) the end user fills in.',
    example: { type: 'object', required: ['iban'], properties: { iban: { type: 'string', title: 'IBAN', minLength: 5 } } },
  })
  @IsOptional()
  @IsObject()
  form?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'https://bank.example/grant?req=42', description: 'Where the end user grants something elsewhere (https).' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  @MaxLength(2000)
  actionUrl?: string;
}

export class EndUserRequestView {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
}
