import { shownValue, valueAt, webAddress } from './task-layout.values';

describe('a payload read through a display layout', () => {
  const payload = {
    order: { id: 'ORD-1', 'a/b': 'slash', 'c~d': 'tilde' },
    amount: { value: 49.9, currency: 'EUR' },
    items: ['kettle', 'lid'],
    receipt: 'https://shop.example.com/r/1',
    trap: 'javascript:alert(1)',
    data: 'data:text/html,<script>alert(1)</script>',
    html: '<img src=x onerror=alert(1)>',
  };

  it('follows JSON Pointers, escapes included, own properties only', () => {
    expect(valueAt(payload, '/order/id')).toBe('ORD-1');
    expect(valueAt(payload, '/order/a~1b')).toBe('slash');
    expect(valueAt(payload, '/order/c~0d')).toBe('tilde');
    expect(valueAt(payload, '/items/1')).toBe('lid');
    expect(valueAt(payload, '/missing/deeper')).toBeUndefined();
    expect(valueAt(payload, '/order/constructor')).toBeUndefined();
    expect(valueAt(payload, '/__proto__')).toBeUndefined();
    expect(valueAt(payload, 'order')).toBeUndefined();
  });

  it('makes links and pictures only of http(s) addresses', () => {
    expect(webAddress(payload.receipt)).toBe(payload.receipt);
    expect(webAddress(payload.trap)).toBeNull();
    expect(webAddress(payload.data)).toBeNull();
    expect(webAddress(' JAVASCRIPT:alert(1)')).toBeNull();
    expect(shownValue({ field: '/trap', label: 'Trap', format: 'link' }, payload)).toEqual({
      kind: 'text',
      text: payload.trap,
    });
    expect(shownValue({ field: '/data', label: 'Picture', format: 'image' }, payload)).toEqual({
      kind: 'text',
      text: payload.data,
    });
    expect(shownValue({ field: '/receipt', label: 'Receipt', format: 'link' }, payload)).toEqual({
      kind: 'link',
      href: payload.receipt,
      text: payload.receipt,
    });
  });

  it('keeps markup as text, formats money and lists, and says none for what is missing', () => {
    expect(shownValue({ field: '/html', label: 'H', format: 'text' }, payload)).toEqual({
      kind: 'text',
      text: payload.html,
    });
    const money = shownValue({ field: '/amount', label: 'Amount', format: 'money' }, payload);
    expect(money.kind === 'text' && money.text).toMatch(/49[.,]90/);
    expect(shownValue({ field: '/items', label: 'Items', format: 'list' }, payload)).toEqual({
      kind: 'list',
      items: ['kettle', 'lid'],
    });
    expect(shownValue({ field: '/nothing', label: 'N', format: 'text' }, payload)).toEqual({ kind: 'none' });
  });
});
