import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, everyone, type Principal, Public } from '@taskinbox/auth';
import { ReadModelFreshness } from '@taskinbox/query';
import { StatusLinks } from '../links/status-link.service';
import { EndUserRequests } from '../requests/end-user-request.service';
import { messagePage, notFoundPage, type PageForm, statusPage, statusPageHeaders } from './status-page.html';
import { TaskStatusService } from './task-status.service';
import { TaskStatusView } from './task-status.view';

const html = { description: 'An HTML page.', schema: { type: 'string' } };
const codeOf = (error: unknown): string | undefined => (error as { code?: string }).code;

@ApiTags('transparency')
@Controller()
export class TaskStatusController {
  constructor(
    private readonly links: StatusLinks,
    private readonly statuses: TaskStatusService,
    private readonly requests: EndUserRequests,
    private readonly freshness: ReadModelFreshness,
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
    return (await this.statuses.forLink(orgId, taskId)).view;
  }

  @ApiOperation({ summary: 'The public status page of a status link (HTML, for the end user; never indexed).' })
  @ApiProduces('text/html')
  @ApiOkResponse(html)
  @ApiNotFoundResponse({ ...html, description: 'Unknown, revoked and expired links get the same page.' })
  @Public()
  @Get('status/:token')
  async page(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    try {
      return this.send(reply, 200, await this.render(token));
    } catch (error) {
      if (codeOf(error) === 'status_link_not_found') return this.send(reply, 404, notFoundPage());
      throw error;
    }
  }

  @ApiOperation({ summary: "The end user's answer to the form on the status page (a plain form post); back to the page when taken." })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiProduces('text/html')
  @ApiResponse({ status: 303, description: 'Answer taken: see the status page.' })
  @ApiBadRequestResponse({ ...html, description: 'The answer does not fit the form (the page again, saying why), or the form is out of date.' })
  @ApiNotFoundResponse({ ...html, description: 'Unknown, revoked and expired links.' })
  @ApiConflictResponse({ ...html, description: 'The question was already answered or withdrawn.' })
  @Public()
  @Post('status/:token/answer')
  async answer(@Param('token') token: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const posted = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const back = `/status/${token}`;
    try {
      const { principal, taskId, version } = await this.requests.answer(token, posted, String(request.id));
      // The page the end user is sent back to shows their answer.
      await this.freshness.waitFor(principal, [{ taskId, minVersion: version }], reply);
    } catch (error) {
      switch (codeOf(error)) {
        case 'status_link_not_found':
          return this.send(reply, 404, notFoundPage());
        case 'invalid_input': {
          const problems = ((error as { details?: { field: string; problems: string[] }[] }).details ?? []).map(
            (problem) => `${problem.field.replace(/^answer\.?/, '') || 'answer'} ${problem.problems.join(', ')}`,
          );
          return this.send(reply, 400, await this.render(token, { posted, problems }));
        }
        case 'end_user_form_expired':
          return this.send(reply, 400, messagePage((error as Error).message, back));
        case 'end_user_request_closed':
          return this.send(reply, 409, messagePage((error as Error).message, back));
        default:
          throw error;
      }
    }
    // The token passed the link check above, so it is 43 URL-safe characters.
    return void reply.status(303).headers(statusPageHeaders).header('location', back).send('');
  }

  private async render(token: string, refused?: Pick<PageForm, 'posted' | 'problems'>): Promise<string> {
    const { orgId, taskId } = await this.links.open(token);
    const { view, requestId } = await this.statuses.forLink(orgId, taskId);
    const form = requestId
      ? { action: `/status/${token}/answer`, requestId, formToken: this.requests.formToken(token, requestId), ...refused }
      : undefined;
    return statusPage(view, form);
  }

  private send(reply: FastifyReply, status: number, page: string): void {
    void reply.status(status).headers(statusPageHeaders).send(page);
  }
}
