import { answerOf, formFields, formProblems } from './end-user-form';

const form = {
  type: 'object',
  required: ['iban'],
  properties: {
    iban: { type: 'string', title: 'IBAN', description: 'Where we send the money', minLength: 5 },
    amount: { type: 'number', title: 'Amount' },
    speed: { type: 'string', enum: ['standard', 'express'] },
    keep: { type: 'boolean', title: 'Keep the item' },
  },
};

describe('an end-user form', () => {
  it('is a flat object of scalars and enums', () => {
    expect(formProblems(form)).toEqual([]);
    expect(formProblems({ type: 'object', properties: { nested: { type: 'object' } } })).toEqual([
      'form.properties.nested must have type string, number, integer or boolean',
    ]);
    expect(formProblems({ type: 'array' })).toEqual(['form must be a JSON Schema of type object with properties']);
    expect(formProblems({ type: 'object', properties: { a: { type: 'string' } }, required: ['b'] })).toEqual(['form.required must list properties of the form']);
  });

  it('becomes fields in schema order, and a posted form becomes a typed answer', () => {
    // given the form's fields
    const fields = formFields(form);
    expect(fields).toEqual([
      { name: 'iban', label: 'IBAN', hint: 'Where we send the money', kind: 'text', required: true },
      { name: 'amount', label: 'Amount', kind: 'number', required: false },
      { name: 'speed', label: 'speed', kind: 'choice', required: false, options: ['standard', 'express'] },
      { name: 'keep', label: 'Keep the item', kind: 'boolean', required: false },
    ]);

    // when a browser posts it (an unchecked box is not sent; an extra field is ignored)
    const answer = answerOf({ iban: 'DE89 3704', amount: '12.5', speed: 'express', extra: 'x' }, fields);

    // then the answer is typed as the schema says
    expect(answer).toEqual({ iban: 'DE89 3704', amount: 12.5, speed: 'express', keep: false });
    expect(answerOf({ iban: '', amount: 'lots', keep: 'on' }, fields)).toEqual({ amount: 'lots', keep: true });
  });
});
