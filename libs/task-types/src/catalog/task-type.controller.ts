import { Body, Controller, Get, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import type { TaskTypeDefinition } from '../pure/task-type.definition';
import { TaskTypeNotFound } from '../task-types.errors';
import { TaskTypeCatalog } from './task-type.catalog';
import { CreateTaskTypeDto, TaskTypeSettingsDto, TaskTypeVersionDto, TaskTypeView } from './task-type.dto';

const admins = { roles: ['admin'] as const };
const readers = { roles: everyone, scopes: ['tasks:read', 'tasks:write'] as const };

function definitionOf(body: TaskTypeVersionDto): TaskTypeDefinition {
  return {
    name: body.name.trim(),
    schema: body.schema,
    uiSchema: body.uiSchema ?? {},
    layout: (body.layout ?? []).map(({ field, label, format }) => ({ field, label, format })),
    publicFields: body.publicFields ?? [],
    defaults: { ...body.defaults },
    actions: (body.actions ?? []).map((action) => ({
      ...action,
      target: { ...action.target },
      timeoutMs: action.timeoutMs ?? 10_000,
      retries: action.retries ?? 3,
    })),
  };
}

@ApiTags('task types')
@ApiBearerAuth()
@Controller('api')
export class TaskTypeController {
  constructor(private readonly catalog: TaskTypeCatalog) {}

  @ApiOperation({ summary: "The organisation's task types, each at its latest version." })
  @ApiOkResponse({ type: TaskTypeView, isArray: true })
  @Allow(readers)
  @Get('task-types')
  list(@CurrentPrincipal() principal: Principal) {
    return this.catalog.list(principal.orgId);
  }

  @ApiOperation({ summary: 'Registers a task type with its first version (409 when the key exists; 400 naming what is wrong in the schema).' })
  @ApiCreatedResponse({ type: TaskTypeView })
  @Allow(admins)
  @Post('task-types')
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateTaskTypeDto) {
    return this.catalog.publish(principal.orgId, body.key, definitionOf(body), principal.actor.id, true);
  }

  @ApiOperation({ summary: 'The latest published version of a task type.' })
  @ApiOkResponse({ type: TaskTypeView })
  @Allow(readers)
  @Get('task-types/:key')
  async get(@CurrentPrincipal() principal: Principal, @Param('key') key: string) {
    const latest = await this.catalog.latest(principal.orgId, key);
    if (!latest) throw new TaskTypeNotFound(key);
    return latest;
  }

  @ApiOperation({ summary: 'Publishes a new immutable version; tasks created before keep theirs.' })
  @ApiCreatedResponse({ type: TaskTypeView })
  @Allow(admins)
  @Post('task-types/:key/versions')
  async publish(@CurrentPrincipal() principal: Principal, @Param('key') key: string, @Body() body: TaskTypeVersionDto) {
    if (!(await this.catalog.latest(principal.orgId, key))) throw new TaskTypeNotFound(key);
    return this.catalog.publish(principal.orgId, key, definitionOf(body), principal.actor.id, false);
  }

  @ApiOperation({ summary: 'One published version of a task type.' })
  @ApiOkResponse({ type: TaskTypeView })
  @Allow(readers)
  @Get('task-types/:key/versions/:version')
  version(@CurrentPrincipal() principal: Principal, @Param('key') key: string, @Param('version', ParseIntPipe) version: number) {
    return this.catalog.version(principal.orgId, key, version);
  }

  @ApiOperation({ summary: 'Whether tasks of unregistered types are accepted (default) or refused.' })
  @ApiOkResponse({ type: TaskTypeSettingsDto })
  @Allow(readers)
  @Get('settings/task-types')
  async settings(@CurrentPrincipal() principal: Principal): Promise<TaskTypeSettingsDto> {
    return { unknownTypes: await this.catalog.unknownTypes(principal.orgId) };
  }

  @ApiOperation({ summary: 'Accept or refuse tasks of unregistered types.' })
  @ApiOkResponse({ type: TaskTypeSettingsDto })
  @Allow(admins)
  @Put('settings/task-types')
  async changeSettings(@CurrentPrincipal() principal: Principal, @Body() body: TaskTypeSettingsDto): Promise<TaskTypeSettingsDto> {
    await this.catalog.setUnknownTypes(principal.orgId, body.unknownTypes);
    return { unknownTypes: body.unknownTypes };
  }
}
