import { Controller, Delete, Get, Inject, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow, CurrentPrincipal, everyone, type Principal, Public } from '@taskinbox/auth';
import { AttachmentErased, AttachmentNotFound } from '../attachments.errors';
import { BLOB_STORE } from '../attachments.tokens';
import { AttachmentEraser } from '../erasure/attachment.eraser';
import { inlineTypes } from '../intake/content.sniffer';
import { type BlobStore, blobKey } from '../storage/blob.store';
import { AttachmentCatalog } from './attachment.catalog';
import { AttachmentView } from './attachment.view';
import { FileLinks, type FileVariant, fileVariants } from './file.links';

const readers = { roles: everyone, scopes: ['tasks:read', 'tasks:write'] } as const;

/** RFC 6266 filename: an ASCII fallback and the UTF-8 name. */
const disposition = (kind: 'inline' | 'attachment', name: string): string =>
  `${kind}; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

@ApiTags('attachments')
@Controller('api')
export class AttachmentController {
  constructor(
    private readonly catalog: AttachmentCatalog,
    private readonly links: FileLinks,
    private readonly eraser: AttachmentEraser,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  @ApiOperation({ summary: "A task's attachments, oldest first, with their previews and signed links (short-lived)." })
  @ApiBearerAuth()
  @ApiOkResponse({ type: AttachmentView, isArray: true })
  @Allow(readers)
  @Get('tasks/:id/attachments')
  list(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) taskId: string): Promise<AttachmentView[]> {
    return this.catalog.ofTask(principal, taskId);
  }

  @ApiOperation({ summary: 'One attachment with its preview and fresh signed links.' })
  @ApiBearerAuth()
  @ApiOkResponse({ type: AttachmentView })
  @Allow(readers)
  @Get('attachments/:id')
  one(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AttachmentView> {
    return this.catalog.one(principal, id);
  }

  @ApiOperation({
    summary: "Erase an attachment's content on request (GDPR): bytes and previews are deleted; the task's history keeps the event.",
    description: 'Every attachment of the organisation with the same content loses it too (content is stored once). Admins only.',
  })
  @ApiBearerAuth()
  @ApiOkResponse({ type: AttachmentView })
  @Allow({ roles: ['admin'] })
  @Delete('attachments/:id/content')
  async erase(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AttachmentView> {
    await this.eraser.erase(principal, id);
    return this.catalog.one(principal, id);
  }

  @ApiOperation({
    summary: 'The bytes behind a signed link (from GET /api/attachments/{id}). No other credential: the signature is it.',
    description:
      'Images are shown inline; anything else is a download (Content-Disposition: attachment). Always with ' +
      'X-Content-Type-Options: nosniff and a sandboxing Content-Security-Policy. 403 when the link is expired or altered.',
  })
  @ApiParam({ name: 'variant', enum: fileVariants })
  @ApiQuery({ name: 'expires', required: true })
  @ApiQuery({ name: 'signature', required: true })
  @ApiProduces('application/octet-stream', 'image/webp')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  @Public()
  @Get('attachments/:id/files/:variant')
  async file(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('variant') variant: string,
    @Query('expires') expires: string | undefined,
    @Query('signature') signature: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!fileVariants.includes(variant as FileVariant)) throw new AttachmentNotFound();
    this.links.verify(id, variant as FileVariant, expires, signature);
    const row = await this.catalog.row(id);
    if (!row) throw new AttachmentNotFound();
    if (row.erased_at) throw new AttachmentErased();
    const original = variant === 'original';
    const opened = await this.store.open(blobKey(row.org_id, row.sha256, original ? undefined : variant));
    if (!opened) throw original ? new AttachmentErased() : new AttachmentNotFound();
    const inline = !original || inlineTypes.has(row.content_type);
    const contentType = original ? (inline ? row.content_type : 'application/octet-stream') : 'image/webp';
    const name = original ? row.name : `${row.name}.${variant}.webp`;
    void reply
      .header('content-type', contentType)
      .header('content-length', String(opened.sizeBytes))
      .header('content-disposition', disposition(inline ? 'inline' : 'attachment', name))
      .header('x-content-type-options', 'nosniff')
      // Even if a browser did render it, it would be an opaque origin that runs nothing and loads nothing.
      .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
      .header('cross-origin-resource-policy', 'same-origin')
      .header('cache-control', 'private, max-age=300')
      .header('referrer-policy', 'no-referrer')
      .send(opened.body);
  }
}
