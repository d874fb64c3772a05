import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '../principal';
import { AddGroupMemberDto, GroupCreatedView, GroupNameDto, GroupView } from './group.dto';
import { GroupService } from './group.service';

const admins = { roles: ['admin'] as const };
const groupNotFound = () => new NotFoundException('Group not found in this organisation.');

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/user-groups')
export class GroupController {
  constructor(private readonly groups: GroupService) {}

  @ApiOperation({ summary: "The organisation's user groups with their members." })
  @ApiOkResponse({ type: GroupView, isArray: true })
  @Allow({ roles: everyone })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<GroupView[]> {
    return this.groups.list(principal.orgId);
  }

  @ApiOperation({ summary: 'Creates a group (409 when the name is taken).' })
  @ApiCreatedResponse({ type: GroupCreatedView })
  @Allow(admins)
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: GroupNameDto): Promise<GroupCreatedView> {
    return this.groups.create(principal.orgId, body.name);
  }

  @ApiOperation({ summary: 'Renames a group (409 when the name is taken).' })
  @ApiNoContentResponse()
  @Allow(admins)
  @Patch(':id')
  @HttpCode(204)
  async rename(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: GroupNameDto): Promise<void> {
    if (!(await this.groups.rename(principal.orgId, id, body.name))) throw groupNotFound();
  }

  @ApiOperation({ summary: 'Deletes a group; its members stay in the organisation.' })
  @ApiNoContentResponse()
  @Allow(admins)
  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await this.groups.delete(principal.orgId, id))) throw groupNotFound();
  }

  @ApiOperation({ summary: 'Adds a person of the organisation to the group.' })
  @ApiNoContentResponse()
  @Allow(admins)
  @Post(':id/members')
  @HttpCode(204)
  async addMember(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: AddGroupMemberDto): Promise<void> {
    if (!(await this.groups.addMember(principal.orgId, id, body.userId))) {
      throw new NotFoundException('Group or user not found in this organisation.');
    }
  }

  @ApiOperation({ summary: 'Takes a person out of the group.' })
  @ApiNoContentResponse()
  @Allow(admins)
  @Delete(':id/members/:userId')
  @HttpCode(204)
  async removeMember(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('userId', ParseUUIDPipe) userId: string,
  ): Promise<void> {
    if (!(await this.groups.removeMember(principal.orgId, id, userId))) {
      throw new NotFoundException('Group not found in this organisation, or the person is not in it.');
    }
  }
}
