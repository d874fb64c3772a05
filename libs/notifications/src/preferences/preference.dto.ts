import { ApiProperty } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsIn, IsOptional } from 'class-validator';
import { ClockTime, TimeZone } from '@taskinbox/oncall';
import { type Channel, channels } from '../pure/delivery-plan';
import { Nested } from '@taskinbox/http';

const ChannelList = () => (target: object, key: string) => {
  ApiProperty({ enum: channels, isArray: true })(target, key);
  IsArray()(target, key);
  ArrayUnique()(target, key);
  IsIn(channels, { each: true, message: `${key} must list channels among ${channels.join(', ')}` })(target, key);
};

export class ChannelsDto {
  @ChannelList() low!: Channel[];
  @ChannelList() normal!: Channel[];
  @ChannelList() high!: Channel[];
  @ChannelList() urgent!: Channel[];
}

export class QuietHoursDto {
  @ApiProperty({ example: '22:00', description: 'Wall-clock start (HH:mm) in the person’s time zone.' })
  @ClockTime('quietHours.start')
  start!: string;

  @ApiProperty({ example: '07:00', description: 'Wall-clock end; before the start runs past midnight.' })
  @ClockTime('quietHours.end')
  end!: string;
}

export class PreferencesDto {
  @ApiProperty({
    example: 'Europe/Berlin',
    description: 'The person’s own IANA time zone: quiet hours are read in it.',
  })
  @TimeZone('timeZone')
  timeZone!: string;

  @ApiProperty({
    type: ChannelsDto,
    description: 'Channels per urgency level (the task priority): push, email, digest (a periodic e-mail).',
  })
  @Nested(() => ChannelsDto)
  channels!: ChannelsDto;

  @ApiProperty({
    type: QuietHoursDto,
    nullable: true,
    description: 'Holds back everything but urgent notifications until they end; null: none.',
  })
  @IsOptional()
  @Nested(() => QuietHoursDto)
  quietHours!: QuietHoursDto | null;
}

export class PreferencesView extends PreferencesDto {}
