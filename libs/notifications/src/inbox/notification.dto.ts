import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ enum: ['assigned', 'escalated', 'urgent'] }) kind!: string;
  @ApiProperty({ enum: ['low', 'normal', 'high', 'urgent'] }) urgency!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ example: '/tasks/0190e0c0-0000-7000-8000-000000000000', description: 'Opens the task in the app.' })
  link!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Held back by quiet hours until then.' })
  heldUntil!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) pushedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) emailedAt!: string | null;
}

export class NotificationListView {
  @ApiProperty({ description: 'Unread notifications of this organisation.' }) unread!: number;
  @ApiProperty({ type: [NotificationView], description: 'Newest first, at most 100.' }) items!: NotificationView[];
}

export class NotificationListQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'Only unread ones.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;
}
