import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '../principal';
import { ChangeRoleDto, MemberView } from './member.dto';
import { MemberService } from './member.service';

const admins = { roles: ['admin'] as const };
const notFound = () => new NotFoundException('User not found in this organisation.');

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
export class MemberController {
  constructor(private readonly members: MemberService) {}

  @ApiOperation({ summary: "The organisation's people, their roles and whether they are blocked." })
  @ApiOkResponse({ type: MemberView, isArray: true })
  @Allow({ roles: everyone })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<MemberView[]> {
    return this.members.list(principal.orgId);
  }

  @ApiOperation({
    summary: "Changes a person's role or scope (assignedOnly); it applies to their next request (409 last_admin when no admin would be left).",
  })
  @ApiNoContentResponse()
  @Allow(admins)
  @Patch(':id')
  @HttpCode(204)
  async changeRole(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ChangeRoleDto): Promise<void> {
    if (body.role === undefined && body.assignedOnly === undefined) throw new BadRequestException('Give a role, assignedOnly or both.');
    if (!(await this.members.changeRole(principal.orgId, id, body))) throw notFound();
  }

  @ApiOperation({ summary: 'Blocks a person: their sessions here end at once and they cannot sign in to this organisation.' })
  @ApiNoContentResponse()
  @Allow(admins)
  @Post(':id/block')
  @HttpCode(204)
  async block(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await this.members.setBlocked(principal.orgId, id, true, principal.actor.id))) throw notFound();
  }

  @ApiOperation({ summary: 'Lets a blocked person sign in again.' })
  @ApiNoContentResponse()
  @Allow(admins)
  @Post(':id/unblock')
  @HttpCode(204)
  async unblock(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await this.members.setBlocked(principal.orgId, id, false, principal.actor.id))) throw notFound();
  }

  @ApiOperation({ summary: 'Removes a person from the organisation and its groups; their sessions here end at once. Their account stays.' })
  @ApiNoContentResponse()
  @Allow(admins)
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await this.members.remove(principal.orgId, id))) throw notFound();
  }
}
