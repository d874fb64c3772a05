import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
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

class ConnectTimeout extends Error {}
class TotalTimeout extends Error {}

/**
 * POSTs one webhook. The host is resolved and checked here, and the socket connects to that
 * very address (Host header and TLS SNI carry the name), so DNS cannot swap in a private
 * address between check and connect. Redirects are not followed; at most 64 KB is read.
 */
export class WebhookSender {
  // Keyed by the connected IP, so a pooled socket always leads to an address that was checked.
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

  constructor(
    private readonly guard: UrlGuard,
    private readonly settings: { connectTimeoutMs: number; totalTimeoutMs: number; concurrency: number },
  ) {
    // As many kept-alive sockets per receiver as the worker has jobs in flight, so no job
    // queues inside the agent (or opens a fresh connection per request) behind another.
    const pool = { keepAlive: true, maxSockets: settings.concurrency, maxFreeSockets: settings.concurrency };
    this.httpAgent = new HttpAgent(pool);
    this.httpsAgent = new HttpsAgent(pool);
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
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private post(url: URL, address: string, input: SendRequest): Promise<{ statusCode: number; responseBody: string; retryAfter?: string }> {
    const secure = url.protocol === 'https:';
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const method = input.method ?? 'POST';
    const body = method === 'GET' ? '' : input.body;
    return new Promise((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)({
        method,
        host: address,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        agent: secure ? this.httpsAgent : this.httpAgent,
        headers: { ...input.headers, host: url.host, 'content-length': Buffer.byteLength(body) },
        ...(secure && !isIP(hostname) ? { servername: hostname } : {}),
      });
      const total = setTimeout(() => request.destroy(new TotalTimeout()), input.timeoutMs ?? this.settings.totalTimeoutMs);
      let connect: NodeJS.Timeout | undefined;
      request.on('socket', (socket) => {
        if (!socket.connecting) return;
        connect = setTimeout(() => request.destroy(new ConnectTimeout()), this.settings.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connect));
      });
      const done = () => {
        clearTimeout(total);
        clearTimeout(connect);
      };
      request.on('error', (error) => {
        done();
        reject(error);
      });
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          done();
          const retryAfter = response.headers['retry-after'];
          resolve({
            statusCode: response.statusCode ?? 0,
            responseBody: Buffer.concat(chunks).subarray(0, keptResponseBytes).toString('utf8'),
            ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
          });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          // The status is what counts; a receiver sending more than we read is cut off.
          if (size >= maxResponseBytes) {
            response.destroy();
            finish();
          }
        });
        response.on('end', finish);
        response.on('error', () => finish());
      });
      request.end(body);
    });
  }
}

function classify(error: unknown): string {
  if (error instanceof ConnectTimeout) return 'connect_timeout';
  if (error instanceof TotalTimeout) return 'timeout';
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection_reset';
  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || code.includes('CERT'))) return 'tls';
  return 'network';
}
