import { Body, Controller, Delete, Get, HttpCode, Ip, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { LinkTokenDto } from '../links/link.dto';
import { Allow, CurrentPrincipal, type Principal, Public } from '../principal';
import { SessionView } from '../sessions/session.dto';
import { AcceptInvitationDto, InvitationLookupView, InvitationView, InviteDto, IssuedInvitationView } from './invitation.dto';
import { InvitationService } from './invitation.service';

const admins = { roles: ['admin'] as const };

@ApiTags('users')
@Controller('api/invitations')
export class InvitationController {
  constructor(private readonly invitations: InvitationService) {}

  @ApiOperation({
    summary:
      'Invites an e-mail with a role: a single-use link (7 days) to pass on, shown this once. The answer is the same ' +
      'whether or not the e-mail has an account anywhere. 409 when it is already a member here.',
  })
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: IssuedInvitationView })
  @Allow(admins)
  @Post()
  invite(@CurrentPrincipal() principal: Principal, @Body() body: InviteDto): Promise<IssuedInvitationView> {
    return this.invitations.invite(principal.orgId, body.email, body.role, principal.actor.id);
  }

  @ApiOperation({ summary: 'Invitations not yet accepted, withdrawn or expired (without their links).' })
  @ApiBearerAuth()
  @ApiOkResponse({ type: InvitationView, isArray: true })
  @Allow(admins)
  @Get()
  pending(@CurrentPrincipal() principal: Principal): Promise<InvitationView[]> {
    return this.invitations.pending(principal.orgId);
  }

  @ApiOperation({ summary: 'Withdraws a pending invitation: its link stops working.' })
  @ApiBearerAuth()
  @ApiNoContentResponse()
  @Allow(admins)
  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await this.invitations.revoke(principal.orgId, id))) throw new NotFoundException('No pending invitation with this id.');
  }

  @ApiOperation({ summary: 'What an invitation link invites to (410 link_invalid when used, withdrawn or expired).' })
  @ApiOkResponse({ type: InvitationLookupView })
  @ApiGoneResponse({ description: 'The link was used, withdrawn or has expired.' })
  @Public()
  @Post('lookup')
  @HttpCode(200)
  lookup(@Body() body: LinkTokenDto): Promise<InvitationLookupView> {
    return this.invitations.lookup(body.token);
  }

  @ApiOperation({
    summary:
      'Accepts an invitation, once, and signs in to the organisation: as a new account with its own password ' +
      '(409 account_exists when the e-mail has one), or as the existing account with its password (401 when wrong; ' +
      'throttled like sign-in: 429 with Retry-After).',
  })
  @ApiOkResponse({ type: SessionView })
  @ApiGoneResponse({ description: 'The link was used, withdrawn or has expired.' })
  @Public()
  @Post('accept')
  @HttpCode(200)
  accept(@Body() body: AcceptInvitationDto, @Ip() address: string): Promise<SessionView> {
    return this.invitations.accept(body.token, { newAccount: body.newAccount, password: body.password, name: body.name }, address);
  }
}
