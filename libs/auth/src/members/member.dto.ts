import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { Role } from '@taskinbox/domain';

export const roles: Role[] = ['admin', 'member', 'viewer'];

export class ChangeRoleDto {
  @ApiProperty({ enum: roles })
  @IsIn(roles)
  role!: Role;
}

export class MemberView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'sam@example.com' })
  email!: string;

  @ApiProperty({ example: 'Sam' })
  name!: string;

  @ApiProperty({ enum: roles })
  role!: Role;

  @ApiProperty({ description: 'Blocked people can neither sign in to this organisation nor act in it.' })
  blocked!: boolean;
}
