import { Body, Controller, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, type Principal, workers } from '@taskinbox/auth';
import { AskEndUserDto, EndUserRequestView } from './end-user-request.dto';
import { EndUserRequests } from './end-user-request.service';

@ApiTags('transparency')
@ApiBearerAuth()
@Controller('api/tasks/:id/end-user-request')
export class EndUserRequestController {
  constructor(private readonly requests: EndUserRequests) {}

  @ApiOperation({
    summary: "Makes the task wait on its end user: a form on the status page, or a link to grant something elsewhere. The answer puts it back in the queue.",
  })
  @ApiCreatedResponse({ type: EndUserRequestView })
  @ApiNotFoundResponse({ description: 'Unknown task, or one the caller may not see.' })
  @ApiConflictResponse({ description: 'The task is not pending or in progress.' })
  @Allow({ roles: workers, scopes: ['tasks:write'] })
  @Post()
  ask(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AskEndUserDto,
    @Req() request: FastifyRequest,
  ): Promise<EndUserRequestView> {
    return this.requests.ask(principal, id, body, String(request.id));
  }
}
