import { Webhook } from 'standardwebhooks';
import { verifySignedMessage } from './inbound.signature';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const other = 'whsec_QWxsIHRoZSBvdGhlciBzZWNyZXQgYnl0ZXMhIQ==';
const at = new Date('2026-03-04T12:00:00Z');
const body = Buffer.from('{"type":"task.info","taskId":"0190a4e2-0000-7000-8000-0000000000aa","info":{"a":1}}');
const signed = (key: string, id = 'msg_1', when = at) => ({
  id,
  timestamp: String(Math.floor(when.getTime() / 1000)),
  signature: new Webhook(key).sign(id, when, body.toString()),
});

describe('Standard Webhooks verification of inbound messages', () => {
  it('accepts the reference library signature, also among several (a sender rotating its secret)', () => {
    expect(verifySignedMessage(secret, signed(secret), body, at)).toBe('msg_1');
    const both = `${signed(other).signature} ${signed(secret).signature}`;
    expect(verifySignedMessage(secret, { ...signed(secret), signature: both }, body, at)).toBe('msg_1');
  });

  it('refuses another secret, another body, another id and a missing header as inbound_signature_invalid', () => {
    expect(() => verifySignedMessage(secret, signed(other), body, at)).toThrow(
      expect.objectContaining({ code: 'inbound_signature_invalid' }),
    );
    expect(() => verifySignedMessage(secret, signed(secret), Buffer.from(`${body.toString()} `), at)).toThrow(
      expect.objectContaining({ code: 'inbound_signature_invalid' }),
    );
    expect(() => verifySignedMessage(secret, { ...signed(secret), id: 'msg_2' }, body, at)).toThrow(
      expect.objectContaining({ code: 'inbound_signature_invalid' }),
    );
    expect(() => verifySignedMessage(secret, { ...signed(secret), signature: undefined }, body, at)).toThrow(
      expect.objectContaining({ code: 'inbound_signature_invalid' }),
    );
  });

  it('accepts a timestamp 5 minutes off either way and refuses 5 minutes and 1 second', () => {
    const fiveMinutes = 5 * 60_000;
    expect(verifySignedMessage(secret, signed(secret, 'old', new Date(at.getTime() - fiveMinutes)), body, at)).toBe(
      'old',
    );
    expect(verifySignedMessage(secret, signed(secret, 'new', new Date(at.getTime() + fiveMinutes)), body, at)).toBe(
      'new',
    );
    for (const offset of [-fiveMinutes - 1000, fiveMinutes + 1000]) {
      expect(() => verifySignedMessage(secret, signed(secret, 'x', new Date(at.getTime() + offset)), body, at)).toThrow(
        expect.objectContaining({ code: 'inbound_timestamp_stale' }),
      );
    }
  });
});
