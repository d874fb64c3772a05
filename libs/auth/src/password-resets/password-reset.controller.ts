import { Body, Controller, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiGoneResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LinkTokenDto } from '../links/link.dto';
import { Allow, CurrentPrincipal, type Principal, Public } from '../principal';
import { CompleteResetDto, IssuedResetView, ResetLookupView } from './password-reset.dto';
import { PasswordResetService } from './password-reset.service';

@ApiTags('auth')
@Controller('api')
export class PasswordResetController {
  constructor(private readonly resets: PasswordResetService) {}

  @ApiOperation({
    summary:
      'A single-use password-reset link (24 h) for a person of this organisation, to pass on to them. ' +
      '409 account_shared when their account also belongs to another organisation: then only they, or the operator, can reset it.',
  })
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: IssuedResetView })
  @Allow({ roles: ['admin'] })
  @Post('users/:id/password-reset')
  async issue(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<IssuedResetView> {
    const issued = await this.resets.issueForMember(principal.orgId, id, principal.actor.id);
    if (!issued) throw new NotFoundException('User not found in this organisation.');
    return issued;
  }

  @ApiOperation({ summary: 'Which account a reset link is for (410 link_invalid when used or expired).' })
  @ApiOkResponse({ type: ResetLookupView })
  @ApiGoneResponse({ description: 'The link was used, replaced or has expired.' })
  @Public()
  @Post('password-resets/lookup')
  @HttpCode(200)
  lookup(@Body() body: LinkTokenDto): Promise<ResetLookupView> {
    return this.resets.lookup(body.token);
  }

  @ApiOperation({ summary: 'Sets the new password through the link, once; every session of the account ends.' })
  @ApiNoContentResponse()
  @ApiGoneResponse({ description: 'The link was used, replaced or has expired.' })
  @Public()
  @Post('password-resets/complete')
  @HttpCode(204)
  complete(@Body() body: CompleteResetDto): Promise<void> {
    return this.resets.complete(body.token, body.password);
  }
}
