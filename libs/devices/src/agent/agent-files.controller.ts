import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG, type Config } from '@taskinbox/config';
import { Public } from '@taskinbox/auth';
import { devicesErrors } from '../devices.errors';

/** What the one-command installer fetches, by name: nothing else in the directory is served. */
const agentFiles: Record<string, string> = {
  'install.sh': 'text/x-shellscript; charset=utf-8',
  'taskinbox-agent.service': 'text/plain; charset=utf-8',
  'taskinbox-agent.js': 'text/javascript; charset=utf-8',
};

/**
 * The agent as this server ships it (npm run build:agent puts it in dist/agent): the installer,
 * the systemd unit and the bundled daemon. Public, like any download page: they hold no secret,
 * and enrolment still needs a single-use token.
 */
@ApiTags('device agents')
@Public()
@Controller('api/devices/agent-files')
export class AgentFilesController {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  @ApiOperation({
    summary:
      'The agent installer (install.sh), its systemd unit and the bundled agent, for ' +
      '`curl -fsSL <server>/api/devices/agent-files/install.sh | sudo sh -s -- --server <server> --token tie_…`.',
  })
  @ApiParam({ name: 'file', enum: Object.keys(agentFiles) })
  @ApiProduces(...new Set(Object.values(agentFiles)))
  @ApiOkResponse({
    description: 'The file.',
    content: Object.fromEntries(Object.values(agentFiles).map((type) => [type, { schema: { type: 'string' } }])),
  })
  @Get(':file')
  async file(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    const type = Object.hasOwn(agentFiles, file) ? agentFiles[file] : undefined;
    if (!type) throw devicesErrors.agentFileNotFound(file);
    const content = await readFile(path.join(this.config.devices.agentFilesDir, file)).catch(() => {
      throw devicesErrors.agentFileNotFound(file);
    });
    await reply.header('content-type', type).header('cache-control', 'no-cache').send(content);
  }
}
