import { createTaskinboxClient, type Schema } from '@taskinbox/client';
import type { Middleware } from 'openapi-fetch';

/** The error shape of every refusal (ErrorResponse), with the `details` the SPA reads. */
export type ErrorBody = Schema<'ErrorResponse'> & { details?: { code?: string; status?: string } & Record<string, unknown> };

/** A refusal or failure of the API, with what the server said and the id to quote in a report. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
  get code(): string | undefined {
    return this.body.details?.code;
  }
}

let token: string | null = null;
let onUnauthorised: () => void = () => undefined;
let onPasswordChangeRequired: () => void = () => undefined;

/**
 * The session's token, what to do when the server no longer takes it (401: signed out, removed,
 * blocked), and when it asks for the generated password to be changed first (403 password_change_required).
 */
export function setApiToken(next: string | null, whenRefused: () => void, whenPasswordChangeRequired: () => void): void {
  token = next;
  onUnauthorised = whenRefused;
  onPasswordChangeRequired = whenPasswordChangeRequired;
}

const bearer = (value: string | null) => (value ? `Bearer ${value}` : null);

const session: Middleware = {
  onRequest({ request }) {
    // A call may carry a token of its own (a session being adopted); the rest carry the session's.
    const authorization = bearer(token);
    if (authorization && !request.headers.has('authorization')) request.headers.set('authorization', authorization);
    return request;
  },
  async onResponse({ request, response }) {
    // A late 401 for an earlier session's request must not sign out the session that replaced it.
    const sentWith = request.headers.get('authorization');
    if (!sentWith || sentWith !== bearer(token)) return undefined;
    if (response.status === 401) onUnauthorised();
    if (response.status === 403) {
      const body = (await response.clone().json().catch(() => undefined)) as ErrorBody | undefined;
      if (body?.details?.code === 'password_change_required') onPasswordChangeRequired();
    }
    return undefined;
  },
};

type Query = Record<string, unknown>;

/** Query strings as the SPA always wrote them: empty, false and missing values left out, lists repeated. */
function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    if (Array.isArray(value)) value.forEach((item) => params.append(key, String(item)));
    else params.set(key, String(value));
  }
  return params.toString();
}

/**
 * The HTTP API, typed by the OpenAPI document (libs/client, generated from docs/openapi.json):
 * `api.GET('/api/tasks/{id}', { params: { path: { id } } })`. Same origin; the session's token
 * rides on every call. Pass the call to `answer` for its body.
 */
export const api = createTaskinboxClient('', {
  // Looked up per call, so tests and the browser's own fetch wrappers see every request.
  fetch: (request) => globalThis.fetch(request),
  querySerializer: queryString,
});
api.use(session);

const networkError = (): ApiError =>
  new ApiError(0, {
    statusCode: 0,
    error: 'Network error',
    message: 'The server could not be reached. Check your connection and try again.',
    correlationId: '',
  });

/** The body of a typed call's success; throws ApiError with the server's error shape otherwise. */
export async function answer<Data>(call: Promise<{ data?: Data; error?: unknown; response: Response }>): Promise<Data> {
  let outcome: { data?: Data; error?: unknown; response: Response };
  try {
    outcome = await call;
  } catch {
    throw networkError();
  }
  const { data, error, response } = outcome;
  if (response.ok) return data as Data;
  const body: ErrorBody =
    error && typeof error === 'object' && 'message' in error
      ? (error as ErrorBody)
      : { statusCode: response.status, error: response.statusText, message: `The server answered ${response.status}.`, correlationId: '' };
  throw new ApiError(response.status, body);
}

export const describeError = (error: unknown): string =>
  error instanceof ApiError
    ? error.body.correlationId
      ? `${error.message} (reference ${error.body.correlationId})`
      : error.message
    : error instanceof Error
      ? error.message
      : 'Something went wrong.';
