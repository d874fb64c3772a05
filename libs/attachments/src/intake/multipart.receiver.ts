import { Busboy, type BusboyHeaders } from '@fastify/busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { AttachmentUploadInvalid } from '../attachments.errors';
import type { StagedFile } from './attachment.intake';

/**
 * Reads one multipart/form-data body: the part named `file` is staged through `stage` (which
 * enforces the per-file limit as bytes arrive); other parts are skipped. On any refusal the
 * rest of the body is drained, unread, so the client hears the answer.
 */
export function receiveMultipartFile(
  raw: IncomingMessage,
  stage: (source: Readable) => Promise<StagedFile>,
): Promise<{ staged: StagedFile; filename: string }> {
  return new Promise((resolve, reject) => {
    let busboy: ReturnType<typeof Busboy>;
    try {
      busboy = Busboy({ headers: raw.headers as BusboyHeaders, limits: { files: 1, fields: 20, parts: 21, fieldSize: 10_000 } });
    } catch (error) {
      raw.resume();
      reject(new AttachmentUploadInvalid(`Not a multipart/form-data body: ${(error as Error).message}`));
      return;
    }
    let staging: Promise<{ staged: StagedFile; filename: string }> | undefined;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      raw.unpipe(busboy);
      raw.resume();
      reject(error);
    };
    busboy.on('file', (field, stream, filename) => {
      if (field !== 'file' || staging) {
        stream.resume();
        return;
      }
      staging = stage(stream).then((staged) => ({ staged, filename }));
      staging.catch(fail);
    });
    busboy.on('error', (error) => fail(new AttachmentUploadInvalid(`Malformed multipart body: ${(error as Error).message}`)));
    busboy.on('finish', () => {
      if (!staging) fail(new AttachmentUploadInvalid("No file in the body: send it as the multipart field 'file'."));
      else staging.then(resolve, fail);
    });
    raw.pipe(busboy);
  });
}
