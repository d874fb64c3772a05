import type { Pool } from 'pg';
import { actorRef, type Principal } from '@taskinbox/auth';
import { inTransaction } from '@taskinbox/database';
import type { AttachmentCatalog } from '../serving/attachment.catalog';
import { type BlobStore, blobKey } from '../storage/blob.store';

/**
 * Erases an attachment's bytes on request (GDPR): the content and its previews leave the store,
 * for every attachment of the organisation with the same content. The task's events stay as
 * they are — the history still says a file was attached, by whom and when; the blob row keeps
 * who erased it and when.
 */
export class AttachmentEraser {
  constructor(
    private readonly pool: Pool,
    private readonly store: BlobStore,
    private readonly catalog: AttachmentCatalog,
  ) {}

  async erase(principal: Principal, attachmentId: string): Promise<void> {
    const view = await this.catalog.one(principal, attachmentId);
    const { orgId } = principal;
    await inTransaction(this.pool, async (db) => {
      await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 90))', [orgId]);
      await db.query(
        `UPDATE attachment_blobs SET erased_at = now(), erased_by = $3, preview_text = NULL
         WHERE org_id = $1 AND sha256 = $2 AND erased_at IS NULL`,
        [orgId, view.sha256, actorRef(principal.actor)],
      );
      // Under the lock, so an upload of the same content cannot slip in between.
      for (const key of await this.store.list(blobKey(orgId, view.sha256))) await this.store.delete(key);
    });
  }
}
