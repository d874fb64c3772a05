import type { Pool } from 'pg';
import type { Principal } from '@taskinbox/auth';
import type { TaskCommandHandler } from '@taskinbox/ingest';
import { AttachmentNotFound } from '../attachments.errors';
import type { AttachmentView, UploadedAttachmentView } from './attachment.view';
import type { FileLinks } from './file.links';

export interface AttachmentRow {
  id: string;
  org_id: string;
  task_id: string;
  sha256: string;
  name: string;
  via: 'multipart' | 'tus' | 'url';
  source_url: string | null;
  added_by: string;
  created_at: Date;
  size_bytes: string;
  content_type: string;
  preview_status: 'pending' | 'ready' | 'failed';
  preview_kind: 'image' | 'text' | 'icon' | null;
  preview_text: string | null;
  preview_error: string | null;
  erased_at: Date | null;
}

const columns = `a.id, a.org_id, a.task_id, a.sha256, a.name, a.via, a.source_url, a.added_by, a.created_at,
  b.size_bytes, b.content_type, b.preview_status, b.preview_kind, b.preview_text, b.preview_error, b.erased_at`;

/**
 * Reads attachments for callers: only within their organisation, and only of tasks they may
 * see (a private task's files follow the task), each with fresh signed links.
 */
export class AttachmentCatalog {
  constructor(
    private readonly pool: Pool,
    private readonly tasks: TaskCommandHandler,
    private readonly links: FileLinks,
  ) {}

  async ofTask(principal: Principal, taskId: string): Promise<AttachmentView[]> {
    await this.tasks.load(principal, taskId);
    const { rows } = await this.pool.query<AttachmentRow>(
      `SELECT ${columns} FROM attachments a JOIN attachment_blobs b USING (org_id, sha256)
       WHERE a.org_id = $1 AND a.task_id = $2 ORDER BY a.created_at, a.id`,
      [principal.orgId, taskId],
    );
    return rows.map((row) => this.view(row));
  }

  async one(principal: Principal, id: string): Promise<AttachmentView> {
    const row = await this.row(id, principal.orgId);
    if (!row) throw new AttachmentNotFound();
    // A task the caller may not see answers like a missing attachment.
    await this.tasks.load(principal, row.task_id).catch(() => {
      throw new AttachmentNotFound();
    });
    return this.view(row);
  }

  /** The row by id alone: for signed links, whose signature already says the caller could see it. */
  async row(id: string, orgId?: string): Promise<AttachmentRow | undefined> {
    const { rows } = await this.pool.query<AttachmentRow>(
      `SELECT ${columns} FROM attachments a JOIN attachment_blobs b USING (org_id, sha256)
       WHERE a.id = $1 ${orgId ? 'AND a.org_id = $2' : ''}`,
      orgId ? [id, orgId] : [id],
    );
    return rows[0];
  }

  /** The answer to a file just taken in (upload or URL): its view, and whether the bytes were already kept. */
  async uploaded(orgId: string, accepted: { id: string; deduplicated: boolean }): Promise<UploadedAttachmentView> {
    const row = await this.row(accepted.id, orgId);
    return { ...this.view(row!), deduplicated: accepted.deduplicated };
  }

  view(row: AttachmentRow): AttachmentView {
    const preview: AttachmentView['preview'] = { status: row.preview_status };
    if (row.preview_kind) preview.kind = row.preview_kind;
    if (row.preview_text !== null) preview.text = row.preview_text;
    if (row.preview_error !== null) preview.error = row.preview_error;
    const view: AttachmentView = {
      id: row.id,
      taskId: row.task_id,
      name: row.name,
      contentType: row.content_type,
      sizeBytes: Number(row.size_bytes),
      sha256: row.sha256,
      via: row.via,
      ...(row.source_url ? { sourceUrl: row.source_url } : {}),
      addedBy: row.added_by,
      addedAt: row.created_at.toISOString(),
      erased: row.erased_at !== null,
      preview,
    };
    if (row.erased_at) return view;
    const file = this.links.sign(row.id, 'original');
    view.links = { file: file.url, expiresAt: file.expiresAt };
    if (row.preview_status === 'ready' && row.preview_kind === 'image') {
      view.links.thumb = this.links.sign(row.id, 'thumb').url;
      view.links.phone = this.links.sign(row.id, 'phone').url;
    }
    return view;
  }
}
