import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Upload } from 'tus-js-client';
import { useSignedIn } from '../../session/session.context';

interface Progress {
  name: string;
  percent: number;
  error?: string;
}

/**
 * Adds files to a task from a phone or a desktop: from the camera or from files, over tus so an
 * upload on a flaky network resumes where it stopped (tus-js-client retries and resumes).
 */
export function AttachmentUpload({ taskId }: { taskId: string }) {
  const { token } = useSignedIn();
  const queries = useQueryClient();
  const [uploads, setUploads] = useState<Progress[]>([]);
  const filesId = useId();
  const cameraId = useId();

  const send = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const update = (change: Partial<Progress>) =>
        setUploads((all) => all.map((entry) => (entry.name === file.name ? { ...entry, ...change } : entry)));
      setUploads((all) => [...all.filter((entry) => entry.name !== file.name), { name: file.name, percent: 0 }]);
      const upload = new Upload(file, {
        endpoint: '/api/uploads/tus',
        headers: { authorization: `Bearer ${token}` },
        metadata: { taskId, filename: file.name },
        chunkSize: 1024 * 1024,
        retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
        // A reload or a lost network picks the same upload up again instead of starting over.
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onProgress: (sent, total) => update({ percent: Math.floor((sent / total) * 100) }),
        onError: (error) => update({ error: describeTusError(error) }),
        onSuccess: () => {
          setUploads((all) => all.filter((entry) => entry.name !== file.name));
          void queries.invalidateQueries({ queryKey: ['task-attachments', taskId] });
        },
      });
      void upload.findPreviousUploads().then((previous) => {
        if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      });
    }
  };

  return (
    <div className="attachment-upload">
      <label htmlFor={filesId} className="button">
        Add files
      </label>
      <input id={filesId} type="file" multiple className="visually-hidden" onChange={(event) => send(event.currentTarget.files)} />
      <label htmlFor={cameraId} className="button">
        Take a photo
      </label>
      <input
        id={cameraId}
        type="file"
        accept="image/*"
        capture="environment"
        className="visually-hidden"
        onChange={(event) => send(event.currentTarget.files)}
      />
      {uploads.length > 0 && (
        <ul className="attachment-uploads" aria-label="Uploads">
          {uploads.map((entry) => (
            <li key={entry.name}>
              {entry.name}: {entry.error ?? `${entry.percent}%`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** tus errors carry the server's answer: its first line says what was wrong (413 names the limit). */
function describeTusError(error: Error): string {
  const body = (error as { originalResponse?: { getBody(): string } | null }).originalResponse?.getBody()?.trim();
  return body ? body.split('\n')[0] : 'The upload failed; it resumes when you add the file again.';
}
