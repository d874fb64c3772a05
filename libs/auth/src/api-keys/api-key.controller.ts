import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '../principal';
import { ApiKeyView, CreateApiKeyDto, IssuedApiKeyView } from './api-key.dto';
import { ApiKeyService } from './api-key.service';

@ApiTags('api keys')
@ApiBearerAuth()
@Allow({ roles: ['admin'] })
@Controller('api/api-keys')
export class ApiKeyController {
  constructor(private readonly apiKeys: ApiKeyService) {}

  @ApiOperation({ summary: 'Issues a key for a service, optionally expiring; the `key` is shown this once and cannot be read again.' })
  @ApiCreatedResponse({ type: IssuedApiKeyView })
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto): Promise<IssuedApiKeyView> {
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
    return this.apiKeys.issue(principal.orgId, body.name, body.scopes, principal.actor.id, expiresAt);
  }

  @ApiOperation({ summary: "The organisation's keys, without their secrets." })
  @ApiOkResponse({ type: ApiKeyView, isArray: true })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<ApiKeyView[]> {
    return this.apiKeys.list(principal.orgId);
  }

  @ApiOperation({ summary: 'Revokes a key: it stops working on every instance at once.' })
  @ApiNoContentResponse()
  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await this.apiKeys.revoke(principal.orgId, id))) throw new NotFoundException('API key not found.');
  }
}
