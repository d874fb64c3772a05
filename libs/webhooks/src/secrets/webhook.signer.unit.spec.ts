import { Webhook } from 'standardwebhooks';
import { SecretCipher } from './secret.cipher';
import { generateSecret, signatureHeader, signingSecrets } from './webhook.signer';

describe('webhook signer', () => {
  it('makes secrets of 32 random bytes that the reference verifier accepts', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    const body = JSON.stringify({ type: 'task.completed', data: { taskId: 't' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': 'evt-1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader([secret], 'evt-1', timestamp, body),
    };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('signs with both secrets during a rotation, each verifiable on its own', () => {
    const [current, old] = [generateSecret(), generateSecret()];
    const now = new Date('2026-01-01T12:00:00Z');
    const secrets = { current, previous: { secret: old, expiresAt: new Date('2026-01-02T11:00:00Z') } };
    expect(signingSecrets(secrets, now)).toEqual([current, old]);
    expect(signingSecrets(secrets, new Date('2026-01-02T11:00:00Z'))).toEqual([current]);

    const body = '{"a":1}';
    const timestamp = Math.floor(Date.now() / 1000);
    const header = signatureHeader([current, old], 'evt-2', timestamp, body);
    expect(header.split(' ')).toHaveLength(2);
    const headers = { 'webhook-id': 'evt-2', 'webhook-timestamp': String(timestamp), 'webhook-signature': header };
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(old).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
  });

  it('encrypts at rest with AES-256-GCM and detects tampering', () => {
    const cipher = new SecretCipher(Buffer.alloc(32, 1));
    const stored = cipher.encrypt('whsec_abc');
    expect(stored).not.toContain('whsec_abc');
    expect(cipher.decrypt(stored)).toBe('whsec_abc');
    expect(cipher.encrypt('whsec_abc')).not.toBe(stored);
    const [v, iv, tag, data] = stored.split('.');
    const flipped = Buffer.from(data, 'base64');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([v, iv, tag, flipped.toString('base64')].join('.'))).toThrow();
    expect(() => new SecretCipher(Buffer.alloc(32, 2)).decrypt(stored)).toThrow();
  });
});
