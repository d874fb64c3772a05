import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '../principal';
import { AddMemberDto } from './account.dto';
import { AccountService } from './account.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api')
export class AccountController {
  constructor(private readonly accounts: AccountService) {}

  @Allow({ roles: ['admin'] })
  @Post('users')
  addMember(@CurrentPrincipal() principal: Principal, @Body() body: AddMemberDto) {
    return this.accounts.addMember(principal.orgId, body);
  }
}
