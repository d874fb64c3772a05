import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import type { Role } from '@taskinbox/domain';
import { NewPassword } from '../links/link.dto';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com' })
  @IsEmail()
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;

  @ApiPropertyOptional({ description: 'Organisation to sign in to; needed when the user belongs to several.' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'old refund desk password' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  currentPassword!: string;

  @ApiProperty({ minLength: 10, maxLength: 200, example: 'correct horse battery staple' })
  @NewPassword()
  newPassword!: string;
}

export class OrganisationView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'acme' })
  slug!: string;

  @ApiProperty({ example: 'Acme' })
  name!: string;

  @ApiProperty({ enum: ['admin', 'member', 'viewer'] })
  role!: Role;
}

export class SessionView {
  @ApiPropertyOptional({ description: 'Bearer token of the new session; absent while an organisation must be chosen.' })
  accessToken?: string;

  @ApiPropertyOptional({ description: 'Seconds until the session expires.' })
  expiresIn?: number;

  @ApiPropertyOptional({ type: OrganisationView, description: 'The organisation the session is bound to.' })
  organisation?: OrganisationView;

  @ApiProperty({ type: OrganisationView, isArray: true, description: 'Every organisation the person may sign in to.' })
  organisations!: OrganisationView[];
}

class ActorView {
  @ApiProperty({ enum: ['user', 'service', 'system'], example: 'user' })
  kind!: string;

  @ApiProperty({ example: '3f2b8c1e-7a4d-4e29-9b1c-5d6e7f8a9b0c' })
  id!: string;

  @ApiPropertyOptional({ enum: ['admin', 'member', 'viewer'], description: 'People: the role in the organisation now.', example: 'member' })
  role?: Role;

  @ApiPropertyOptional({ description: 'Services: the API key name; the system: what acted (e.g. on-call routing).' })
  name?: string;
}

class PrincipalSessionView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-07T18:00:00.000Z' })
  expiresAt!: string;

  @ApiProperty({ example: false })
  mustChangePassword!: boolean;
}

export class PrincipalView {
  @ApiProperty({ format: 'uuid' })
  orgId!: string;

  @ApiProperty({ type: ActorView })
  actor!: ActorView;

  @ApiProperty({ type: String, isArray: true, description: "An API key's scopes; empty for people.", example: [] })
  scopes!: string[];

  @ApiPropertyOptional({ type: PrincipalSessionView, description: 'People only.' })
  session?: PrincipalSessionView;
}
