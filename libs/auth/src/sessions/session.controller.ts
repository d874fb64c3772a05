import { Body, Controller, Get, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AccountService } from '../accounts/account.service';
import { Allow, CurrentPrincipal, everyone, type Principal, Public } from '../principal';
import { LoginDto } from './session.dto';
import { SessionService } from './session.service';

@ApiTags('auth')
@Controller('api/auth')
export class SessionController {
  constructor(
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
  ) {}

  /**
   * Returns a token for the chosen organisation, or for the only one. A user of several
   * organisations who names none gets the list to choose from and no token.
   */
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto) {
    const account = await this.accounts.checkPassword(body.email, body.password);
    if (!account || account.memberships.length === 0) throw new UnauthorizedException('Wrong email or password.');
    const organisations = account.memberships.map(({ id, slug, name, role }) => ({ id, slug, name, role }));
    const chosen = body.organisationId
      ? account.memberships.find((membership) => membership.id === body.organisationId)
      : account.memberships.length === 1
        ? account.memberships[0]
        : undefined;
    if (body.organisationId && !chosen) throw new UnauthorizedException('You are not a member of that organisation.');
    if (!chosen) return { organisations };
    return { ...this.sessions.issue(account.userId, chosen.id, chosen.role), organisation: chosen, organisations };
  }

  @ApiBearerAuth()
  @Allow({ roles: everyone, scopes: ['tasks:read', 'tasks:write'] })
  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }
}
