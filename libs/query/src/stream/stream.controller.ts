import {
  type BeforeApplicationShutdown,
  Controller,
  Get,
  Inject,
  Req,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { AcceptQueryToken, Allow, CurrentAccess, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { type EventStore, InjectEventStore } from '@taskinbox/event-store';
import { TaskEventFeed, type TaskEventEnvelope } from '@taskinbox/messaging';
import { InjectPool } from '@taskinbox/database';
import { AssignedScopeFilter } from './assigned-scope.filter';
import { STREAM_OPTIONS, type StreamOptions } from './stream.options';

const maxBufferedBytes = 1024 * 1024;

// A line break in a field would end it and start another (or end the event): never let one through.
const field = (value: string): string => value.replace(/[\r\n]/g, '');

/**
 * One server-sent event per task event; the id is the log position. The feed has checked the
 * envelope's schema (no line breaks in type or position); `data` is JSON, which has no raw ones.
 */
function toSseEvent(envelope: TaskEventEnvelope): string {
  return `event: ${field(envelope.type)}\nid: ${field(envelope.position)}\ndata: ${JSON.stringify(envelope)}\n\n`;
}

/**
 * Sent once the stream is subscribed: the log's last position then (null when unknown). Every
 * event published before the subscription is at or before it, so a page read at or past it
 * (the inbox's `position`) missed nothing, and a client need not read it again.
 */
function readyEvent(position: string | null): string {
  return `event: ready\ndata: ${JSON.stringify({ position })}\n\n`;
}

@ApiTags('stream')
@ApiBearerAuth()
@Controller('api/stream')
export class StreamController implements BeforeApplicationShutdown {
  private readonly open = new Set<ServerResponse>();
  private readonly scope: AssignedScopeFilter;

  constructor(
    private readonly feed: TaskEventFeed,
    private readonly access: CurrentAccess,
    @Inject(STREAM_OPTIONS) private readonly options: StreamOptions,
    @InjectPool() pool: Pool,
    @InjectEventStore() private readonly store: EventStore,
  ) {
    this.scope = new AssignedScopeFilter(pool);
  }

  @ApiOperation({
    summary:
      "Server-sent events of the caller's organisation's task changes, as they happen (no replay: load state, then follow). " +
      '`event:` is the public type (task.claimed, …), `id:` the log position, `data:` the event envelope. ' +
      'First, once subscribed, `event: ready` with `data: {"position": …}`, the log\'s last position then (null when it could not be read): ' +
      "a page read at or past it (the inbox's `position`) missed nothing before the stream opened. " +
      'A comment line every 15 s keeps the connection open.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'The event stream (text/event-stream), open until the client or the session ends.',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiQuery({
    name: 'access_token',
    required: false,
    description: 'For EventSource, which cannot send headers: the session token or API key.',
  })
  // People only: the stream carries every task of the organisation, private ones included;
  // services hear about changes through webhooks or JetStream.
  @Allow({ roles: everyone })
  @AcceptQueryToken()
  @Get()
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const raw = reply.raw;
    // Events can arrive while the subscription is being confirmed, before the headers are out;
    // they wait here, because a write would send default headers, not the stream's.
    let early: string[] | undefined = [];
    const send = (text: string): void => {
      if (early) return void early.push(text);
      if (raw.writableEnded) return;
      // A client that stopped reading is dropped rather than buffered without bound; EventSource reconnects.
      if (raw.writableLength > maxBufferedBytes) raw.destroy();
      else raw.write(text);
    };
    let unsubscribe: () => void;
    try {
      // Subscribed before the headers go out, so a refusal can still be an error response.
      const { assignedTo } = principal;
      // A member limited to assigned tasks: each event checked in turn, so their order holds.
      let checked = Promise.resolve();
      unsubscribe = await this.feed.subscribe(principal.orgId, (envelope) => {
        if (!assignedTo) return send(toSseEvent(envelope));
        checked = checked
          .then(async () => {
            if (await this.scope.allows(envelope, assignedTo)) send(toSseEvent(envelope));
          })
          // Unsure what it may see, the stream ends; EventSource reconnects.
          .catch(() => void raw.destroy());
      });
    } catch {
      throw new ServiceUnavailableException('Live updates are unavailable right now; try again shortly.');
    }
    // From here on the socket is ours, not Fastify's.
    reply.hijack();
    if (request.raw.socket.destroyed) {
      unsubscribe();
      return;
    }
    // Headers set earlier in the request (x-correlation-id) still go out.
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) raw.setHeader(name, value);
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and similar proxies would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    const waiting = early;
    early = undefined;
    send(': connected\n\n');
    for (const text of waiting) send(text);
    // Read after the subscription is in place, so nothing published before it lies past this position.
    void this.store.lastPosition().then(
      (position) => send(readyEvent(position ?? null)),
      () => send(readyEvent(null)),
    );
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), this.options.heartbeatMs);
    this.open.add(raw);
    // Signing out, removal, blocking or a role change ends the stream; EventSource reconnects
    // and is let in again only if the session still may.
    const unwatch = this.access.watch(principal, () => raw.end());
    raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      unwatch();
      this.open.delete(raw);
    });
  }

  /** Open streams would keep the HTTP server from closing. */
  beforeApplicationShutdown(): void {
    for (const raw of this.open) raw.end();
  }
}
