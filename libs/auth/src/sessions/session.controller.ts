import { Body, Controller, Get, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountService } from '../accounts/account.service';
import { MembershipBlocked } from '../auth.errors';
import { Allow, AllowBeforePasswordChange, CurrentPrincipal, everyone, type Principal, Public } from '../principal';
import { LoginDto, PrincipalView, SessionView } from './session.dto';
import { SessionService } from './session.service';

@ApiTags('auth')
@Controller('api/auth')
export class SessionController {
  constructor(
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
  ) {}

  @ApiOperation({
    summary:
      'Signs in: a session for the chosen organisation, or for the only one. A person of several organisations who ' +
      'names none gets the list to choose from and no token. 403 membership_blocked when an admin blocked them there.',
  })
  @ApiOkResponse({ type: SessionView })
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto): Promise<SessionView> {
    const account = await this.accounts.checkPassword(body.email, body.password);
    if (!account || account.memberships.length === 0) throw new UnauthorizedException('Wrong email or password.');
    const open = account.memberships.filter((membership) => !membership.blocked);
    const organisations = open.map(({ id, slug, name, role }) => ({ id, slug, name, role }));
    const named = body.organisationId ? account.memberships.find((membership) => membership.id === body.organisationId) : undefined;
    if (body.organisationId && !named) throw new UnauthorizedException('You are not a member of that organisation.');
    if (named?.blocked || open.length === 0) throw new MembershipBlocked();
    const chosen = named ?? (organisations.length === 1 ? organisations[0] : undefined);
    if (!chosen) return { organisations };
    const session = await this.sessions.issue(account.userId, chosen.id);
    const organisation = organisations.find((candidate) => candidate.id === chosen.id)!;
    return { ...session, organisation, organisations };
  }

  @ApiOperation({ summary: 'Signs out: this session ends on every instance, and its live streams close.' })
  @ApiBearerAuth()
  @ApiNoContentResponse()
  @Allow({ roles: everyone })
  @AllowBeforePasswordChange()
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.sessions.end(principal);
  }

  @ApiOperation({ summary: 'Who is calling: the organisation, the role as it is now, and for people the session.' })
  @ApiBearerAuth()
  @ApiOkResponse({ type: PrincipalView })
  @Allow({ roles: everyone, scopes: ['tasks:read', 'tasks:write'] })
  @AllowBeforePasswordChange()
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): PrincipalView {
    return principal as PrincipalView;
  }
}
