import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class GroupNameDto {
  @ApiProperty({ example: 'on-call', minLength: 1, maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;
}

export class AddGroupMemberDto {
  @ApiProperty({ format: 'uuid', example: '3f2b8c1e-7a4d-4e29-9b1c-5d6e7f8a9b0c' })
  @IsUUID()
  userId!: string;
}

export class GroupCreatedView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'on-call' })
  name!: string;
}

export class GroupView extends GroupCreatedView {
  @ApiProperty({ type: String, format: 'uuid', isArray: true, description: 'User ids of the members.' })
  members!: string[];
}
