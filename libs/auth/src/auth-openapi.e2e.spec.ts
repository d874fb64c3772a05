import { call, startTestApp, type TestApp } from '@taskinbox/testing';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ imports: [] });
});
afterAll(() => t?.close());

const accountsPaths = /^\/api\/(auth|users|user-groups|invitations|password-resets|api-keys)(\/|$)/;

describe('the OpenAPI document', () => {
  it('describes every accounts route with its success answer and, where there is a body, its schema', async () => {
    const { body: document } = await call(t.url, 'GET', '/api/docs/openapi.json');
    const operations = Object.entries(document.paths as Record<string, Record<string, { responses: Record<string, any> }>>)
      .filter(([path]) => accountsPaths.test(path))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })));
    expect(operations.length).toBeGreaterThanOrEqual(25);
    for (const { route, operation } of operations) {
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
      expect([route, success?.[0]]).toEqual([route, expect.stringMatching(/^20[014]$/)]);
      if (success![0] !== '204') expect([route, success![1].content?.['application/json']?.schema]).toEqual([route, expect.anything()]);
    }
    expect(document.components.schemas.IssuedInvitationView.required).toEqual(expect.arrayContaining(['id', 'email', 'role', 'expiresAt', 'link']));
  });
});
