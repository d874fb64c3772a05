import { Controller, Delete, Head, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, type Principal, workers } from '@taskinbox/auth';
import { TusUploads } from './tus.uploads';

const uploaders = { roles: workers, scopes: ['tasks:write'] } as const;
const empty = {
  description: 'tus answers carry their facts in headers (Location, Upload-Offset, Upload-Length, X-Attachment-Id).',
  content: { 'text/plain': { schema: { type: 'string', maxLength: 0 } } },
};

/** The tus 1.0 protocol's routes; @tus/server answers them on the raw request once the guard let the caller in. */
@ApiTags('attachments')
@ApiBearerAuth()
@ApiHeader({ name: 'Tus-Resumable', required: true, description: '1.0.0' })
@Controller('api/uploads/tus')
export class TusController {
  constructor(private readonly uploads: TusUploads) {}

  @ApiOperation({
    summary: 'Start a resumable upload (tus creation). Upload-Metadata: taskId (required), filename.',
    description: 'Upload-Length over ATTACHMENTS_MAX_FILE_BYTES is refused with 413 before any byte is sent. Answers Location.',
  })
  @ApiCreatedResponse(empty)
  @Allow(uploaders)
  @Post()
  create(@CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pass(principal, request, reply);
  }

  @ApiOperation({ summary: 'How much of an upload the server has (Upload-Offset): where a client resumes.' })
  @ApiOkResponse(empty)
  @Allow(uploaders)
  @Head(':uploadId')
  offset(@CurrentPrincipal() principal: Principal, @Param('uploadId') _id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pass(principal, request, reply);
  }

  @ApiOperation({
    summary: 'Send bytes from Upload-Offset (application/offset+octet-stream).',
    description: 'The PATCH that completes the upload takes the file in (sniffed, deduplicated, within limits) and answers X-Attachment-Id.',
  })
  @ApiConsumes('application/offset+octet-stream')
  @ApiNoContentResponse(empty)
  @Allow(uploaders)
  @Patch(':uploadId')
  append(@CurrentPrincipal() principal: Principal, @Param('uploadId') _id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pass(principal, request, reply);
  }

  @ApiOperation({ summary: 'Abandon an unfinished upload (tus termination).' })
  @ApiNoContentResponse(empty)
  @Allow(uploaders)
  @Delete(':uploadId')
  abandon(@CurrentPrincipal() principal: Principal, @Param('uploadId') _id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pass(principal, request, reply);
  }

  private async pass(principal: Principal, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    // From here the raw response is tus's; the correlation id Fastify set is carried over.
    reply.hijack();
    reply.raw.setHeader('x-correlation-id', String(request.id));
    await this.uploads.handle(principal, String(request.id), request.raw, reply.raw);
  }
}
