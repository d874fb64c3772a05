import { actionArgs, pointerValue } from './action.args';

describe('an action\'s arguments', () => {
  const source = { payload: { order: { id: 'o-7', 'a/b': 1 }, items: ['x', 'y'] }, task: { title: 'T' } };

  it('reads JSON Pointers, escapes included, and nothing outside own properties', () => {
    expect(pointerValue(source, '/payload/order/id')).toBe('o-7');
    expect(pointerValue(source, '/payload/order/a~1b')).toBe(1);
    expect(pointerValue(source, '/payload/items/1')).toBe('y');
    expect(pointerValue(source, '/payload/items/01')).toBeUndefined();
    expect(pointerValue(source, '/payload/order/constructor')).toBeUndefined();
    expect(pointerValue(source, '/payload/missing/deeper')).toBeUndefined();
  });

  it("takes the task's values over given ones of the same name", () => {
    expect(actionArgs({ orderId: '/payload/order/id', title: '/task/title' }, source, { orderId: 'forged', amount: 3 })).toEqual({
      orderId: 'o-7',
      title: 'T',
      amount: 3,
    });
    expect(actionArgs({ orderId: '/payload/none' }, source, { orderId: 'forged' })).toEqual({});
  });
});
