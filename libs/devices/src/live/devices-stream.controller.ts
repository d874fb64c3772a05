import { type BeforeApplicationShutdown, Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { AcceptQueryToken, Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { DevicesLive } from './devices.live';

const keepAliveMs = 15_000;
const maxBufferedBytes = 64 * 1024;

@ApiTags('devices')
@ApiBearerAuth()
@Controller('api/devices/stream')
export class DevicesStreamController implements BeforeApplicationShutdown {
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly live: DevicesLive) {}

  @ApiOperation({
    summary:
      "Server-sent events: `event: devices.changed` whenever a device of the caller's organisation comes online or " +
      'goes offline, or one of its runs changes. Reload what is on screen; no data rides along.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An event stream: `event: devices.changed` lines, and a comment every 15 s.',
    content: { 'text/event-stream': { schema: { type: 'string', example: 'event: devices.changed\ndata: {}\n\n' } } },
  })
  @ApiQuery({ name: 'access_token', required: false, description: 'For EventSource, which cannot send headers.' })
  @Allow({ roles: everyone })
  @AcceptQueryToken()
  @Get()
  stream(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    reply.hijack();
    const raw = reply.raw;
    if (request.raw.socket.destroyed) return;
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) raw.setHeader(name, value);
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (text: string): void => {
      if (raw.writableEnded) return;
      if (raw.writableLength > maxBufferedBytes) raw.destroy();
      else raw.write(text);
    };
    send(': connected\n\n');
    // Many changes in a moment (a group run) become one event.
    let pending: NodeJS.Timeout | undefined;
    const unsubscribe = this.live.subscribe(principal.orgId, () => {
      pending ??= setTimeout(() => {
        pending = undefined;
        send('event: devices.changed\ndata: {}\n\n');
      }, 100);
    });
    const keepAlive = setInterval(() => send(': keep-alive\n\n'), keepAliveMs);
    this.open.add(raw);
    raw.on('close', () => {
      clearInterval(keepAlive);
      clearTimeout(pending);
      unsubscribe();
      this.open.delete(raw);
    });
  }

  beforeApplicationShutdown(): void {
    for (const raw of this.open) raw.end();
  }
}
