import fc from 'fast-check';

/** The parts of an OpenAPI 3 document the fuzz suite reads. */
export interface Schema {
  $ref?: string;
  type?: string | Schema;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
}
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
}
export interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>
  >;
  components: { schemas: Record<string, Schema> };
}

/**
 * Ids of things that exist, by the collection that made them (`/api/jobs`,
 * `/api/jobs/{id}/schedules`), so that a path parameter gets an id of its own kind and fitting
 * requests get past "not found". Read when a value is generated: ids made meanwhile count.
 */
export class KnownIds {
  private readonly byCollection = new Map<string, string[]>();

  add(collection: string, id: string): void {
    const ids = this.byCollection.get(collection) ?? [];
    if (!ids.includes(id)) ids.push(id);
    this.byCollection.set(collection, ids);
  }

  /** An id for the parameter that follows `collection` in a path; any known id when none of that kind exists. */
  after(collection: string): fc.Arbitrary<string> {
    return fc.nat().map((i) => {
      const ids = this.byCollection.get(collection) ?? this.all();
      return ids[i % ids.length];
    });
  }

  any(): fc.Arbitrary<string> {
    return fc.nat().map((i) => {
      const ids = this.all();
      return ids[i % ids.length];
    });
  }

  private all(): string[] {
    return [...this.byCollection.values()].flat();
  }
}

/** One generated request: the path with its parameters filled in, the query string, headers and the raw body. */
export interface HostileRequest {
  method: string;
  /** Path and query, percent-encoded (lone surrogates as their WTF-8 bytes, which no UTF-8 decoder accepts). */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Made of fitting values only: meant to pass validation. */
  fitting: boolean;
}

/** Every operation of the document, in its order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
      body: operation.requestBody?.content['application/json']?.schema,
    })),
  );
}

// Strings the input check, the DTOs or PostgreSQL might each take differently.
const hostileTexts = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udc00y',
  '\udbff\udbff',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '../../etc/passwd',
  "' OR 1=1 --",
  '%00',
  '%',
  '\\',
  '"',
  '💥',
  'e\u0301',
  '\u202e',
  'null',
  'undefined',
  'true',
  '-1',
  '0',
  '1e400',
  'NaN',
  'Infinity',
  '0x10',
  'me',
  '*',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '0193f1a2-7c3e-7d4a-9c1b-2f4e6a8b0c1d',
  '0193F1A2-7C3E-7D4A-9C1B-2F4E6A8B0C1D',
  '0193f1a27c3e7d4a9c1b2f4e6a8b0c1d',
  '{0193f1a2-7c3e-7d4a-9c1b-2f4e6a8b0c1d}',
  '0193f1a2-7c3e-7d4a-9c1b-2f4e6a8b0c1dx',
  '2026-02-30T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '2026-12-01T25:00:00Z',
  '2026-12-01',
  '1970-01-01T00:00:00Z',
  'tomorrow',
  '24:00',
  '99:99',
  'Mars/Olympus',
  'http://169.254.169.254/latest/meta-data',
  'https://[::ffff:127.0.0.1]/',
  'javascript:alert(1)',
  '* * * * * * *',
  '61 25 32 13 8',
];

/** Any UTF-16 code units, lone surrogates and NUL included. */
const anyText = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
  maxLength: 40,
});
export const hostileText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...hostileTexts) },
  { weight: 2, arbitrary: anyText },
  { weight: 1, arbitrary: fc.constantFrom(1_001, 10_000, 100_001).map((length) => 'x'.repeat(length)) },
);

// JSON number texts, some of which JSON.parse reads as Infinity, -0 or an inexact integer.
const hostileNumbers = [
  '0',
  '-0',
  '-1',
  '1.5',
  '1e400',
  '-1e400',
  '1e-400',
  '9007199254740993',
  '99999999999999999999999',
  '2147483648',
  '-2147483649',
  '1e21',
];

