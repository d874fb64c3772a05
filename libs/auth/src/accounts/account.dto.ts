import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import type { Role } from '@taskinbox/domain';

const roles: Role[] = ['admin', 'member', 'viewer'];

export class AddMemberDto {
  @ApiProperty({ example: 'sam@example.com' })
  @IsEmail()
  email!: string;

  @ApiProperty({ example: 'Sam' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ description: 'Initial password (ignored when the email already has an account).', minLength: 10 })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password!: string;

  @ApiProperty({ enum: roles })
  @IsIn(roles)
  role!: Role;
}
