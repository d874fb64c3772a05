import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow, CurrentPrincipal, everyone, type Principal, Public } from '@taskinbox/auth';
import { StatusLinks } from '../links/status-link.service';
import { notFoundPage, statusPage, statusPageHeaders } from './status-page.html';
import { TaskStatusService } from './task-status.service';
import { TaskStatusView } from './task-status.view';

@ApiTags('transparency')
@Controller()
export class TaskStatusController {
  constructor(
    private readonly links: StatusLinks,
    private readonly statuses: TaskStatusService,
  ) {}

  @ApiOperation({ summary: 'What the end user sees of a task, for its sender: the status page as JSON.' })
  @ApiBearerAuth()
  @ApiOkResponse({ type: TaskStatusView })
  @ApiNotFoundResponse({ description: 'Unknown task, or one the caller may not see.' })
  @Allow({ roles: everyone, scopes: ['tasks:read', 'tasks:write'] })
  @Get('api/tasks/:id/status')
  forSender(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<TaskStatusView> {
    return this.statuses.forPrincipal(principal, id);
  }

  @ApiOperation({ summary: 'The status page of a status link, as JSON. No sign-in: the link is the credential.' })
  @ApiOkResponse({ type: TaskStatusView })
  @ApiNotFoundResponse({ description: 'Unknown, revoked and expired links answer alike.' })
  @Public()
  @Get('api/status/:token')
  async json(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<TaskStatusView> {
    void reply.header('x-robots-tag', statusPageHeaders['x-robots-tag']).header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    const { orgId, taskId } = await this.links.open(token);
    return this.statuses.forLink(orgId, taskId);
  }

  @ApiOperation({ summary: 'The public status page of a status link (HTML, for the end user; never indexed).' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page.', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'Unknown, revoked and expired links get the same page.', schema: { type: 'string' } })
  @Public()
  @Get('status/:token')
  async page(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    let html: string;
    try {
      const { orgId, taskId } = await this.links.open(token);
      html = statusPage(await this.statuses.forLink(orgId, taskId));
    } catch (error) {
      if ((error as { code?: string }).code !== 'status_link_not_found') throw error;
      return void reply.status(404).headers(statusPageHeaders).send(notFoundPage());
    }
    return void reply.status(200).headers(statusPageHeaders).send(html);
  }
}
