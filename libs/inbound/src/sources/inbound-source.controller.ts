import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '@taskinbox/auth';
import { CreatedInboundSourceView, CreateInboundSourceDto, InboundSourceView } from './inbound-source.dto';
import { InboundSourceService } from './inbound-source.service';

@ApiTags('inbound')
@ApiBearerAuth()
@Allow({ roles: ['admin'] })
@Controller('api/inbound/sources')
export class InboundSourceController {
  constructor(private readonly sources: InboundSourceService) {}

  @ApiOperation({
    summary: 'Register a sender or third party that posts signed events; its secret is shown this once.',
  })
  @ApiCreatedResponse({ type: CreatedInboundSourceView })
  @Post()
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateInboundSourceDto,
  ): Promise<CreatedInboundSourceView> {
    return this.sources.create(principal.orgId, body);
  }

  @ApiOperation({ summary: 'List the inbound sources' })
  @ApiOkResponse({ type: [InboundSourceView] })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<InboundSourceView[]> {
    return this.sources.list(principal.orgId);
  }

  @ApiOperation({ summary: 'Get one inbound source' })
  @ApiOkResponse({ type: InboundSourceView })
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<InboundSourceView> {
    return this.sources.get(principal.orgId, id);
  }

  @ApiOperation({ summary: 'Remove an inbound source' })
  @ApiNoContentResponse({ description: 'The source can sign nothing any more.' })
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.sources.remove(principal.orgId, id);
  }
}
