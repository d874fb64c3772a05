import { ApiProperty } from '@nestjs/swagger';
import { ArrayNotEmpty, IsArray, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { type Scope, scopes } from '../principal';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'billing-service' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: scopes, isArray: true, example: ['tasks:write', 'tasks:read'] })
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(scopes, { each: true })
  scopes!: Scope[];
}
