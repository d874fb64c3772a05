import { fromSeed } from '@nats-io/nkeys';
import {
  type AgentSession,
  challengeText,
  type DeviceFacts,
  type EnrolmentResult,
  enrolmentText,
} from './agent.messages';

/** The server answered with an error status. */
export class ServerRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(`${status}${code ? ` ${code}` : ''}: ${message}`);
    this.name = 'ServerRefused';
  }

  /**
   * Worth sending again later: the server or the network had trouble, or the credentials did
   * (a 401: the session was replaced or the challenge spent; a new session mends it), not the report.
   */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 401 || this.status === 408 || this.status === 429;
  }
}

/** The device proved its key and the server answered that it was unenrolled: the agent stops for good. */
export class DeviceUnenrolled extends Error {
  constructor() {
    super('the server refuses this device: it was unenrolled');
    this.name = 'DeviceUnenrolled';
  }
}

export const sign = (seed: string, text: string): string =>
  Buffer.from(fromSeed(new TextEncoder().encode(seed)).sign(new TextEncoder().encode(text))).toString('base64url');

async function send<T>(server: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${server}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) {
    let parsed: { code?: string; message?: string; details?: { code?: string } } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      // not JSON
    }
    throw new ServerRefused(response.status, parsed.details?.code ?? parsed.code, parsed.message ?? text.slice(0, 200));
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Enrols with a single-use token: the nkey's seed stays here, its public key and signature go. */
export function enrol(
  server: string,
  seed: string,
  options: { token: string; name?: string; facts: DeviceFacts; labels: Record<string, string> },
): Promise<EnrolmentResult> {
  const pair = fromSeed(new TextEncoder().encode(seed));
  return send<EnrolmentResult>(server, 'POST', '/api/devices/enrol', {
    token: options.token,
    publicKey: pair.getPublicKey(),
    signature: sign(seed, enrolmentText(options.token)),
    ...(options.name ? { name: options.name } : {}),
    facts: options.facts,
    labels: options.labels,
  });
}

/**
 * The device's side of the HTTPS API: proves who it is by signing the server's nonce with its
 * nkey, keeps the session fresh, and sends requests with it.
 */
export class AgentClient {
  private current?: AgentSession;
  private opening?: Promise<AgentSession>;

  constructor(
    readonly server: string,
    private readonly deviceId: string,
    private readonly seed: string,
    /** Told of every new session (the NATS JWT comes with it). */
    private readonly onSession: (session: AgentSession) => void = () => undefined,
  ) {}

  /** The current session, or a new one when it is missing or about to end. */
  session(force = false): Promise<AgentSession> {
    const fresh = this.current && Date.parse(this.current.accessExpiresAt) - Date.now() > 60_000;
    if (fresh && !force) return Promise.resolve(this.current!);
    this.opening ??= this.open().finally(() => (this.opening = undefined));
    return this.opening;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const session = await this.session();
    try {
      return await send<T>(this.server, method, path, body, session.accessToken);
    } catch (error) {
      if (!(error instanceof ServerRefused && error.status === 401)) throw error;
      // The token expired or was replaced: one new session, one more try.
      const renewed = await this.session(true);
      return send<T>(this.server, method, path, body, renewed.accessToken);
    }
  }

  private async open(): Promise<AgentSession> {
    const { nonce } = await send<{ nonce: string }>(this.server, 'POST', '/api/devices/agent/challenge', {
      deviceId: this.deviceId,
    });
    try {
      this.current = await send<AgentSession>(this.server, 'POST', '/api/devices/agent/session', {
        deviceId: this.deviceId,
        nonce,
        signature: sign(this.seed, challengeText(nonce)),
      });
    } catch (error) {
      // Only this answer means unenrolled; any other refusal (a spent nonce, say) is worth a new challenge.
      if (error instanceof ServerRefused && error.code === 'device_unenrolled') throw new DeviceUnenrolled();
      throw error;
    }
    this.onSession(this.current);
    return this.current;
  }
}
