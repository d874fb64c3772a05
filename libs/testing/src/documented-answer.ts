import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

// An answer checked against the success schema docs/openapi.json gives its operation, so the
// document cannot drift from what a route really answers. Objects are held closed: a field the
// route answers but the document does not name is reported too.

type Json = Record<string, unknown>;

let compiled: { ajv: Ajv2020; document: Json } | undefined;

function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, key === 'example' ? value : closed(value)]),
  ) as Json;
  if (out.properties && out.additionalProperties === undefined && out.unevaluatedProperties === undefined)
    out.unevaluatedProperties = false;
  return out;
}

function load(): { ajv: Ajv2020; document: Json } {
  if (compiled) return compiled;
  const document = JSON.parse(readFileSync(path.resolve(__dirname, '../../../docs/openapi.json'), 'utf8')) as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: closed(document.components) }, 'openapi');
  compiled = { ajv, document };
  return compiled;
}

/**
 * What is wrong with `body` as the documented `status` answer of `method route` (the route as the
 * document writes it: `/api/tasks/{id}`); empty when it fits.
 */
export function undocumentedIn(method: string, route: string, status: number, body: unknown): string[] {
  const { ajv, document } = load();
  const operation = (document.paths as Record<string, Record<string, Json>>)[route]?.[method.toLowerCase()];
  if (!operation) return [`${method} ${route} is not in docs/openapi.json`];
  const response = (operation.responses as Record<string, Json>)[String(status)];
  const schema = (response?.content as Record<string, { schema?: Json }> | undefined)?.['application/json']?.schema;
  if (!schema) return [`${method} ${route} documents no JSON answer for ${status}`];
  // Refs inside the operation's schema point into the document's components.
  const validate = ajv.compile(
    JSON.parse(JSON.stringify(closed(schema)).replaceAll('"#/components/', '"openapi#/components/')),
  );
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}
