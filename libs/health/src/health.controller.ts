import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@taskinbox/auth';
import { HealthService } from './health.service';
import { LivenessView, ReadinessView } from './health.view';

/** Probes for orchestrators and load balancers: public, since they hold no credentials. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @ApiOperation({ summary: 'Liveness: the process answers. Restart it when this fails.' })
  @ApiOkResponse({ type: LivenessView })
  @Public()
  @Get('live')
  live(): LivenessView {
    return { status: 'ok' };
  }

  @ApiOperation({
    summary:
      'Readiness: every dependency of this service answered in time (HEALTH_TIMEOUT_MS) and the projector and relay are ' +
      'not too far behind the event store. 503 names the check that failed; send no traffic until it passes.',
  })
  @ApiOkResponse({ type: ReadinessView })
  @ApiServiceUnavailableResponse({ type: ReadinessView, description: 'A check failed; `checks` says which and why.' })
  @Public()
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessView> {
    const readiness = await this.health.readiness();
    if (readiness.status !== 'ok') void reply.status(503);
    return readiness;
  }
}
