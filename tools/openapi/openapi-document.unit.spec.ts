// The committed OpenAPI document (docs/openapi.json, the one the server serves: the contract e2e
// test compares them) tells a client author what every operation is for, what it answers and
// what credential it needs. A route added without them fails here, naming itself.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

type Content = Record<string, { schema?: object; example?: unknown; examples?: unknown }>;

interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  requestBody?: { content?: Content };
  responses: Record<string, { description?: string; content?: Content }>;
}

const document = JSON.parse(readFileSync(path.resolve(__dirname, '../../docs/openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, object> };
};
const methods = ['get', 'put', 'post', 'delete', 'patch', 'head'];
const operations = Object.entries(document.paths).flatMap(([route, item]) =>
  Object.entries(item)
    .filter(([method]) => methods.includes(method))
    .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${route}`, operation })),
);

/**
 * Successes that carry no body, each for a reason its description gives: 204s, the status page's
 * form post (303 back to the page), tus (headers are its answer) and a resend that only queues.
 */
const bodyless = new Set(['204', '303']);
const headersOnly = new Set([
  'HEAD /api/uploads/tus/{uploadId}',
  'POST /api/webhooks/endpoints/{id}/deliveries/{deliveryId}/resend',
]);

describe('docs/openapi.json', () => {
  it('has operations to check', () => {
    expect(operations.length).toBeGreaterThan(150);
  });

  it('gives every operation a written one-line summary, not one made from its handler name', () => {
    // What the document once filled in from the operation id: `Replace schedule (job)`.
    const words = (camel: string) => camel.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
    const madeUp = (operationId = '') => {
      const [controller = '', handler = ''] = operationId.split('_');
      return [words(handler), `${words(handler)} (${words(controller.replace(/Controller$/, ''))})`];
    };
    const lacking = operations.filter(({ operation }) => {
      const summary = operation.summary?.trim() ?? '';
      return (
        summary.length < 8 || summary.includes('\n') || madeUp(operation.operationId).includes(summary.toLowerCase())
      );
    });
    expect(lacking.map(({ name, operation }) => `${name}: ${operation.summary ?? '(none)'}`)).toEqual([]);
  });

  it('gives every operation a success answer, with a schema unless it documents why there is no body', () => {
    const lacking = operations.filter(({ name, operation }) => {
      const successes = Object.entries(operation.responses).filter(([status]) => /^[23]/.test(status));
      if (successes.length === 0) return true;
      return successes.some(([status, response]) => {
        if (bodyless.has(status) || headersOnly.has(name)) return !response.description;
        const schemas = Object.values(response.content ?? {}).map((media) => media.schema);
        return schemas.length === 0 || schemas.some((schema) => !schema || Object.keys(schema).length === 0);
      });
    });
    expect(lacking.map(({ name, operation }) => `${name}: ${Object.keys(operation.responses).join(', ')}`)).toEqual([]);
  });

  it('states the security of every operation: the bearer token, or explicitly none', () => {
    const lacking = operations.filter(({ operation }) => {
      if (!Array.isArray(operation.security)) return true;
      return operation.security.some((requirement) => Object.keys(requirement).some((scheme) => scheme !== 'bearer'));
    });
    expect(lacking.map(({ name }) => name)).toEqual([]);
  });

  // The end user's status page refuses with HTML pages; every JSON refusal is the error shape.
  it('documents the refusals of every operation, in JSON with the error shape', () => {
    const errorShape = { $ref: '#/components/schemas/ErrorResponse' };
    const lacking = operations.filter(({ operation }) => {
      const refusals = Object.entries(operation.responses).filter(([status]) => /^4/.test(status));
      return (
        refusals.length === 0 ||
        refusals.some(([, response]) => {
          const media = Object.entries(response.content ?? {});
          return (
            media.length === 0 ||
            media.some(([type, { schema }]) =>
              type === 'application/json' ? JSON.stringify(schema) !== JSON.stringify(errorShape) : !schema,
            )
          );
        })
      );
    });
    expect(lacking.map(({ name }) => name)).toEqual([]);
  });

  // A client author learns a body's shape fastest from a filled-in one: every JSON request or
  // success body shows an example somewhere in it (on the body, a schema, or a property, through
  // its $refs).
  it('shows an example in the request or success body of every operation with a JSON body', () => {
    const schemas = document.components?.schemas ?? {};
    const showsExample = (node: unknown, seen: Set<string>): boolean => {
      if (!node || typeof node !== 'object') return false;
      const schema = node as Record<string, unknown>;
      if ('example' in schema || 'examples' in schema) return true;
      if (typeof schema.$ref === 'string') {
        if (seen.has(schema.$ref)) return false;
        seen.add(schema.$ref);
        return showsExample(schemas[schema.$ref.replace('#/components/schemas/', '')], seen);
      }
      return Object.values(schema).some((value) => showsExample(value, seen));
    };
    const lacking = operations.filter(({ operation }) => {
      const successes = Object.entries(operation.responses).filter(([status]) => /^2/.test(status));
      const bodies = [operation.requestBody, ...successes.map(([, response]) => response)]
        .map((body) => body?.content?.['application/json'])
        .filter((media) => media !== undefined);
      return bodies.length > 0 && !bodies.some((media) => showsExample(media, new Set()));
    });
    expect(lacking.map(({ name }) => name)).toEqual([]);
  });

  // @nestjs/swagger names a schema after its class and keeps one per name: a second class of the
  // same name silently takes the first one's routes (on-call PersonView once documented the people
  // directory's). Two classes may share a name only when @ApiSchema names them apart.
  it('comes from classes whose schema names are unique', () => {
    const root = path.resolve(__dirname, '../..');
    const sources = ['apps', 'libs'].flatMap((dir) =>
      (readdirSync(path.join(root, dir), { recursive: true }) as string[])
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.includes('node_modules'))
        .map((file) => path.join(root, dir, file)),
    );
    const owners = new Map<string, string[]>();
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes("from '@nestjs/swagger'")) continue;
      for (const match of text.matchAll(/(?:@ApiSchema\(\{ name: '(\w+)' \}\)\s*)?(?:export )?class (\w+)/g)) {
        const name = match[1] ?? match[2];
        owners.set(name, [...(owners.get(name) ?? []), path.relative(root, file)]);
      }
    }
    const shared = [...owners]
      .filter(([, files]) => files.length > 1)
      .map(([name, files]) => `${name}: ${files.join(', ')}`);
    expect(shared).toEqual([]);
  });

  // Reflection reads `string | null` as Object and `Record<string, unknown>` as a closed object:
  // a generated client then wants an object for a date, or an empty object for a payload.
  it('has no object schema that is really a string, or that allows no field at all', () => {
    const wrong: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      const types = ([] as unknown[]).concat(schema.type ?? []);
      if (types.includes('object')) {
        if (schema.format || schema.enum) wrong.push(`${at}: an object with format or enum`);
        const shaped = ['properties', 'additionalProperties', 'allOf', 'oneOf', 'anyOf', '$ref'].some(
          (key) => key in schema,
        );
        if (!shaped) wrong.push(`${at}: an object with no properties and no additionalProperties`);
      }
      for (const [key, value] of Object.entries(schema)) if (key !== 'example') walk(value, `${at}/${key}`);
    };
    walk(document, '#');
    expect(wrong).toEqual([]);
  });
});
