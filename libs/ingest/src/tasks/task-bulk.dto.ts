import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsUUID } from 'class-validator';

export const bulkActions = ['assign', 'unassign', 'tag', 'cancel', 'delete'] as const;
export type BulkAction = (typeof bulkActions)[number];
export const bulkMaxIds = 100;

export class BulkTaskDto {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: bulkMaxIds, description: 'The tasks, each changed on its own.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(bulkMaxIds)
  @IsUUID('all', { each: true })
  ids!: string[];

  @ApiProperty({ enum: bulkActions })
  @IsIn(bulkActions)
  action!: BulkAction;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: "The command's body: assign/unassign {kind, id}; tag {tags}; cancel/delete {reason?}.",
    example: { kind: 'user', id: '0190c3a4-1111-7000-8000-000000000001' },
  })
  @IsOptional()
  @IsObject()
  args?: Record<string, unknown>;
}

export class BulkResultDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Whether the command was accepted for this task.' })
  ok!: boolean;

  @ApiProperty({ description: 'What a single request would have answered: 200, 204, 403, 404, 409…' })
  statusCode!: number;

  @ApiPropertyOptional({ description: "The task's stream revision after the command." })
  version?: number;

  @ApiPropertyOptional({ description: 'Why it was refused.' })
  message?: string;
}

export class BulkResponseDto {
  @ApiProperty({ type: [BulkResultDto] })
  results!: BulkResultDto[];
}
