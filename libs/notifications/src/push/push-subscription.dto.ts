import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { Nested } from '@taskinbox/http';

export class PushKeysDto {
  @ApiProperty({ description: "The browser's P-256 public key (base64url, 65 bytes uncompressed)." })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{86,88}={0,2}$/, { message: 'keys.p256dh must be a base64url P-256 public key' })
  p256dh!: string;

  @ApiProperty({ description: 'The 16-byte authentication secret (base64url).' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{22}={0,2}$/, { message: 'keys.auth must be 16 bytes, base64url' })
  auth!: string;
}

/** What PushSubscription.toJSON() gives in the browser. */
export class PushSubscriptionDto {
  @ApiProperty({ example: 'https://push.example.net/send/abc', description: "The push service's RFC 8030 URL." })
  @IsString()
  @MaxLength(2000)
  @IsUrl(
    { protocols: ['https'], require_protocol: true, require_tld: false },
    { message: 'endpoint must be an https URL' },
  )
  endpoint!: string;

  @ApiProperty({ type: PushKeysDto })
  @Nested(() => PushKeysDto)
  keys!: PushKeysDto;
}

export class PushEndpointQuery {
  @ApiProperty({ description: 'The endpoint of the subscription to remove.' })
  @IsString()
  @MaxLength(2000)
  @IsUrl(
    { protocols: ['https'], require_protocol: true, require_tld: false },
    { message: 'endpoint must be an https URL' },
  )
  endpoint!: string;
}

export class PushKeyView {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "The server's VAPID public key for PushManager.subscribe (applicationServerKey); null: push is off here.",
    example: 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U',
  })
  publicKey!: string | null;
}

export class PushSubscriptionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() endpoint!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
