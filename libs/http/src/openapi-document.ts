import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Responses = Operation['responses'];

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head'] as const;
const writes = new Set(['put', 'post', 'delete', 'patch']);

/** The body of every refusal (libs/http/src/error-response.ts), as one component. */
const errorSchema = {
  type: 'object',
  required: ['statusCode', 'error', 'message', 'correlationId'],
  properties: {
    statusCode: { type: 'integer', example: 404 },
    error: { type: 'string', description: 'The reason phrase of the status.', example: 'Not Found' },
    message: { type: 'string', example: 'No task with id 01890a5d-ac96-774b-bcce-b302099a8057.' },
    details: {
      description:
        'For coded refusals `{ code }` (a stable code such as task_not_found, illegal_transition, invalid_input), ' +
        'for invalid input the fields refused and why.',
      example: { code: 'task_not_found' },
    },
    correlationId: { type: 'string', description: 'Also sent as the x-correlation-id header; quote it when asking for help.' },
  },
};

const refusals: Record<string, string> = {
  '400': 'The request is refused as it stands: invalid input (details names each field), or a command the domain refuses.',
  '401': 'No valid session token or API key.',
  '403': "The caller's role or scopes do not allow this, or the domain refuses this caller (not_the_claimer).",
  '404': 'Nothing with this id in the caller\'s organisation.',
  '409': 'Conflicts with the current state: a taken name, an illegal transition, a stale revision.',
  '413': 'The body is larger than the limit.',
};

const success: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '204': 'No content' };

/**
 * The OpenAPI document of an application, completed where one rule serves every route so that
 * ~150 routes need not repeat it: the shared error answers by the operation's security, method
 * and parameters; empty security for public routes. Summaries and success answers are each
 * route's own (@ApiOperation, @ApiOkResponse…); tools/openapi/openapi-document.unit.spec.ts
 * holds every route to them.
 */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('taskinbox')
      .setDescription('Shared task inbox: post tasks, claim them, resolve them, hear about every change.')
      .setVersion('0.1.0')
      .setLicense('MIT', 'https://opensource.org/licenses/MIT')
      .addServer('/', 'The server that serves this document')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A session token from /api/auth/login, or an API key (tib_…)' })
      .build(),
  );
  return completeDocument(document);
}

function completeDocument(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ErrorResponse: errorSchema } };
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      // Guarded routes carry @ApiBearerAuth; the rest are @Public (signed links, sign-in, agents).
      operation.security ??= [];
      const secured = operation.security.length > 0;
      const responses: Responses = operation.responses;
      for (const [status, response] of Object.entries(responses)) {
        if (!response || '$ref' in response) continue;
        if (!response.description) response.description = success[status] ?? refusals[status] ?? status;
        if (/^4/.test(status) && !response.content) response.content = errorContent;
      }
      const add = (status: string, when: boolean) => {
        if (when && !responses[status]) responses[status] = { description: refusals[status], content: errorContent };
      };
      const hasInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
      add('400', hasInput);
      add('401', secured);
      add('403', secured);
      add('404', path.includes('{'));
      add('409', secured && writes.has(method));
      add('413', operation.requestBody !== undefined);
      // The shape of every answer, whatever its status.
      if (!Object.keys(responses).some((status) => /^4/.test(status))) add('400', true);
    }
  }
  return document;
}
