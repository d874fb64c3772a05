import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

// The local endpoint the webhooks service delivers to: it checks each request's Standard
// Webhooks signature with the endpoint's secret and records every receipt, duplicates included.

export interface Receipt {
  eventId: string;
  taskId: string;
  sequence: number;
  type: string;
  /** When it arrived (epoch ms). */
  at: number;
  /** The `webhook-timestamp` header: when the attempt that sent this copy was signed (epoch s). */
  signedAt: number;
  /** The sending socket's port: copies from different sockets may come from different processes. */
  fromPort: number;
}

export interface EndpointReceipts {
  /** Every verified request, in arrival order. */
  receipts: Receipt[];
  badSignatures: number;
}

export class WebhookReceiver {
  private server?: Server;
  private readonly endpoints = new Map<string, { verifier?: Webhook; record: EndpointReceipts }>();
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const endpoint = this.endpoints.get(request.url ?? '');
        if (!endpoint?.verifier) {
          response.writeHead(404).end();
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          endpoint.verifier.verify(body, request.headers as Record<string, string>);
        } catch {
          endpoint.record.badSignatures += 1;
          response.writeHead(401).end();
          return;
        }
        const parsed = JSON.parse(body) as { type: string; data: { taskId: string; sequence: number } };
        endpoint.record.receipts.push({
          eventId: String(request.headers['webhook-id']),
          taskId: parsed.data.taskId,
          sequence: parsed.data.sequence,
          type: parsed.type,
          at: Date.now(),
          signedAt: Number(request.headers['webhook-timestamp']),
          fromPort: request.socket.remotePort ?? 0,
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** A path of its own for one endpoint; `secret` comes once the endpoint exists. */
  path(name: string): { url: string; path: string; record: EndpointReceipts } {
    const path = `/hooks/${name}`;
    const record: EndpointReceipts = { receipts: [], badSignatures: 0 };
    this.endpoints.set(path, { record });
    return { url: `http://127.0.0.1:${this.port}${path}`, path, record };
  }

  secret(path: string, secret: string): void {
    this.endpoints.get(path)!.verifier = new Webhook(secret);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
