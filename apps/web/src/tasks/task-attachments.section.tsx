import { useId, useState } from 'react';
import type { Actor, Attachment, TimelineEntry } from '../api/api.types';
import { useNameOf } from '../session/members.query';
import { formatBytes, formatDateTime, httpUrl } from './task.format';
import { AttachmentUpload } from './attachments/attachment.upload';
import { useStoredAttachments } from './attachments/attachments.query';
import { StoredAttachmentItem } from './attachments/stored-attachment.item';

export interface AddedAttachment {
  attachment: Attachment;
  revision: number;
  by: Actor;
  addedAt: string;
}

/** The attachments the timeline records, oldest first. */
export function attachmentsOf(timeline: TimelineEntry[]): AddedAttachment[] {
  return timeline.flatMap((entry) => {
    const attachment = entry.details.attachment;
    return entry.eventType === 'TaskAttachmentAdded' && isAttachment(attachment)
      ? [{ attachment, revision: entry.revision, by: entry.actor, addedAt: entry.occurredAt }]
      : [];
  });
}

const isAttachment = (value: unknown): value is Attachment =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Attachment).name === 'string' &&
  typeof (value as Attachment).url === 'string';

export function TaskAttachments({
  taskId,
  attachments,
  viewerId,
  canAttach,
}: {
  taskId: string;
  attachments: AddedAttachment[];
  viewerId: string;
  canAttach: boolean;
}) {
  const headingId = useId();
  const nameOf = useNameOf();
  const stored = useStoredAttachments(taskId, attachments.length);
  const byId = new Map((stored.data ?? []).map((file) => [file.id, file]));
  return (
    <section className="card task-section" aria-labelledby={headingId}>
      <h2 id={headingId}>
        Attachments {attachments.length > 0 && <span className="muted">({attachments.length})</span>}
      </h2>
      {attachments.length === 0 ? (
        <p className="muted">No attachments.</p>
      ) : (
        <ul className="attachments">
          {attachments.map((added) => {
            const file = added.attachment.sha256 ? byId.get(added.attachment.id) : undefined;
            return file ? (
              <StoredAttachmentItem
                key={added.revision}
                file={file}
                facts={`added by ${nameOf(added.by, viewerId)} · ${formatDateTime(added.addedAt)}`}
              />
            ) : (
              <AttachmentItem key={added.revision} added={added} viewerId={viewerId} />
            );
          })}
        </ul>
      )}
      {canAttach && <AttachmentUpload taskId={taskId} />}
    </section>
  );
}

function AttachmentItem({
  added: { attachment, by, addedAt },
  viewerId,
}: {
  added: AddedAttachment;
  viewerId: string;
}) {
  const nameOf = useNameOf();
  // A preview that does not load (moved, private, offline) is left out rather than shown broken.
  const [previewFailed, setPreviewFailed] = useState(false);
  const href = httpUrl(attachment.url);
  const preview = href && attachment.contentType?.startsWith('image/') && !previewFailed;
  const facts = [
    attachment.contentType,
    attachment.sizeBytes === undefined ? undefined : formatBytes(attachment.sizeBytes),
  ].filter((fact): fact is string => Boolean(fact));
  return (
    <li className="attachment">
      {preview && (
        // The name's link is the one to tab to; the picture is a second, larger target for pointers.
        <a href={href} target="_blank" rel="noopener noreferrer" tabIndex={-1} className="attachment-preview">
          <img
            src={href}
            alt={`Preview of ${attachment.name}`}
            loading="lazy"
            referrerPolicy="no-referrer"
            width={64}
            height={64}
            onError={() => setPreviewFailed(true)}
          />
        </a>
      )}
      <div className="attachment-text">
        {href ? (
          <a href={href} target="_blank" rel="noopener noreferrer" className="attachment-name">
            {attachment.name}
          </a>
        ) : (
          <span className="attachment-name">{attachment.name}</span>
        )}
        <span className="muted attachment-facts">
          {[...facts, `added by ${nameOf(by, viewerId)}`, formatDateTime(addedAt)].join(' · ')}
        </span>
      </div>
    </li>
  );
}
