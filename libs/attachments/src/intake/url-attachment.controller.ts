import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { type AccessRule, Allow, CurrentPrincipal, type Principal, workers } from '@taskinbox/auth';
import { AttachmentCatalog } from '../serving/attachment.catalog';
import { UploadedAttachmentView } from '../serving/attachment.view';
import { UrlAttachmentDto } from './url-attachment.dto';
import { UrlIntake } from './url.intake';

export const urlAttachmentRule: AccessRule = { roles: workers, scopes: ['tasks:write'] };

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('api')
export class UrlAttachmentController {
  constructor(
    private readonly intake: UrlIntake,
    private readonly catalog: AttachmentCatalog,
  ) {}

  @ApiOperation({
    summary: 'Attach a file by URL: the server fetches it once and keeps the bytes, so viewers never contact the sender.',
    description:
      'The address (and every redirect) must pass the same guard as webhooks: private, loopback and cloud metadata addresses are refused ' +
      'unless ATTACHMENTS_FETCH_ALLOWED_HOSTS names them. The type is sniffed and the size measured; limits as for uploads.',
  })
  @ApiCreatedResponse({ type: UploadedAttachmentView })
  @ApiPayloadTooLargeResponse({ description: 'Over ATTACHMENTS_MAX_FILE_BYTES or ATTACHMENTS_ORG_QUOTA_BYTES; nothing is stored.' })
  @ApiUnprocessableEntityResponse({ description: 'attachment_fetch_failed: refused address, error status, timeout or broken connection; nothing is stored.' })
  @Allow(urlAttachmentRule)
  @Post('tasks/:id/attachments')
  @HttpCode(201)
  async attach(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) taskId: string,
    @Body() body: UrlAttachmentDto,
    @Req() request: FastifyRequest,
  ): Promise<UploadedAttachmentView> {
    const accepted = await this.intake.attach(principal, taskId, { url: body.url, name: body.name, correlationId: String(request.id) });
    return this.catalog.uploaded(principal.orgId, accepted);
  }
}
