import { Body, Controller, Get, HttpCode, Ip, Post, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { AccountService } from '../accounts/account.service';
import { MembershipBlocked } from '../auth.errors';
import { Allow, AllowBeforePasswordChange, CurrentPrincipal, everyone, type Principal, Public } from '../principal';
import { ChangePasswordDto, LoginDto, PrincipalView, SessionView } from './session.dto';
import { PasswordHasher } from '../passwords/password.hasher';
import { SessionService } from './session.service';
import { SignInThrottle } from './sign-in.throttle';

@ApiTags('auth')
@Controller('api/auth')
export class SessionController {
  constructor(
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
    private readonly throttle: SignInThrottle,
    private readonly passwords: PasswordHasher,
  ) {}

  @ApiOperation({
    summary:
      'Signs in: a session for the chosen organisation, or for the only one. A person of several organisations who ' +
      'names none gets the list to choose from and no token. 403 membership_blocked when an admin blocked them there. ' +
      'After 5 attempts for one account (20 from one address) each further one waits longer: 429 with Retry-After.',
  })
  @ApiOkResponse({ type: SessionView })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts for this account or from this address; Retry-After says when to try again.' })
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Ip() address: string): Promise<SessionView> {
    // A flood beyond what can be hashed is refused before it costs even the throttle's writes.
    this.passwords.ensureRoom();
    const ticket = await this.throttle.attempt(body.email, address);
    const account = await this.accounts.checkPassword(body.email, body.password);
    if (!account || account.memberships.length === 0) throw new UnauthorizedException('Wrong email or password.');
    await this.throttle.succeeded(ticket);
    const open = account.memberships.filter((membership) => !membership.blocked);
    const named = body.organisationId ? account.memberships.find((membership) => membership.id === body.organisationId) : undefined;
    if (body.organisationId && !named) throw new UnauthorizedException('You are not a member of that organisation.');
    if (named?.blocked || open.length === 0) throw new MembershipBlocked();
    const chosen = named ?? (open.length === 1 ? open[0] : undefined);
    if (!chosen) return { organisations: open.map(({ id, slug, name, role }) => ({ id, slug, name, role })) };
    return this.sessions.signIn(account.userId, chosen.id);
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

  @ApiOperation({
    summary:
      "Changes the caller's own password, proving the current one (403 wrong_password; throttled like sign-in). " +
      'Every other session of the account ends; this one carries on. The only route open while a generated password must be changed.',
  })
  @ApiBearerAuth()
  @ApiNoContentResponse()
  @ApiTooManyRequestsResponse({ description: 'Too many wrong current passwords; Retry-After says when to try again.' })
  @Allow({ roles: everyone })
  @AllowBeforePasswordChange()
  @Post('password')
  @HttpCode(204)
  async changePassword(@CurrentPrincipal() principal: Principal, @Body() body: ChangePasswordDto, @Ip() address: string): Promise<void> {
    await this.accounts.changePassword(principal, body.currentPassword, body.newPassword, address);
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
