import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { asyncApiDocument } from './asyncapi.document';

const document = asyncApiDocument(
  'acme',
  [{ pattern: 'tasks.create', payload: { $ref: '#/components/schemas/CreateTaskMessage' } }, { pattern: 'tasks.get' }],
  { CreateTaskMessage: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } } },
);

it('parses as AsyncAPI 3 without errors or warnings', async () => {
  const { diagnostics } = await new Parser().parse(JSON.stringify(document));
  expect(
    diagnostics
      .filter((d) => d.severity <= DiagnosticSeverity.Warning)
      .map((d) => `${d.code} ${d.path.join('.')}: ${d.message}`),
  ).toEqual([]);
});

it("puts every subject under the installation's prefix", () => {
  const addresses = Object.values(document.channels as Record<string, { address: string | null }>).map(
    (c) => c.address,
  );
  expect(addresses).toEqual(
    expect.arrayContaining([
      'acme.tasks.create',
      'acme.tasks.get',
      'acme.events.{orgId}.{eventType}.{taskType}',
      'acme.devices.cmd.{deviceId}',
      'acme.devices.from.{deviceId}.{kind}',
    ]),
  );
  expect(addresses.filter((a) => a !== null && !a.startsWith('acme.'))).toEqual([]);
});
