import { useQuery } from '@tanstack/react-query';
import type { Schema } from '@taskinbox/client';
import { answer, api } from '../api/api.client';

export type AppNotification = Schema<'NotificationView'>;
export type Urgency = AppNotification['urgency'];
export type Preferences = Schema<'PreferencesView'>;
export type Channel = Preferences['channels'][Urgency][number];

export const notificationsKey = ['notifications'] as const;

/** The caller's notifications and unread count, looked at again every 30 s (the header shows the count). */
export const useNotifications = () =>
  useQuery({
    queryKey: notificationsKey,
    queryFn: () => answer(api.GET('/api/notifications')),
    refetchInterval: 30_000,
  });
