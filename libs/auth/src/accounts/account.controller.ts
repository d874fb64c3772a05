import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '../principal';
import { AddGroupMemberDto, AddMemberDto, ChangeRoleDto, CreateGroupDto } from './account.dto';
import { AccountService } from './account.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api')
export class AccountController {
  constructor(private readonly accounts: AccountService) {}

  @Allow({ roles: everyone })
  @Get('users')
  listMembers(@CurrentPrincipal() principal: Principal) {
    return this.accounts.listMembers(principal.orgId);
  }

  @Allow({ roles: ['admin'] })
  @Post('users')
  addMember(@CurrentPrincipal() principal: Principal, @Body() body: AddMemberDto) {
    return this.accounts.addMember(principal.orgId, body);
  }

  @Allow({ roles: ['admin'] })
  @Patch('users/:id')
  @HttpCode(204)
  async changeRole(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ChangeRoleDto,
  ): Promise<void> {
    if (!(await this.accounts.changeRole(principal.orgId, id, body.role))) throw new NotFoundException('User not found.');
  }

  @Allow({ roles: everyone })
  @Get('user-groups')
  listGroups(@CurrentPrincipal() principal: Principal) {
    return this.accounts.listGroups(principal.orgId);
  }

  @Allow({ roles: ['admin'] })
  @Post('user-groups')
  createGroup(@CurrentPrincipal() principal: Principal, @Body() body: CreateGroupDto) {
    return this.accounts.createGroup(principal.orgId, body.name);
  }

  @Allow({ roles: ['admin'] })
  @Post('user-groups/:id/members')
  @HttpCode(204)
  async addToGroup(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AddGroupMemberDto,
  ): Promise<void> {
    if (!(await this.accounts.addToGroup(principal.orgId, id, body.userId))) {
      throw new NotFoundException('Group or user not found in this organisation.');
    }
  }
}
