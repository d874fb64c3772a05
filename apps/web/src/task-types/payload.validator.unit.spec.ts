import type { RJSFSchema } from '@rjsf/utils';
import { payloadValidator } from './payload.validator';

const refund: RJSFSchema = {
  type: 'object',
  required: ['orderId', 'amount'],
  properties: {
    orderId: { type: 'string', pattern: '^ORD-[0-9]+$' },
    amount: { type: 'number', exclusiveMinimum: 0 },
    customer: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
    items: { type: 'array', items: { type: 'string', maxLength: 8 } },
  },
};

describe('the payload form validates without eval (the CSP forbids it)', () => {
  it('given a payload that fits the schema, it finds nothing', () => {
    const { errors } = payloadValidator.validateFormData({ orderId: 'ORD-42', amount: 9.5, customer: { email: 'ada@example.com' } }, refund);
    expect(errors).toEqual([]);
  });

  it('given missing, out-of-range and badly formatted values, it names each field where the form shows it', () => {
    const { errors, errorSchema } = payloadValidator.validateFormData(
      { orderId: 'order 42', amount: 0, customer: { email: 'not-an-address' }, items: ['kettle', 'replacement lid'] },
      refund,
    );
    expect(errors.map((error) => [error.property, error.message])).toEqual([
      ['.orderId', expect.stringMatching(/pattern/)],
      ['.amount', expect.stringMatching(/0/)],
      ['.customer.email', 'must be a valid email'],
      ['.items.1', expect.stringMatching(/too long/)],
    ]);
    expect(errorSchema).toMatchObject({ customer: { email: { __errors: ['must be a valid email'] } }, items: { 1: { __errors: [expect.any(String)] } } });
    const missing = payloadValidator.validateFormData({}, refund).errors.map((error) => [error.property, error.message]);
    expect(missing).toEqual([
      ['.orderId', 'is required'],
      ['.amount', 'is required'],
    ]);
  });

  it('tells rjsf which option of a oneOf fits (isValid), resolving $defs from the root', () => {
    const root: RJSFSchema = { $defs: { cents: { type: 'integer', minimum: 0 } }, oneOf: [{ $ref: '#/$defs/cents' }, { type: 'string' }] };
    expect(payloadValidator.isValid({ $ref: '#/$defs/cents' }, 150, root)).toBe(true);
    expect(payloadValidator.isValid({ $ref: '#/$defs/cents' }, -1, root)).toBe(false);
    expect(payloadValidator.isValid({ type: 'string' }, 'x', root)).toBe(true);
  });
});
