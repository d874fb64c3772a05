import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import type { Role } from '@taskinbox/domain';

export const roles: Role[] = ['admin', 'member', 'viewer'];

/** A change of membership: its role, its scope, or both. */
export class ChangeRoleDto {
  @ApiPropertyOptional({ enum: roles, example: 'viewer' })
  @IsOptional()
  @IsIn(roles)
  role?: Role;

  @ApiPropertyOptional({ description: 'Limits the person to tasks assigned to them or their groups (inbox, task, timeline, stats, live stream).', example: true })
  @IsOptional()
  @IsBoolean()
  assignedOnly?: boolean;
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

  @ApiProperty({ description: 'Sees only tasks assigned to them or their groups.' })
  assignedOnly!: boolean;
}
