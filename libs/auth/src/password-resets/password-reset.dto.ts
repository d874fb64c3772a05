import { ApiProperty } from '@nestjs/swagger';
import { LinkTokenDto, NewPassword } from '../links/link.dto';

export class CompleteResetDto extends LinkTokenDto {
  @ApiProperty({ minLength: 10, maxLength: 200, example: 'correct horse battery staple' })
  @NewPassword()
  password!: string;
}

export class IssuedResetView {
  @ApiProperty({ description: 'The single-use link to pass on to the person; shown this once.', example: 'https://tasks.example.com/reset-password#…' })
  link!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

export class ResetLookupView {
  @ApiProperty({ example: 'sam@example.com' })
  email!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}
