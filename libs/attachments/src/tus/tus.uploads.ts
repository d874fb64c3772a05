import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { actorRef, type Principal } from '@taskinbox/auth';
import { toErrorResponse } from '@taskinbox/http';
import { type AttachmentIntake, cleanName } from '../intake/attachment.intake';

export const tusPath = '/api/uploads/tus';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Caller {
  principal: Principal;
  correlationId: string;
}

/** A tus refusal: the status and a plain-text body naming what is wrong. */
const refuse = (status: number, message: string) => ({ status_code: status, body: `${message}\n` });

/**
 * Resumable uploads (tus 1.0, `@tus/server`) for services and phones on flaky networks. An
 * upload names its task in Upload-Metadata (`taskId`, `filename`); it is bound to whoever created
 * it (another caller's HEAD or PATCH answers 404), limited to the per-file size at creation
 * (Upload-Length over it: 413), staged on local disk, and taken in through the same intake as
 * multipart once complete; the last PATCH answers `X-Attachment-Id`.
 */
export class TusUploads {
  private readonly server: Server;
  private readonly store: FileStore;
  private readonly caller = new AsyncLocalStorage<Caller>();

  constructor(
    private readonly intake: AttachmentIntake,
    private readonly directory: string,
    maxFileBytes: number,
  ) {
    this.store = new FileStore({ directory });
    this.server = new Server({
      path: tusPath,
      datastore: this.store,
      maxSize: maxFileBytes,
      relativeLocation: true,
      // Unguessable ids: an upload URL is not shared, but it should not be found either.
      namingFunction: () => randomUUID(),
      onUploadCreate: async (_request, upload) => {
        const { principal } = this.current();
        const taskId = upload.metadata?.taskId ?? '';
        if (!uuidPattern.test(taskId)) throw refuse(400, 'Upload-Metadata must name the task: taskId (a UUID).');
        await this.intake.assertTaskVisible(principal, taskId).catch(this.asTusRefusal);
        return { metadata: { ...upload.metadata, owner: ownerOf(principal) } };
      },
      onIncomingRequest: async (request, uploadId) => {
        if (request.method === 'POST' || !uploadId) return;
        const upload = await this.store.getUpload(uploadId).catch(() => undefined);
        // Someone else's upload answers like a missing one.
        if (upload && upload.metadata?.owner !== ownerOf(this.current().principal)) throw refuse(404, 'Upload not found.');
      },
      onUploadFinish: async (_request, upload) => {
        const { principal, correlationId } = this.current();
        const file = path.join(this.directory, upload.id);
        try {
          const staged = await this.intake.stage(createReadStream(file));
          const accepted = await this.intake
            .accept(principal, upload.metadata?.taskId ?? '', staged, {
              name: cleanName(upload.metadata?.filename ?? upload.metadata?.name ?? undefined),
              via: 'tus',
              correlationId,
            })
            .catch(this.asTusRefusal);
          return { headers: { 'x-attachment-id': accepted.id } };
        } finally {
          await rm(file, { force: true });
          await rm(`${file}.json`, { force: true });
        }
      },
    });
  }

  /** Serves one tus request for `principal` (already authenticated by the API's guard). */
  handle(principal: Principal, correlationId: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    return this.caller.run({ principal, correlationId }, () => this.server.handle(request, response));
  }

  private current(): Caller {
    const caller = this.caller.getStore();
    if (!caller) throw refuse(401, 'Not signed in.');
    return caller;
  }

  /** The API's own refusals (404 task, 413 quota, 409 …) as tus refusals with the same status and message. */
  private readonly asTusRefusal = (error: unknown): never => {
    const { body, unexpected } = toErrorResponse(error, this.current().correlationId);
    if (unexpected) throw error;
    throw refuse(body.statusCode, body.message);
  };
}

const ownerOf = (principal: Principal): string => `${principal.orgId}/${actorRef(principal.actor)}`;

export const tusStagingDir = (attachmentsDir: string): string => path.join(attachmentsDir, '.staging', 'tus');
