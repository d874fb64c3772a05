import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { LRUCache } from 'lru-cache';
import { RE2JS } from 're2js';

// JSON Schemas are written by admins, so they are untrusted input to a code generator (Ajv
// compiles them to JavaScript). What keeps that safe: the 2020-12 metaschema and Ajv's strict
// mode refuse unknown keywords; size and depth are capped; only local $ref ('#…'), no $id and no
// $data anywhere (no remote loading, no data-driven keywords: CVE-2025-69873); and every
// `pattern`/`patternProperties` runs on RE2JS, a linear-time engine, so no pattern can hang the
// process (back-references and look-arounds are refused at publish time).

export const schemaLimits = { maxBytes: 64 * 1024, maxDepth: 24 } as const;

/** Ajv's regExp engine (code.regExp): RE2JS, which matches in time linear in the input. */
const linearRegExp = Object.assign(
  (pattern: string) => {
    const compiled = RE2JS.compile(pattern);
    return { test: (text: string) => compiled.test(text), toString: () => pattern };
  },
  { code: 'linearRegExp' },
);

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    $data: false,
    addUsedSchema: false,
    code: { regExp: linearRegExp },
  });
  addFormats(ajv);
  return ajv;
}

export interface PayloadProblem {
  /** JSON path of the value inside the payload, e.g. `payload.items[2].name`. */
  field: string;
  problem: string;
}

/** Checks schemas before they are published, and validates payloads against published ones. */
export class PayloadSchemas {
  private readonly ajv = newAjv();
  private readonly compiled = new LRUCache<string, ValidateFunction>({ max: 500 });

  /** Why `schema` may not be published; empty when it may. */
  problemsOf(schema: unknown, at = 'schema'): string[] {
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [`${at} must be a JSON object`];
    const size = Buffer.byteLength(JSON.stringify(schema));
    if (size > schemaLimits.maxBytes) return [`${at} is ${size} bytes; at most ${schemaLimits.maxBytes}`];
    const structural = structuralProblems(schema, at);
    if (structural.length > 0) return structural;
    if (!this.ajv.validateSchema(schema)) return (this.ajv.errors ?? []).map((error) => `${at}${error.instancePath} ${error.message}`);
    try {
      this.ajv.compile(schema);
      return [];
    } catch (error) {
      return [`${at}: ${(error as Error).message}`];
    }
  }

  /** Problems of `value` under the schema published as `cacheKey` (compiled once per key). */
  validate(cacheKey: string, schema: Record<string, unknown>, value: unknown, root = 'payload'): PayloadProblem[] {
    let validate = this.compiled.get(cacheKey);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(cacheKey, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((error) => toProblem(error, root));
  }
}

function structuralProblems(schema: object, at: string): string[] {
  const problems: string[] = [];
  const walk = (node: unknown, path: string, depth: number): void => {
    if (problems.length > 10) return;
    if (depth > schemaLimits.maxDepth) {
      problems.push(`${path} is nested deeper than ${schemaLimits.maxDepth} levels`);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${path}/${index}`, depth + 1));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      const here = `${path}/${key}`;
      if (key === '$data') problems.push(`${here}: $data is not allowed`);
      else if (key === '$id' || key === '$dynamicRef' || key === '$dynamicAnchor') problems.push(`${here}: ${key} is not allowed`);
      else if ((key === '$ref' && typeof value === 'string' && !value.startsWith('#'))) problems.push(`${here}: only local references ('#/…') are allowed`);
      else if (key === '$schema' && value !== 'https://json-schema.org/draft/2020-12/schema') problems.push(`${here}: only JSON Schema 2020-12 is supported`);
      walk(value, here, depth + 1);
    }
  };
  walk(schema, at, 0);
  return problems;
}

/** An Ajv error as a field name a person can find: JSON Pointer → `payload.items[2].name`. */
function toProblem(error: ErrorObject, root: string): PayloadProblem {
  const segments = error.instancePath.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') segments.push(String((error.params as { missingProperty: string }).missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String((error.params as { additionalProperty: string }).additionalProperty));
  const field = segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : `${path}.${segment}`), root);
  const problem =
    error.keyword === 'required' ? 'is required' : error.keyword === 'additionalProperties' ? 'is not allowed' : (error.message ?? 'is invalid');
  return { field, problem };
}
