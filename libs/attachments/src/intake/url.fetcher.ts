import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import type { UrlGuard } from '@taskinbox/webhooks';
import { WebhookUrlRefused } from '@taskinbox/webhooks';
import { AttachmentFetchFailed, AttachmentTooLarge } from '../attachments.errors';

export interface FetchSettings {
  timeoutMs: number;
  maxRedirects: number;
  maxFileBytes: number;
}

/** A response being read: its body and the name the sender gave the file, if any. */
export interface FetchedFile {
  body: Readable;
  /** From Content-Disposition, else the last path segment of the final URL. */
  suggestedName: string;
}

/**
 * Fetches a URL attachment once, for the server to keep, so that people who open the task never
 * contact the sender. Every hop (redirects included) is checked by the webhooks' SSRF guard and
 * the socket connects to the very address that was checked, so DNS cannot swap in a private one.
 */
export class UrlFetcher {
  constructor(
    private readonly guard: UrlGuard,
    private readonly settings: FetchSettings,
  ) {}

  async open(raw: string): Promise<FetchedFile> {
    let url = this.parse(raw);
    for (let hop = 0; ; hop++) {
      const response = await this.get(url);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.resume();
        if (hop >= this.settings.maxRedirects) throw new AttachmentFetchFailed(`${raw} redirected more than ${this.settings.maxRedirects} times.`);
        url = this.parse(new URL(location, url).toString());
        continue;
      }
      if (status < 200 || status > 299) {
        response.resume();
        throw new AttachmentFetchFailed(`Fetching ${raw} answered HTTP ${status}; nothing was attached.`);
      }
      const declared = Number(response.headers['content-length']);
      if (declared > this.settings.maxFileBytes) {
        response.destroy();
        throw new AttachmentTooLarge(this.settings.maxFileBytes);
      }
      // On Node 26 a pipeline whose later stage fails (the size limit) waits for a fully received
      // response to close, which it never does, so the request would hang. The caller reads a
      // pass-through instead: it closes when destroyed, and the response's errors reach it.
      const body = new PassThrough();
      pipeline(response, body, () => undefined);
      return { body, suggestedName: nameOf(response, url) };
    }
  }

  private parse(raw: string): URL {
    try {
      return this.guard.parse(raw);
    } catch (error) {
      throw refusal(raw, error);
    }
  }

  private async get(url: URL): Promise<IncomingMessage> {
    let address: string;
    try {
      address = (await this.guard.resolve(url)).address;
    } catch (error) {
      throw refusal(url.toString(), error);
    }
    const secure = url.protocol === 'https:';
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return new Promise((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)({
        method: 'GET',
        host: address,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        headers: { host: url.host, 'user-agent': 'taskinbox-attachments', accept: '*/*' },
        // A connection of its own, closed after: fetches are one-off, and no pooled socket outlives its check.
        agent: false,
        ...(secure && !isIP(hostname) ? { servername: hostname } : {}),
      });
      let response: IncomingMessage | undefined;
      // One deadline for connecting, the answer and the whole body: a slow sender cannot hold a request open.
      const deadline = setTimeout(() => {
        const late = new AttachmentFetchFailed(`Fetching ${url} took longer than ${this.settings.timeoutMs} ms; nothing was attached.`);
        // Whoever is reading the body hears why it ended.
        response?.destroy(late);
        request.destroy(late);
      }, this.settings.timeoutMs);
      request.on('close', () => clearTimeout(deadline));
      request.on('error', (error) =>
        reject(error instanceof AttachmentFetchFailed ? error : new AttachmentFetchFailed(`Fetching ${url} failed (${codeOf(error)}); nothing was attached.`)),
      );
      request.on('response', (answer) => resolve((response = answer)));
      request.end();
    });
  }
}

function refusal(url: string, error: unknown): AttachmentFetchFailed {
  if (error instanceof WebhookUrlRefused) return new AttachmentFetchFailed(`${url} may not be fetched: ${error.message.replace(/^Webhook URL refused /, '')}.`);
  return new AttachmentFetchFailed(`${url} could not be resolved; nothing was attached.`);
}

const codeOf = (error: unknown): string => String((error as { code?: unknown }).code ?? (error as Error).message);

function nameOf(response: IncomingMessage, url: URL): string {
  const disposition = response.headers['content-disposition'] ?? '';
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // a malformed encoded name: fall through to the plain one
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  if (plain) return plain[1];
  const last = url.pathname.split('/').filter(Boolean).pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
