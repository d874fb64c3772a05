import { generateSecret, signatureHeader } from '@taskinbox/webhooks';
import { verifyWebhook } from './webhook.verifier';

// Signed by the same code that signs taskinbox's deliveries, so the helper accepts what a
// receiver really gets.
describe('verifyWebhook', () => {
  const secret = generateSecret();
  const body = JSON.stringify({ type: 'task.completed', data: { taskId: '01890a5d-ac96-774b-bcce-b302099a8057' } });
  const signed = (overrides: Record<string, string> = {}, timestamp = Math.floor(Date.now() / 1000)) => ({
    'webhook-id': 'evt-1',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader([secret], 'evt-1', timestamp, body),
    ...overrides,
  });

  it('returns the parsed body of a delivery signed with the endpoint secret, from a record or Headers', () => {
    expect(verifyWebhook(secret, signed(), body)).toEqual(JSON.parse(body));
    expect(verifyWebhook(secret, new Headers(signed()), body)).toEqual(JSON.parse(body));
  });

  it('accepts a delivery signed with the old and the new secret during a rotation', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const header = signatureHeader([generateSecret(), secret], 'evt-1', timestamp, body);
    expect(verifyWebhook(secret, signed({ 'webhook-signature': header }, timestamp), body)).toEqual(JSON.parse(body));
  });

  it('refuses another secret, a changed body, a changed id, a missing signature and an old timestamp', () => {
    expect(() => verifyWebhook(generateSecret(), signed(), body)).toThrow();
    expect(() => verifyWebhook(secret, signed(), body.replace('completed', 'cancelled'))).toThrow();
    expect(() => verifyWebhook(secret, signed({ 'webhook-id': 'evt-2' }), body)).toThrow();
    expect(() => verifyWebhook(secret, signed({ 'webhook-signature': '' }), body)).toThrow();
    expect(() => verifyWebhook(secret, signed({}, Math.floor(Date.now() / 1000) - 600), body)).toThrow();
  });
});
