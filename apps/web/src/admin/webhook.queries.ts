import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../api/api.client';

/** The `params` of a call on one endpoint: `api.GET('/api/webhooks/endpoints/{id}', onEndpoint(id))`. */
export const onEndpoint = (id: string) => ({ params: { path: { id } } });

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
  return useQuery({ queryKey: webhookKeys.endpoints(), queryFn: () => answer(api.GET('/api/webhooks/endpoints')) });
}

export function useEndpoint(id: string) {
  return useQuery({
    queryKey: webhookKeys.endpoint(id),
    queryFn: () => answer(api.GET('/api/webhooks/endpoints/{id}', onEndpoint(id))),
  });
}
