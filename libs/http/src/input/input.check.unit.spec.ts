import { InvalidInput, UnreadableBody, findInputProblems, readJsonInput, tooDeepAt } from './input.check';

const limits = { maxDepth: 4, maxKeys: 3, maxStringLength: 10 };
const bytes = (text: string) => new TextEncoder().encode(text);

describe('findInputProblems', () => {
  it('accepts ordinary JSON, paired surrogates (emoji) included', () => {
    expect(findInputProblems({ title: 'ok 👍', tags: ['a', 'b'], n: 1, ok: true, none: null }, 'body', { ...limits, maxKeys: 5 })).toEqual([]);
  });

  it('names each field that holds NUL, an unpaired surrogate or too long a string', () => {
    const problems = findInputProblems({ a: 'x\u0000', b: ['ok', '\ud800'], c: { d: 'y'.repeat(11) }, e: '\udc00x' }, 'body', {
      ...limits,
      maxKeys: 4,
    });
    expect(problems).toEqual([
      { field: 'a', in: 'body', problems: ['must not contain NUL characters (\\u0000)'] },
      { field: 'b[1]', in: 'body', problems: ['must not contain unpaired UTF-16 surrogates'] },
      { field: 'c.d', in: 'body', problems: ['is longer than 10 characters'] },
      { field: 'e', in: 'body', problems: ['must not contain unpaired UTF-16 surrogates'] },
    ]);
  });

  it('checks keys as well as values, and refuses __proto__', () => {
    expect(findInputProblems({ 'a\u0000': 1 }, 'body', limits)).toEqual([
      { field: '["a\\u0000"]', in: 'body', problems: ['(the key) must not contain NUL characters (\\u0000)'] },
    ]);
    expect(findInputProblems(JSON.parse('{"x":{"__proto__":{"admin":true}}}'), 'body', limits)[0]).toMatchObject({
      field: 'x.__proto__',
      problems: ['(the key) is not allowed'],
    });
  });

  it('stops at the depth limit and at objects with too many keys', () => {
    expect(findInputProblems({ a: { b: { c: { d: {} } } } }, 'body', limits)).toEqual([
      { field: 'a.b.c.d', in: 'body', problems: ['is nested deeper than 4 levels'] },
    ]);
    expect(findInputProblems({ wide: { a: 1, b: 2, c: 3, d: 4 } }, 'body', limits)).toEqual([
      { field: 'wide', in: 'body', problems: ['has more than 3 keys'] },
    ]);
  });

  it('walks a value nested a million levels deep without overflowing the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(findInputProblems(deep, 'body', { ...limits, maxDepth: 32 })).toHaveLength(1);
  });

  it('names a string at the top level by the given root, and reports ten problems at most', () => {
    expect(findInputProblems('\u0000', 'header', limits, 'x-key')).toEqual([
      { field: 'x-key', in: 'header', problems: ['must not contain NUL characters (\\u0000)'] },
    ]);
    expect(findInputProblems(Array.from({ length: 50 }, () => '\u0000'), 'body', { ...limits, maxKeys: 100 })).toHaveLength(10);
  });
});

describe('tooDeepAt', () => {
  it('finds the path of the first container past the limit, strings with brackets and escapes ignored', () => {
    expect(tooDeepAt('{"a":[1,{"b":[[[]]]}]}', 4)).toBe('a[1].b[0]');
    expect(tooDeepAt('{"a":"[[[[[[","b\\"":{"c":{}}}', 3)).toBeUndefined();
    expect(tooDeepAt('{"a":"x","b\\"[":{"c":{"d":{}}}}', 3)).toBe('["b\\"["].c.d');
    expect(tooDeepAt('[' .repeat(5) + ']'.repeat(5), 5)).toBeUndefined();
    expect(tooDeepAt('['.repeat(6) + ']'.repeat(6), 5)).toBe('[0][0][0][0][0]');
  });
});

describe('readJsonInput', () => {
  it('parses JSON', () => {
    expect(readJsonInput(bytes('{"a":[1,"é"]}'), limits)).toEqual({ a: [1, 'é'] });
  });

  it('refuses bytes that are not UTF-8, also a surrogate encoded as UTF-8', () => {
    for (const bad of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80]]) {
      const body = Uint8Array.from([0x22, ...bad, 0x22]);
      expect(() => readJsonInput(body, limits)).toThrow(InvalidInput);
      expect(() => readJsonInput(body, limits)).toThrow('Invalid request: the body is not valid UTF-8.');
    }
  });

  it('refuses nesting past the limit before parsing, and text that is not JSON', () => {
    expect(() => readJsonInput(bytes('{"a":{"b":{"c":{"d":{}}}}}'), limits)).toThrow(
      'Invalid request: a.b.c.d is nested deeper than 4 levels.',
    );
    expect(readJsonInput(bytes('{"a":{"b":{"c":{}}}}'), limits)).toEqual({ a: { b: { c: {} } } });
    // More brackets than the limit, but most inside a string: not nested that deep.
    expect(readJsonInput(bytes('{"a":"[[[{{","b":[{}]}'), limits)).toEqual({ a: '[[[{{', b: [{}] });
    expect(() => readJsonInput(bytes('{"a":'), limits)).toThrow(new UnreadableBody('Malformed JSON body.'));
    expect(() => readJsonInput(bytes('  '), limits)).toThrow(UnreadableBody);
  });
});
