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
  @ApiProperty({ format: 'uuid' })
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
