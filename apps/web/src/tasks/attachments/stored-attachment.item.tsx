import { formatBytes } from '../task.format';
import type { StoredAttachment } from './attachments.query';

/** A stored file: its preview (picture, first lines or an icon) and a link to the file itself. */
export function StoredAttachmentItem({ file, facts }: { file: StoredAttachment; facts: string }) {
  const link = file.links?.file;
  return (
    <li className="attachment" data-preview={file.preview.status === 'pending' ? 'pending' : (file.preview.kind ?? 'icon')}>
      {file.preview.kind === 'image' && file.links?.thumb ? (
        <a href={file.links.phone ?? link} target="_blank" rel="noopener noreferrer" tabIndex={-1} className="attachment-preview">
          <img src={file.links.thumb} alt={`Preview of ${file.name}`} loading="lazy" width={64} height={64} />
        </a>
      ) : (
        <span className="attachment-preview attachment-icon" aria-hidden="true">
          {file.preview.status === 'pending' ? '…' : iconOf(file.contentType)}
        </span>
      )}
      <div className="attachment-text">
        {link ? (
          <a href={link} target="_blank" rel="noopener noreferrer" className="attachment-name">
            {file.name}
          </a>
        ) : (
          <span className="attachment-name">{file.name}</span>
        )}
        <span className="muted attachment-facts">
          {[file.erased ? 'erased on request' : file.contentType, formatBytes(file.sizeBytes), facts].join(' · ')}
        </span>
        {file.preview.kind === 'text' && file.preview.text && (
          <pre className="attachment-lines" aria-label={`First lines of ${file.name}`}>
            {file.preview.text}
          </pre>
        )}
      </div>
    </li>
  );
}

const iconOf = (type: string): string => (type.startsWith('image/') ? '🖼' : type.startsWith('text/') ? '📄' : '📦');