/** Raw JSON text of values no schema here expects in the given place. */
const hostileJson: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileText.map((text) => JSON.stringify(text)) },
  { weight: 2, arbitrary: fc.constantFrom(...hostileNumbers) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))
      .map((n) => JSON.stringify(n)),
  },
  { weight: 2, arbitrary: fc.constantFrom('null', 'true', 'false', '[]', '{}', '[null]', '[[]]', '[{}]', '{"":null}') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      '{"__proto__":null}',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 30, max: 34 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(999, 1_001)
      .map((keys) => `{${Array.from({ length: keys }, (_, i) => `"k${i}":${i}`).join(',')}}`),
  },
);

/** The value one time in six, else null: a stray key in every request would have the DTOs refuse them all. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

/**
 * What the schema asks for, often enough that requests pass validation and reach the handlers
 * and PostgreSQL: enums, examples, defaults, known ids for uuids and ids, numbers at and just
 * past their bounds, objects with their required properties.
 */
function fitting(schema: Schema, ctx: SchemaContext, depth: number): fc.Arbitrary<string> {
  const resolved = ctx.resolve(schema);
  // What the document itself names weighs most: it is what passes validation.
  const named: fc.Arbitrary<string>[] = [];
  const other: fc.Arbitrary<string>[] = [];
  if (resolved.enum) named.push(fc.constantFrom(...resolved.enum).map((value) => JSON.stringify(value)));
  for (const sample of [resolved.example, resolved.default])
    if (sample !== undefined) named.push(fc.constant(JSON.stringify(sample)));
  if (resolved.oneOf) named.push(fc.oneof(...resolved.oneOf.map((option) => value(option, ctx, depth))));
  if (resolved.allOf) named.push(fc.oneof(...resolved.allOf.map((part) => value(part, ctx, depth))));
  const type = typeof resolved.type === 'string' ? resolved.type : resolved.properties ? 'object' : undefined;
  switch (type) {
    case 'string':
      if (resolved.format === 'date-time')
        named.push(fc.date({ noInvalidDate: true }).map((date) => JSON.stringify(date.toISOString())));
      if (resolved.format === 'uuid') named.push(ctx.knownIds.any().map((id) => JSON.stringify(id)));
      other.push(
        ctx.knownIds.any().map((id) => JSON.stringify(id)),
        fc.string({ minLength: 1, maxLength: 12 }).map((text) => JSON.stringify(text)),
      );
      if (resolved.maxLength !== undefined) other.push(fc.constant(JSON.stringify('y'.repeat(resolved.maxLength + 1))));
      break;
    case 'number':
    case 'integer': {
      const min = resolved.minimum ?? -1_000;
      const max = resolved.maximum ?? 1_000_000;
      named.push(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }).map(String));
      other.push(fc.constantFrom(min, max, min - 1, max + 1, min + 0.5).map(String));
      break;
    }
    case 'boolean':
      named.push(fc.boolean().map(String));
      other.push(fc.constantFrom('"true"', '0', '1'));
      break;
    case 'array':
      named.push(
        fc.array(value(resolved.items ?? {}, ctx, depth + 1), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
      );
      break;
    case 'object':
      named.push(objectOf(resolved, ctx, depth));
      break;
  }
  if (resolved.nullable) other.push(fc.constant('null'));
  // A request meant to pass keeps to what the document names, where it names anything.
  if (ctx.hostile === 0 && named.length > 0) return fc.oneof(...named);
  const weighted = [
    ...named.map((arbitrary) => ({ weight: 4, arbitrary })),
    ...other.map((arbitrary) => ({ weight: 1, arbitrary })),
  ];
  return weighted.length > 0 ? fc.oneof(...weighted) : hostileJson;
}

