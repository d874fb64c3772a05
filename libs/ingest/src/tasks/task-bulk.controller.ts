import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, permits, type Principal, workers } from '@taskinbox/auth';
import { toErrorResponse, validationPipe } from '@taskinbox/http';
import { type BulkAction, BulkResponseDto, type BulkResultDto, BulkTaskDto } from './task-bulk.dto';
import { type TaskCommandSpec, taskCommandTable as commands } from './task-command.table';
import { TaskCommandHandler } from './task-command.handler';

const bulkCommands: Record<BulkAction, TaskCommandSpec<unknown>> = {
  assign: commands.assign as TaskCommandSpec<unknown>,
  unassign: commands.unassign as TaskCommandSpec<unknown>,
  tag: commands.tag as TaskCommandSpec<unknown>,
  cancel: commands.cancel as TaskCommandSpec<unknown>,
  delete: commands.delete as TaskCommandSpec<unknown>,
};

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('api')
export class TaskBulkController {
  constructor(private readonly tasks: TaskCommandHandler) {}

  @ApiOperation({
    summary: 'One command on up to 100 tasks: assign, unassign, tag, cancel or delete.',
    description:
      'Each task gets the same command as its single route (same permissions and checks), one after another; the answer lists each outcome. ' +
      'A refused task does not stop the others. 400 only when the request itself is wrong (args that fit no task).',
  })
  @ApiOkResponse({ type: BulkResponseDto })
  @Allow({ roles: workers, scopes: ['tasks:write'] })
  @Post('tasks/bulk')
  @HttpCode(200)
  async bulk(@CurrentPrincipal() principal: Principal, @Body() body: BulkTaskDto, @Req() request: FastifyRequest): Promise<BulkResponseDto> {
    const spec = bulkCommands[body.action];
    // The args are one body for every task: checked once against the command's DTO, as its route would.
    const args = spec.body ? await validationPipe.transform(body.args ?? {}, { type: 'body', metatype: spec.body }) : undefined;
    const ids = [...new Set(body.ids.map((one) => one.toLowerCase()))];
    // The route lets in whoever may run any of its commands; this one may be narrower (delete: admins).
    if (!permits(spec.allow, principal)) return { results: ids.map((id) => ({ id, ok: false, statusCode: 403, message: `You may not ${body.action} tasks.` })) };
    const results: BulkResultDto[] = [];
    for (const id of ids) {
      try {
        const outcome = await this.tasks.run(principal, id, spec, args, String(request.id));
        results.push({ id, ok: true, statusCode: body.action === 'delete' ? 204 : 200, version: outcome.version });
      } catch (error) {
        const { body: refused } = toErrorResponse(error, String(request.id));
        results.push({ id, ok: false, statusCode: refused.statusCode, message: refused.message });
      }
    }
    return { results };
  }
}
