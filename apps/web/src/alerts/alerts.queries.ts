import { useQuery } from '@tanstack/react-query';
import { api } from '../api/api.client';

export type Urgency = 'low' | 'normal' | 'high' | 'urgent';
export type Channel = 'push' | 'email' | 'digest';

export interface AppNotification {
  id: string;
  taskId: string;
  kind: 'assigned' | 'escalated' | 'urgent';
  urgency: Urgency;
  title: string;
  body: string;
  link: string;
  createdAt: string;
  readAt: string | null;
  heldUntil: string | null;
  pushedAt: string | null;
  emailedAt: string | null;
}

export interface Preferences {
  timeZone: string;
  channels: Record<Urgency, Channel[]>;
  quietHours: { start: string; end: string } | null;
}

export const notificationsKey = ['notifications'] as const;

/** The caller's notifications and unread count, looked at again every 30 s (the header shows the count). */
export const useNotifications = () =>
  useQuery({
    queryKey: notificationsKey,
    queryFn: () => api<{ unread: number; items: AppNotification[] }>('GET', '/api/notifications'),
    refetchInterval: 30_000,
  });
