import { isIP } from 'node:net';
import { LRUCache } from 'lru-cache';
import { type Dispatcher, Pool } from 'undici';
import { WebhookUrlRefused } from '../webhook.errors';
import type { UrlGuard } from '../url/url.guard';

const maxResponseBytes = 64 * 1024;
const keptResponseBytes = 20 * 1024;

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** POST unless given (custom actions name theirs); a GET sends no body. */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Overrides the sender's total timeout for this request. */
  timeoutMs?: number;
}

export interface SendResult {
  /** Absent when no response came (refused address, DNS, connect, timeout…). */
  statusCode?: number;
  latencyMs: number;
  /** Why the attempt failed: `address_refused`, `dns`, `connect_timeout`, `timeout`, `connection_refused`, `tls`, `network`, `http_status`. */
  errorClass?: string;
  /** The first 20 KB of the response body. */
  responseBody: string;
  retryAfter?: string;
}

class TotalTimeout extends Error {}

/**
 * POSTs one webhook. The host is resolved and checked here, and the socket connects to that
 * very address (Host header and TLS SNI carry the name), so DNS cannot swap in a private
 * address between check and connect. Redirects are not followed; at most 64 KB is read.
 */
export class WebhookSender {
  // One undici pool of kept-alive connections per checked address (and the name it serves),
  // so a reused socket always leads to an address that was checked; undici's client costs far
  // less CPU per request than node:http. Pools of receivers not called lately are closed.
  private readonly pools: LRUCache<string, Pool>;

  constructor(
    private readonly guard: UrlGuard,
    private readonly settings: { connectTimeoutMs: number; totalTimeoutMs: number; concurrency: number },
  ) {
    this.pools = new LRUCache<string, Pool>({
      max: 1000,
      ttl: 10 * 60_000,
      updateAgeOnGet: true,
      dispose: (pool) => void pool.close().catch(() => undefined),
    });
  }

  async send(input: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(input.url);
    let address: string;
    try {
      address = (await this.guard.resolve(url)).address;
    } catch (error) {
      return { latencyMs: elapsed(), errorClass: error instanceof WebhookUrlRefused ? 'address_refused' : 'dns', responseBody: '' };
    }
    try {
      const response = await this.post(url, address, input);
      const failed = response.statusCode < 200 || response.statusCode > 299;
      return { ...response, latencyMs: elapsed(), ...(failed ? { errorClass: 'http_status' } : {}) };
    } catch (error) {
      return { latencyMs: elapsed(), errorClass: classify(error), responseBody: '' };
    }
  }

  close(): void {
    this.pools.clear();
  }

  private pool(url: URL, address: string): Pool {
    const secure = url.protocol === 'https:';
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = url.port || (secure ? '443' : '80');
    const origin = `${url.protocol}//${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
    const servername = secure && !isIP(hostname) ? hostname : undefined;
    const key = `${origin} ${servername ?? ''}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Pool(origin, {
        // As many kept-alive sockets per receiver as the worker has jobs in flight, so no job
        // queues behind another (or opens a fresh connection per request).
        connections: this.settings.concurrency,
        connect: { timeout: this.settings.connectTimeoutMs, ...(servername ? { servername } : {}) },
        // The total timeout below bounds every request; these only must not cut in first.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /**
   * One request through undici's dispatch handler rather than `request()`: no body stream,
   * async iterator or AbortSignal per request, which was most of the client's CPU per webhook.
   */
  private post(url: URL, address: string, input: SendRequest): Promise<{ statusCode: number; responseBody: string; retryAfter?: string }> {
    const method = input.method ?? 'POST';
    const body = method === 'GET' ? undefined : input.body;
    return new Promise((resolve, reject) => {
      let settled = false;
      let controller: Dispatcher.DispatchController | undefined;
      let timedOut = false;
      let statusCode: number | undefined;
      let retryAfter: string | undefined;
      const chunks: Buffer[] = [];
      let size = 0;
      const settle = (error?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(total);
        if (error !== undefined && (statusCode === undefined || timedOut)) {
          reject(timedOut ? new TotalTimeout() : error);
          return;
        }
        // The status came; a body cut short is kept as far as it got, unless time ran out.
        resolve({
          statusCode: statusCode!,
          responseBody: Buffer.concat(chunks).subarray(0, keptResponseBytes).toString('utf8'),
          ...(retryAfter === undefined ? {} : { retryAfter }),
        });
      };
      // Bounds the whole request, queueing for a socket included.
      const total = setTimeout(() => {
        timedOut = true;
        controller?.abort(new TotalTimeout());
        settle(new TotalTimeout());
      }, input.timeoutMs ?? this.settings.totalTimeoutMs);
      try {
        this.pool(url, address).dispatch(
          {
            method,
            path: `${url.pathname}${url.search}`,
            headers: { ...input.headers, host: url.host, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) },
            body,
          },
          {
            onRequestStart: (started) => {
              controller = started;
              if (settled) started.abort(new TotalTimeout());
            },
            onResponseStart: (_, status, headers) => {
              statusCode = status;
              const hint = headers['retry-after'];
              if (typeof hint === 'string') retryAfter = hint;
            },
            onResponseData: (started, chunk) => {
              chunks.push(chunk);
              size += chunk.length;
              // The status is what counts; a receiver sending more than we read is cut off.
              if (size >= maxResponseBytes) {
                settle();
                started.abort(new Error('response body over the limit'));
              }
            },
            onResponseEnd: () => settle(),
            onResponseError: (_, error) => settle(error),
          },
        );
      } catch (error) {
        settle(error);
      }
    });
  }
}

function classify(error: unknown): string {
  if (error instanceof TotalTimeout) return 'timeout';
  const code = (error as { code?: unknown }).code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect_timeout';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'connection_reset';
  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || code.includes('CERT'))) return 'tls';
  return 'network';
}
