import { decode, type Account } from '@nats-io/jwt';
import { accountNames, completeKeys, publicKeyOf, publicKeys } from '../keys/installation.keys';
import { accountClaims, scopedTemplates, signAccount } from './account.specs';

const keys = completeKeys();

describe('account specs', () => {
  it('gives every account explicit limits (none means zero connections) and JetStream to TASKINBOX only', () => {
    for (const name of accountNames) {
      const { limits } = accountClaims(name, keys);
      expect(limits).toMatchObject({ conn: -1, subs: -1, payload: -1, disallow_bearer: true });
      expect(limits?.disk_storage).toBe(name === 'TASKINBOX' ? -1 : 0);
    }
  });

  it('signs accounts with the operator signing key, revocations included, from public keys alone', async () => {
    const jwt = await signAccount('EVENTS', publicKeys(keys), keys.operatorSigning, { UABC: 42 });
    const claims = decode<Account>(jwt);
    expect(claims.iss).toBe(publicKeyOf(keys.operatorSigning));
    expect(claims.sub).toBe(publicKeyOf(keys.accounts.EVENTS.identity));
    expect(claims.nats.revocations).toEqual({ UABC: 42 });
    expect(claims.nats.signing_keys).toEqual([
      expect.objectContaining({
        kind: 'user_scope',
        role: 'reader',
        key: publicKeyOf(keys.accounts.EVENTS.signing.reader),
      }),
    ]);
    expect(claims.nats.imports?.every((item) => item.account === publicKeyOf(keys.accounts.TASKINBOX.identity))).toBe(
      true,
    );
  });

  it('writes templates with whole-token placeholders only (the server ignores others)', () => {
    for (const template of Object.values(scopedTemplates)) {
      const subjects = [...(template.pub?.allow ?? []), ...(template.sub?.allow ?? [])];
      for (const token of subjects.flatMap((subject) => subject.split('.'))) {
        if (token.includes('{{')) expect(token).toMatch(/^\{\{[a-z-]+\([a-z]*\)\}\}$/);
      }
    }
  });

  it('keeps existing keys and adds only what is missing', () => {
    const without = structuredClone(keys);
    delete (without.accounts.EVENTS.signing as Record<string, string>).reader;
    const completed = completeKeys(without);
    expect(completed.operator).toBe(keys.operator);
    expect(completed.accounts.EVENTS.identity).toBe(keys.accounts.EVENTS.identity);
    expect(completed.accounts.EVENTS.signing.reader).toMatch(/^SA/);
    expect(completed.accounts.EVENTS.signing.reader).not.toBe(keys.accounts.EVENTS.signing.reader);
  });
});