/** An object of the schema's properties (the required ones mostly present), with now and then a key it does not know. */
function objectOf(schema: Schema, ctx: SchemaContext, depth: number): fc.Arbitrary<string> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const entries = properties.map(([key, property]) =>
    fc.option(
      value(property, ctx, depth + 1).map((text) => `${JSON.stringify(key)}:${text}`),
      {
        freq: required.has(key) ? 8 : 2,
        nil: undefined,
      },
    ),
  );
  // Free-form objects (a task's payload, webhook headers) get keys of their own.
  const free =
    properties.length === 0
      ? fc.array(
          fc.tuple(
            fc.string({ minLength: 1, maxLength: 8 }),
            ctx.hostile === 0 ? fc.string().map((text) => JSON.stringify(text)) : hostileJson,
          ),
          { maxLength: 4 },
        )
      : fc.constant([]);
  const stray =
    ctx.hostile === 0
      ? fc.constant(null)
      : rarely(
          fc.tuple(
            fc.constantFrom('__proto__', 'constructor', 'unknownField', 'id', 'orgId', 'a\u0000', '\ud800'),
            hostileJson,
          ),
        );
  return fc.tuple(fc.tuple(...entries), free, stray).map(([known, own, extra]) => {
    const parts = known.filter((part): part is string => part !== undefined);
    for (const [key, text] of own) parts.push(`${JSON.stringify(key)}:${text}`);
    if (extra) parts.push(`${JSON.stringify(extra[0])}:${extra[1]}`);
    return `{${parts.join(',')}}`;
  });
}

/** Fitting, or (in a hostile request) now and then hostile; deep schemas stop at hostile values. */
function value(schema: Schema, ctx: SchemaContext, depth: number): fc.Arbitrary<string> {
  if (depth > 6) return hostileJson;
  if (ctx.hostile === 0) return fitting(schema, ctx, depth);
  return fc.oneof(
    { weight: 4, arbitrary: fitting(schema, ctx, depth) },
    { weight: ctx.hostile, arbitrary: hostileJson },
  );
}

interface SchemaContext {
  /** Weight of a hostile value against 4 fitting ones at each place; 0 makes a request meant to pass. */
  hostile: number;
  resolve(schema: Schema): Schema;
  /** Ids of things that exist (tasks, groups, endpoints, …), so that requests reach past "not found". */
  knownIds: KnownIds;
}

// Whole bodies no route expects: empty, not JSON, too deep to parse safely, the wrong shape.
const hostileBodies = fc.constantFrom(
  { contentType: 'application/json', body: '' },
  { contentType: 'application/json', body: '{' },
  { contentType: 'application/json', body: `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}` },
  { contentType: 'application/json', body: `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}` },
  { contentType: 'application/json', body: '"\\ud800"' },
  { contentType: 'application/json', body: '[]' },
  { contentType: 'application/json', body: 'null' },
  { contentType: 'application/json', body: '1e400' },
  { contentType: 'application/json', body: '{"__proto__":{"role":"admin"}}' },
  { contentType: 'application/json', body: `{${Array.from({ length: 1_001 }, (_, i) => `"k${i}":${i}`).join(',')}}` },
  { contentType: 'application/json', body: `{"a":${JSON.stringify('x'.repeat(100_001))}}` },
  { contentType: 'application/json', body: '{"a":1,"a":2}' },
  { contentType: 'text/plain', body: 'hello' },
  { contentType: 'application/x-www-form-urlencoded', body: 'a=1&__proto__=x' },
  { contentType: 'application/json; charset=latin1', body: '{}' },
);

/** Percent-encodes text for a URL; a lone surrogate becomes its three WTF-8 bytes (encodeURIComponent would throw). */
export function percentEncode(text: string): string {
  let encoded = '';
  for (const char of text) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      encoded += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      encoded += encodeURIComponent(char);
    }
  }
  return encoded;
}

/** A parameter's text value: what JSON text would say, unquoted (query strings and paths carry text). */
const asText = (json: string): string => {
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'string'
      ? parsed
      : Array.isArray(parsed) || (typeof parsed === 'object' && parsed !== null)
        ? json
        : String(parsed);
  } catch {
    return json;
  }
};

// Header values fetch can send: visible Latin-1, no control characters.
const headerSafe = (text: string): string => (/^[\x20-\x7e\xa0-\xff]*$/.test(text) ? text : percentEncode(text));

