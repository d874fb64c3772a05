import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '../principal';
import { CreateApiKeyDto } from './api-key.dto';
import { ApiKeyService } from './api-key.service';

@ApiTags('api keys')
@ApiBearerAuth()
@Allow({ roles: ['admin'] })
@Controller('api/api-keys')
export class ApiKeyController {
  constructor(private readonly apiKeys: ApiKeyService) {}

  /** The `key` in the response is shown this once and cannot be read again. */
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto) {
    return this.apiKeys.issue(principal.orgId, body.name, body.scopes, principal.actor.id);
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return this.apiKeys.list(principal.orgId);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    if (!(await this.apiKeys.revoke(principal.orgId, id))) throw new NotFoundException('API key not found.');
  }
}
