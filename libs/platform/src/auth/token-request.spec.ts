import { parseRoleList, parseSubject, parseTokenLifetime } from './token-request';

describe('parseTokenLifetime', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['1h', 3_600],
    [' 7d ', 604_800],
    ['30d', 2_592_000],
  ])('%j → %i s', (raw, seconds) => {
    expect(parseTokenLifetime(raw)).toEqual({ ok: true, value: seconds });
  });

  it.each([
    ['0', 'between 1s and 30d'],
    ['31d', 'between 1s and 30d'],
    ['1.5h', 'expected e.g.'],
    ['1w', 'expected e.g.'],
    ['-1h', 'expected e.g.'],
    ['', 'expected e.g.'],
  ])('%j is refused', (raw, problem) => {
    expect(parseTokenLifetime(raw)).toEqual({ ok: false, problem: expect.stringContaining(problem) });
  });
});

describe('parseRoleList', () => {
  it('splits, trims and dedupes', () => {
    expect(parseRoleList(' ops:read, ops:write,,ops:read ')).toEqual({
      ok: true,
      value: ['ops:read', 'ops:write'],
    });
  });
  it.each([
    ['', 'at least one role'],
    [' , ', 'at least one role'],
    ['ops read', 'is not a role'],
    ['x'.repeat(129), 'is not a role'],
  ])('%j is refused', (raw, problem) => {
    expect(parseRoleList(raw)).toEqual({ ok: false, problem: expect.stringContaining(problem) });
  });
});

describe('parseSubject', () => {
  it('trims', () => expect(parseSubject(' alice ')).toEqual({ ok: true, value: 'alice' }));
  it.each(['', '   ', 'a'.repeat(256)])('%j is refused', (raw) => {
    expect(parseSubject(raw).ok).toBe(false);
  });
});
