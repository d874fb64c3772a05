import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsString, MaxLength, MinLength, ValidateBy, ValidateIf } from 'class-validator';
import type { Role } from '@taskinbox/domain';
import { roles } from '../members/member.dto';
import { LinkTokenDto } from '../links/link.dto';

export class InviteDto {
  @ApiProperty({ example: 'sam@example.com' })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ enum: roles })
  @IsIn(roles)
  role!: Role;
}

export class AcceptInvitationDto extends LinkTokenDto {
  @ApiProperty({ description: "True: create the account with this password. False: join with the existing account's own password." })
  @IsBoolean()
  newAccount!: boolean;

  @ApiProperty({ description: 'The new password (at least 10 characters), or the existing account’s password.', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @ValidateBy({
    name: 'newPasswordLength',
    validator: {
      validate: (value, args) => !(args?.object as AcceptInvitationDto).newAccount || String(value).length >= 10,
      defaultMessage: () => 'password must be at least 10 characters for a new account',
    },
  })
  password!: string;

  @ApiPropertyOptional({ description: 'Your name, for a new account.', example: 'Sam' })
  @ValidateIf((body: AcceptInvitationDto) => body.newAccount)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}

export class InvitationView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'sam@example.com' })
  email!: string;

  @ApiProperty({ enum: roles })
  role!: Role;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

export class IssuedInvitationView extends OmitType(InvitationView, ['createdAt'] as const) {
  @ApiProperty({ description: 'The single-use link to pass on to the invitee; shown this once.', example: 'https://tasks.example.com/invitation#…' })
  link!: string;
}

class InvitingOrganisationView {
  @ApiProperty({ example: 'Acme' })
  name!: string;
}

export class InvitationLookupView {
  @ApiProperty({ example: 'sam@example.com' })
  email!: string;

  @ApiProperty({ enum: roles })
  role!: Role;

  @ApiProperty({ type: InvitingOrganisationView })
  organisation!: InvitingOrganisationView;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}
