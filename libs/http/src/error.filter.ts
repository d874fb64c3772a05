import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { throwError } from 'rxjs';
import { toErrorResponse } from './error-response';
import type { NatsContext } from '@nestjs/microservices';
import { correlationIdOf } from './correlation';

/** Every error leaves as the same JSON body; only unexpected ones are logged with a stack. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost) {
    if (host.getType() === 'rpc') {
      const context = host.switchToRpc().getContext<NatsContext>();
      const { body, unexpected } = toErrorResponse(error, correlationIdOf(context.getHeaders()));
      this.report(error, body.correlationId, unexpected, context.getSubject());
      return throwError(() => new RpcException(body).getError());
    }
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { body, unexpected, retryAfterSeconds } = toErrorResponse(error, String(request.id));
    // The path only: query strings may carry an access token (SSE).
    this.report(error, body.correlationId, unexpected, `${request.method} ${request.url.split('?')[0]}`);
    if (retryAfterSeconds !== undefined) void reply.header('retry-after', String(retryAfterSeconds));
    // A route may have set another content type (/metrics: text/plain) before it failed.
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private report(error: unknown, correlationId: string, unexpected: boolean, where: string) {
    if (unexpected) this.logger.error({ correlationId, err: error, where }, 'unexpected error');
  }
}
