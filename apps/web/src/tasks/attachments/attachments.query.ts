import { useQuery } from '@tanstack/react-query';
import type { Schema } from '@taskinbox/client';
import { answer, api } from '../../api/api.client';

/** One stored attachment as GET /api/tasks/{id}/attachments answers it (libs/attachments AttachmentView). */
export type StoredAttachment = Schema<'AttachmentView'>;

/**
 * The task's stored files. Read again when the timeline gains an attachment (the SSE stream
 * refreshes the timeline), and every second while a preview is still being made, so previews
 * appear without a reload; links are signed for minutes, so they are refreshed before that.
 */
export function useStoredAttachments(taskId: string, added: number) {
  return useQuery({
    queryKey: ['task-attachments', taskId, added],
    queryFn: () => answer(api.GET('/api/tasks/{id}/attachments', { params: { path: { id: taskId } } })),
    refetchInterval: (query) => (query.state.data?.some((file) => file.preview.status === 'pending') ? 1000 : 120_000),
  });
}
