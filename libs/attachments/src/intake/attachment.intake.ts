import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { actorRef, type Principal } from '@taskinbox/auth';
import { inTransaction } from '@taskinbox/database';
import type { TaskChange, TaskCommandHandler } from '@taskinbox/ingest';
import { AttachmentQuotaExceeded, AttachmentTooLarge } from '../attachments.errors';
import { type BlobStore, blobKey } from '../storage/blob.store';
import { sniffContentType } from './content.sniffer';

/** An upload written whole to the staging directory, hashed on the way. */
export interface StagedFile {
  path: string;
  sha256: string;
  sizeBytes: number;
}

export type ArrivedVia = 'multipart' | 'tus' | 'url';

export interface IntakeLimits {
  maxFileBytes: number;
  orgQuotaBytes: number;
  stagingDir: string;
}

export interface AcceptedAttachment {
  id: string;
  sha256: string;
  contentType: string;
  sizeBytes: number;
  /** True when the organisation already had these bytes (nothing new stored, no quota used). */
  deduplicated: boolean;
}

/** What to do when new bytes need a preview: the preview queue, off the request path. */
export type PreviewRequest = (orgId: string, sha256: string) => Promise<void>;

class ByteCounter extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.size += chunk.length;
    if (this.size > this.limit) return done(new AttachmentTooLarge(this.limit));
    this.hash.update(chunk);
    done(null, chunk);
  }
}

/** Names as people gave them, without paths or control characters, at most 200 characters. */
export function cleanName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const name = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return name || 'file';
}

/**
 * Takes a file into the organisation's attachments: stages and hashes it (refusing it past the
 * per-file limit), sniffs its type, stores it once per organisation (deduplicated by SHA-256,
 * within the organisation's quota), records the attachment and appends TaskAttachmentAdded to the
 * task. Either all of that happens or the caller hears why not and nothing new is kept.
 */
export class AttachmentIntake {
  constructor(
    private readonly pool: Pool,
    private readonly store: BlobStore,
    private readonly tasks: TaskCommandHandler,
    private readonly limits: IntakeLimits,
    private readonly requestPreview: PreviewRequest,
  ) {}

  /** Writes `source` to a staging file while hashing it; AttachmentTooLarge past the per-file limit, leaving nothing behind. */
  async stage(source: Readable): Promise<StagedFile> {
    await mkdir(this.limits.stagingDir, { recursive: true });
    const at = path.join(this.limits.stagingDir, `${randomUUID()}.upload`);
    const counter = new ByteCounter(this.limits.maxFileBytes);
    try {
      await pipeline(source, counter, createWriteStream(at));
    } catch (error) {
      await rm(at, { force: true });
      throw error;
    }
    return { path: at, sha256: counter.hash.digest('hex'), sizeBytes: counter.size };
  }

  /** 404 (like a missing task) unless the caller may see the task: checked before any byte is read. */
  async assertTaskVisible(principal: Principal, taskId: string): Promise<void> {
    await this.tasks.load(principal, taskId);
  }

  /** Takes a staged file in (see the class); the staging file is removed either way. */
  async accept(
    principal: Principal,
    taskId: string,
    staged: StagedFile,
    input: { name: string; via: ArrivedVia; sourceUrl?: string; correlationId: string },
  ): Promise<AcceptedAttachment> {
    try {
      if (staged.sizeBytes > this.limits.maxFileBytes) throw new AttachmentTooLarge(this.limits.maxFileBytes);
      await this.assertTaskVisible(principal, taskId);
      const contentType = await sniffContentType(staged.path);
      const id = uuidv7();
      const { orgId } = principal;
      const { fresh, needsPreview } = await inTransaction(this.pool, async (db) => {
        // One upload per organisation decides at a time, so two cannot both squeeze under the quota.
        await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 90))', [orgId]);
        const existing = await db.query<{ erased: boolean; preview_status: string }>(
          'SELECT erased_at IS NOT NULL AS erased, preview_status FROM attachment_blobs WHERE org_id = $1 AND sha256 = $2',
          [orgId, staged.sha256],
        );
        const known = existing.rows[0];
        const fresh = !known || known.erased;
        if (fresh) {
          const used = await db.query<{ used: string }>(
            'SELECT COALESCE(SUM(size_bytes), 0)::text AS used FROM attachment_blobs WHERE org_id = $1 AND erased_at IS NULL',
            [orgId],
          );
          const usedBytes = Number(used.rows[0].used);
          if (usedBytes + staged.sizeBytes > this.limits.orgQuotaBytes) throw new AttachmentQuotaExceeded(this.limits.orgQuotaBytes, usedBytes);
          // Bytes first, then the row that points at them: a failed commit leaves at most unreferenced bytes.
          await this.store.put(blobKey(orgId, staged.sha256), staged.path, contentType);
          await db.query(
            `INSERT INTO attachment_blobs (org_id, sha256, size_bytes, content_type) VALUES ($1, $2, $3, $4)
             ON CONFLICT (org_id, sha256) DO UPDATE SET erased_at = NULL, erased_by = NULL, preview_status = 'pending',
               preview_kind = NULL, preview_text = NULL, preview_error = NULL, size_bytes = EXCLUDED.size_bytes, content_type = EXCLUDED.content_type`,
            [orgId, staged.sha256, staged.sizeBytes, contentType],
          );
        }
        await db.query(
          `INSERT INTO attachments (id, org_id, task_id, sha256, name, via, source_url, added_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [id, orgId, taskId, staged.sha256, input.name, input.via, input.sourceUrl ?? null, actorRef(principal.actor)],
        );
        return { fresh, needsPreview: fresh || known?.preview_status === 'pending' };
      });

      const attachment = { id, name: input.name, url: `/api/attachments/${id}`, contentType, sizeBytes: staged.sizeBytes, sha256: staged.sha256 };
      const change: TaskChange = (_, by, now) => ({ type: 'AddTaskAttachment', attachment, by, now });
      try {
        await this.tasks.execute(principal, taskId, change, input.correlationId);
      } catch (error) {
        // The task refused it: the attachment never happened; bytes nobody else references go too.
        await this.forget(orgId, id, staged.sha256, fresh);
        throw error;
      }
      if (needsPreview) await this.requestPreview(orgId, staged.sha256);
      return { id, sha256: staged.sha256, contentType, sizeBytes: staged.sizeBytes, deduplicated: !fresh };
    } finally {
      await rm(staged.path, { force: true });
    }
  }

  private async forget(orgId: string, id: string, sha256: string, fresh: boolean): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 90))', [orgId]);
      await db.query('DELETE FROM attachments WHERE id = $1', [id]);
      if (!fresh) return;
      const left = await db.query('SELECT 1 FROM attachments WHERE org_id = $1 AND sha256 = $2 LIMIT 1', [orgId, sha256]);
      if (left.rowCount === 0) {
        await db.query('DELETE FROM attachment_blobs WHERE org_id = $1 AND sha256 = $2', [orgId, sha256]);
        await this.store.delete(blobKey(orgId, sha256));
      }
    });
  }
}