/**
 * Requests for one operation: its path, query, header and body parameters. One in three is
 * meant to pass (every value fitting), so that handlers and PostgreSQL see odd but valid
 * values; the others carry hostile values among fitting ones, or a hostile body.
 */
export function requestsFor(
  operation: Operation,
  document: OpenApiDocument,
  knownIds: KnownIds,
): fc.Arbitrary<HostileRequest> {
  return fc.oneof(
    { weight: 1, arbitrary: requestsOf(operation, document, knownIds, 0) },
    { weight: 2, arbitrary: requestsOf(operation, document, knownIds, 1) },
  );
}

function requestsOf(
  operation: Operation,
  document: OpenApiDocument,
  knownIds: KnownIds,
  hostile: number,
): fc.Arbitrary<HostileRequest> {
  const ctx: SchemaContext = {
    hostile,
    knownIds,
    resolve: (schema) => {
      let current = schema;
      while (current.$ref) current = document.components.schemas[current.$ref.split('/').pop()!] ?? {};
      return current;
    },
  };
  const textOf = (parameter: Parameter) => {
    const schema = parameter.schema ?? { type: 'string' };
    const fitted =
      parameter.in === 'path' && !schema.enum
        ? fc.oneof(
            {
              weight: 9,
              arbitrary: knownIds.after(operation.path.slice(0, operation.path.indexOf(`/{${parameter.name}}`))),
            },
            { weight: 1, arbitrary: fc.uuid({ version: 7 }) },
          )
        : fitting(schema, ctx, 0).map(asText);
    return hostile === 0 ? fitted : fc.oneof({ weight: 3, arbitrary: fitted }, { weight: 2, arbitrary: hostileText });
  };
  const path = fc.tuple(
    ...operation.parameters.filter((p) => p.in === 'path').map((p) => textOf(p).map((text) => [p.name, text] as const)),
  );
  const query = fc.tuple(
    ...operation.parameters
      .filter((p) => p.in === 'query')
      .map((p) => {
        const repeated =
          p.schema?.type === 'array'
            ? fc.array(textOf({ ...p, schema: p.schema.items }), { minLength: 1, maxLength: 3 })
            : textOf(p).map((t) => [t]);
        return fc.option(
          repeated.map((texts) => texts.map((text) => [p.name, text] as const)),
          { freq: 2, nil: [] },
        );
      }),
    (hostile === 0
      ? fc.constant(null)
      : rarely(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'unknown', 'q[]', '\u0000', '\ud800'), hostileText))
    ).map((pair) => (pair ? [pair] : [])),
  );
  const headers = fc.tuple(
    ...operation.parameters
      .filter((p) => p.in === 'header')
      .map((p) =>
        fc.option(
          textOf(p).map((text) => [p.name, headerSafe(text)] as const),
          { nil: undefined },
        ),
      ),
  );
  const body = operation.body
    ? hostile === 0
      ? value(operation.body, ctx, 0).map((text) => ({ contentType: 'application/json', body: text }))
      : fc.oneof(
          {
            weight: 6,
            arbitrary: value(operation.body, ctx, 0).map((text) => ({ contentType: 'application/json', body: text })),
          },
          { weight: 2, arbitrary: hostileBodies },
          { weight: 1, arbitrary: fc.constant(undefined) },
        )
    : fc.constant(undefined);

  return fc.tuple(path, query, headers, body).map(([pathValues, queryValues, headerValues, content]) => {
    let url = operation.path;
    for (const [name, text] of pathValues) url = url.replace(`{${name}}`, percentEncode(text));
    const pairs = queryValues.flat();
    if (pairs.length > 0)
      url += `?${pairs.map(([name, text]) => `${percentEncode(name)}=${percentEncode(text)}`).join('&')}`;
    const requestHeaders: Record<string, string> = {};
    for (const header of headerValues) if (header) requestHeaders[header[0]] = header[1];
    if (content) requestHeaders['content-type'] = content.contentType;
    return { method: operation.method, url, headers: requestHeaders, body: content?.body, fitting: hostile === 0 };
  });
}
