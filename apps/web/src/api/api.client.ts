import type { ErrorBody } from './api.types';

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

type Query = Record<string, string | number | boolean | string[] | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    if (Array.isArray(value)) value.forEach((item) => params.append(key, item));
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Calls the API with the session token; answers the parsed body or throws ApiError. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  // A late 401 for an earlier session's request must not sign out the session that replaced it.
  const sentWith = token;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...(sentWith ? { authorization: `Bearer ${sentWith}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, {
      statusCode: 0,
      error: 'Network error',
      message: 'The server could not be reached. Check your connection and try again.',
    });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const errorBody: ErrorBody =
      parsed && typeof parsed === 'object' && 'message' in parsed
        ? (parsed as ErrorBody)
        : {
            statusCode: response.status,
            error: response.statusText,
            message: `The server answered ${response.status}.`,
          };
    if (response.status === 401 && sentWith && sentWith === token) onUnauthorised();
    if (errorBody.details?.code === 'password_change_required' && sentWith && sentWith === token) onPasswordChangeRequired();
    throw new ApiError(response.status, errorBody);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const describeError = (error: unknown): string =>
  error instanceof ApiError
    ? error.body.correlationId
      ? `${error.message} (reference ${error.body.correlationId})`
      : error.message
    : error instanceof Error
      ? error.message
      : 'Something went wrong.';
