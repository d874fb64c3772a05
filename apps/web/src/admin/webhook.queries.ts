import { useQuery } from '@tanstack/react-query';
import { api } from '../api/api.client';
import type { WebhookEndpoint } from './admin.types';

export const endpointsPath = '/api/webhooks/endpoints';
export const endpointPath = (id: string, rest = ''): string => `${endpointsPath}/${encodeURIComponent(id)}${rest}`;

/** Every webhook query starts with `webhookKeys.all`, so one invalidation refreshes what is on screen. */
export const webhookKeys = {
  all: ['admin', 'webhooks'] as const,
  endpoints: () => [...webhookKeys.all, 'endpoints'] as const,
  endpoint: (id: string) => [...webhookKeys.all, 'endpoint', id] as const,
  deliveries: (id: string, status: string, limit: number) =>
    [...webhookKeys.all, 'deliveries', id, status, limit] as const,
  attempts: (id: string, deliveryId: string) => [...webhookKeys.all, 'attempts', id, deliveryId] as const,
  notices: (id: string) => [...webhookKeys.all, 'notices', id] as const,
};

export function useEndpoints() {
  return useQuery({ queryKey: webhookKeys.endpoints(), queryFn: () => api<WebhookEndpoint[]>('GET', endpointsPath) });
}

export function useEndpoint(id: string) {
  return useQuery({ queryKey: webhookKeys.endpoint(id), queryFn: () => api<WebhookEndpoint>('GET', endpointPath(id)) });
}
