import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** The token from a single-use link's fragment, posted in a body so it never lands in a URL log. */
export class LinkTokenDto {
  @ApiProperty({ description: 'The part of the link after #.', minLength: 43, maxLength: 43 })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be the 43 characters after # in the link' })
  token!: string;
}

/** A password someone chooses for themselves: 10 to 200 characters. */
export const NewPassword = () => applyDecorators(IsString(), MinLength(10), MaxLength(200));
