import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal, workers } from '@taskinbox/auth';
import { TemplateDto, TemplateView, UpdateTemplateDto } from './template.dto';
import { TemplateService } from './template.service';

// Templates are for people making tasks by hand: members and admins keep them.
const keepers = { roles: workers };

@ApiTags('templates')
@ApiBearerAuth()
@Controller('api/templates')
export class TemplateController {
  constructor(private readonly templates: TemplateService) {}

  @ApiOperation({ summary: "The organisation's task templates." })
  @ApiOkResponse({ type: TemplateView, isArray: true })
  @Allow({ roles: everyone })
  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.templates.list(principal.orgId);
  }

  @ApiOperation({ summary: 'Creates a template (409 when the name is taken; 400 naming an unknown assignee).' })
  @ApiCreatedResponse({ type: TemplateView })
  @Allow(keepers)
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: TemplateDto) {
    return this.templates.create(principal.orgId, body);
  }

  @ApiOperation({ summary: 'Get one template' })
  @ApiOkResponse({ type: TemplateView })
  @Allow({ roles: everyone })
  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.templates.view(principal.orgId, await this.templates.get(principal.orgId, id));
  }

  @ApiOperation({ summary: 'Change a template' })
  @ApiOkResponse({ type: TemplateView })
  @Allow(keepers)
  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() body: UpdateTemplateDto) {
    return this.templates.update(principal.orgId, id, body);
  }

  @ApiOperation({ summary: 'Delete a template' })
  @ApiNoContentResponse()
  @Allow(keepers)
  @Delete(':id')
  @HttpCode(204)
  delete(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.templates.delete(principal.orgId, id);
  }
}
