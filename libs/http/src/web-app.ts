import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

// The app loads only its own scripts and styles, talks only to its own origin, and may not be
// framed (its Revoke/Delete buttons must not be clickjacked). Images may come from https
// (attachment previews). No Referer leaves with links to attachments.
const pageHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * Serves the built admin SPA: its files as they are, precompressed when the client accepts brotli
 * or gzip (hashed assets cached for a year, index.html never), and index.html for any other GET
 * outside /api so that deep links like /tasks/:id load.
 */
export async function serveWebApp(app: NestFastifyApplication, dir: string, logger: Logger): Promise<void> {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) {
    logger.warn({ dir }, 'admin SPA not built (npm run build); serving the API only');
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    wildcard: false,
    index: false,
    // The build writes file.br and file.gz beside each file (apps/web/vite.config.mts); a client
    // that accepts one gets it as it is, with Content-Encoding and Vary: Accept-Encoding.
    preCompressed: true,
    setHeaders: (response, file) => {
      const served = file.replace(/\.(br|gz)$/, '');
      // /index.html itself is the app page too, and gets the page's policy.
      if (served.endsWith('.html')) return void response.headers(pageHeaders);
      const immutable = served.includes(`${path.sep}assets${path.sep}`);
      response.header('x-content-type-options', 'nosniff');
      response.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  const page = (request: FastifyRequest, reply: FastifyReply) => {
    // API paths keep their JSON 404s; a missing asset (an old tab after a deploy) must not get HTML.
    if (/^\/(api|metrics|assets)(\/|\?|$)/.test(request.url)) return reply.callNotFound();
    return reply.headers(pageHeaders).sendFile('index.html');
  };
  fastify.get('/', page);
  fastify.get('/*', page);
}
