import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

/** A named schema of the API (`Schema<'SloView'>`); views, bodies and `ErrorResponse`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export type TaskinboxClient = Client<paths>;

/**
 * A typed client of the taskinbox HTTP API: paths, parameters, bodies and answers come from
 * docs/openapi.json. `token` is a session token or an API key (tib_…).
 */
export function createTaskinboxClient(baseUrl: string, options: { token?: string } & Omit<ClientOptions, 'baseUrl'> = {}): TaskinboxClient {
  const { token, headers, ...rest } = options;
  return createClient<paths>({
    ...rest,
    baseUrl,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(headers as Record<string, string> | undefined) },
  });
}
