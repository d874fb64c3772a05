import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, type NatsContext, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '@taskinbox/auth';
import { correlationIdOf } from '@taskinbox/http';
import { taskSubjects } from '@taskinbox/ingest';
import { AttachmentCatalog } from '../serving/attachment.catalog';
import type { UploadedAttachmentView } from '../serving/attachment.view';
import { urlAttachmentRule } from './url-attachment.controller';
import { UrlAttachmentMessage } from './url-attachment.dto';
import { UrlIntake } from './url.intake';

/** `tasks.attach` over NATS: the same as POST /api/tasks/{id}/attachments, with `taskId` in the body. */
// NATS request/reply, not HTTP: kept out of the OpenAPI document (the AsyncAPI one covers NATS).
@ApiExcludeController()
@Controller()
export class UrlAttachmentNatsController {
  constructor(
    private readonly intake: UrlIntake,
    private readonly catalog: AttachmentCatalog,
  ) {}

  @Allow(urlAttachmentRule)
  @MessagePattern(taskSubjects.attach)
  async attach(@CurrentPrincipal() principal: Principal, @Payload() body: UrlAttachmentMessage, @Ctx() context: NatsContext): Promise<UploadedAttachmentView> {
    const accepted = await this.intake.attach(principal, body.taskId, { url: body.url, name: body.name, correlationId: correlationIdOf(context.getHeaders()) });
    return this.catalog.uploaded(principal.orgId, accepted);
  }
}
