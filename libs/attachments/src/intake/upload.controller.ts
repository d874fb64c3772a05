import { Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Allow, CurrentPrincipal, type Principal, workers } from '@taskinbox/auth';
import { AttachmentTooLarge } from '../attachments.errors';
import { ATTACHMENT_LIMITS, type AttachmentLimits } from '../attachments.tokens';
import { AttachmentCatalog } from '../serving/attachment.catalog';
import { UploadedAttachmentView } from '../serving/attachment.view';
import { AttachmentIntake, cleanName } from './attachment.intake';
import { receiveMultipartFile } from './multipart.receiver';

// Multipart framing around the file: a body this much over the file limit is refused unread.
const framingSlackBytes = 64 * 1024;

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('api')
export class UploadController {
  constructor(
    private readonly intake: AttachmentIntake,
    private readonly catalog: AttachmentCatalog,
    @Inject(ATTACHMENT_LIMITS) private readonly limits: AttachmentLimits,
  ) {}

  @ApiOperation({
    summary: 'Upload a file to a task (multipart/form-data, field `file`).',
    description:
      'The content type is sniffed from the bytes; identical content is stored once per organisation. ' +
      'Over the per-file or the organisation limit: 413 naming the limit, and nothing is stored. ' +
      'Previews are made afterwards; the answer says pending. For large files or flaky networks use the tus endpoint.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: UploadedAttachmentView })
  @ApiPayloadTooLargeResponse({ description: 'Over ATTACHMENTS_MAX_FILE_BYTES or ATTACHMENTS_ORG_QUOTA_BYTES; the message names which.' })
  @Allow({ roles: workers, scopes: ['tasks:write'] })
  @Post('tasks/:id/attachments/upload')
  @HttpCode(201)
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) taskId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UploadedAttachmentView> {
    const declared = Number(request.headers['content-length']);
    try {
      if (declared > this.limits.maxFileBytes + framingSlackBytes) throw new AttachmentTooLarge(this.limits.maxFileBytes);
      await this.intake.assertTaskVisible(principal, taskId);
      const { staged, filename } = await receiveMultipartFile(request.raw, (source) => this.intake.stage(source));
      const accepted = await this.intake.accept(principal, taskId, staged, {
        name: cleanName(filename),
        via: 'multipart',
        correlationId: String(request.id),
      });
      return await this.catalog.uploaded(principal.orgId, accepted);
    } catch (error) {
      // The body may still be arriving: end the connection after the answer rather than read it all.
      if (!request.raw.readableEnded) {
        void reply.header('connection', 'close');
        request.raw.resume();
      }
      throw error;
    }
  }
}
