import { describe, expect, it } from '@jest/globals';
import { findUnstorable, isStorableText, MAX_STORED_DEPTH, text } from './text.js';

describe('isStorableText', () => {
  it('when a string holds NUL or an unpaired surrogate (high, low, reversed pair), then it is refused', () => {
    for (const s of ['\u0000', 'a\u0000', '\ud800', 'x\ud83dy', '\udc00', 'a\udfff', '\ude00\ud83d']) expect([s, isStorableText(s)]).toStrictEqual([s, false]);
  });

  it('when a string holds surrogate pairs, other control characters or nothing, then it is storable', () => {
    for (const s of ['', 'plain', '👩‍💻', '\ud83d\ude00\ud83d\ude00', '\u0001\u001f\t\n', '\uffff', '\ufeff']) expect([s, isStorableText(s)]).toStrictEqual([s, true]);
  });
});

describe('text()', () => {
  it('when parsed, then unstorable text fails with the shared message, and the string methods still chain', () => {
    const schema = text().trim().min(1).max(5);
    expect(schema.parse('  ok ')).toBe('ok');
    expect(schema.safeParse('a\u0000').error?.issues.map((i) => i.message)).toStrictEqual(['must not contain NUL characters or unpaired surrogates']);
    expect(schema.safeParse('toolong').success).toBe(false);
  });
});

describe('findUnstorable', () => {
  it('when a value holds unstorable text anywhere (nested, in arrays, in keys), then it names the place', () => {
    expect(findUnstorable({ a: 1, b: { c: ['x', 'y\u0000'] } })).toBe('b.c.1: must not contain NUL characters or unpaired surrogates');
    expect(findUnstorable({ ['k\ud800']: 1 })).toBe('(value): a key must not contain NUL characters or unpaired surrogates');
    expect(findUnstorable('\udc00')).toBe('(value): must not contain NUL characters or unpaired surrogates');
    expect(findUnstorable({ a: [1, null, true, 'ok'], b: { c: '😀' } })).toBeUndefined();
  });

  it('when a value nests deeper than the limit, then it is refused; at the limit it is not', () => {
    const nest = (n: number): unknown => (n === 0 ? 1 : { a: nest(n - 1) });
    expect(findUnstorable(nest(MAX_STORED_DEPTH))).toBeUndefined();
    expect(findUnstorable(nest(MAX_STORED_DEPTH + 1))).toMatch(/nested deeper than 32 levels$/);
  });
});
