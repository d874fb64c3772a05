import { isUtf8 } from 'node:buffer';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { type InputLimits, InvalidInput, type InputProblem, assertAcceptableInput, readJsonInput } from './input.check';

/**
 * The end user's status page (libs/transparency) answers its form without script, as browsers
 * post forms: that route alone reads application/x-www-form-urlencoded.
 */
const formRoutes = /^\/status\/[^/?]+\/answer(\?|$)/;

/**
 * The one check every HTTP request passes before any guard or handler: JSON bodies are read
 * by readJsonInput (UTF-8, depth, syntax) and nothing else is parsed (other content types get
 * 415); then path parameters, the query string and headers are checked with the body. Fastify
 * decodes `%FF` in a query string to itself instead of refusing it, so the raw query is checked
 * for malformed percent-encoded UTF-8 first.
 */
export function checkRequestInput(app: NestFastifyApplication, limits: InputLimits & { bodyLimitBytes: number }): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  app.useBodyParser('application/json', { bodyLimit: limits.bodyLimitBytes }, async (request: FastifyRequest, body: Buffer) => {
    // Kept for routes that verify a signature over the bytes as sent (signed inbound events).
    (request as RawBodyRequest<FastifyRequest>).rawBody = body;
    return readJsonInput(body, limits);
  });
  app.useBodyParser(
    'application/x-www-form-urlencoded',
    { bodyLimit: limits.bodyLimitBytes },
    async (request: FastifyRequest, body: Buffer) => {
      if (!formRoutes.test(request.url)) throw new HttpException('Unsupported Content-Type: send application/json.', HttpStatus.UNSUPPORTED_MEDIA_TYPE);
      return readFormInput(body);
    },
  );

  fastify.addHook('preValidation', async (request: FastifyRequest) => {
    assertWellEncodedQuery(request.url);
    assertAcceptableInput(
      [
        { value: request.params, in: 'path' },
        { value: request.query, in: 'query' },
        { value: request.headers, in: 'header' },
        { value: request.body, in: 'body' },
      ],
      limits,
    );
  });
}

/** A browser form's fields, each once; then checked like any body (assertAcceptableInput). */
function readFormInput(body: Buffer): Record<string, string> {
  if (!isUtf8(body)) throw new InvalidInput([{ field: '(body)', in: 'body', problems: ['is not valid UTF-8'] }]);
  const text = body.toString('utf8');
  for (const pair of text.split('&')) {
    if (pair !== '' && decode(pair) === undefined) throw new InvalidInput([{ field: '(body)', in: 'body', problems: ['is not valid percent-encoded UTF-8'] }]);
  }
  const fields: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    if (name in fields) throw new InvalidInput([{ field: name, in: 'body', problems: ['is given more than once'] }]);
    fields[name] = value;
  }
  return { ...fields };
}

/** Every name and value of the raw query string must decode to UTF-8 (`%FF`, `%ED%A0%80` do not). */
function assertWellEncodedQuery(url: string): void {
  const start = url.indexOf('?');
  if (start < 0) return;
  const problems: InputProblem[] = [];
  for (const pair of url.slice(start + 1).split('&')) {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    const value = equals < 0 ? '' : pair.slice(equals + 1);
    const decodedName = decode(name);
    if (decodedName === undefined || decode(value) === undefined) {
      problems.push({ field: decodedName ?? name, in: 'query', problems: ['is not valid percent-encoded UTF-8'] });
    }
  }
  if (problems.length > 0) throw new InvalidInput(problems.slice(0, 10));
}

const decode = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
};
