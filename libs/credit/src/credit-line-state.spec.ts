import { CreditLineData } from '@lendstream/contracts';
import fc from 'fast-check';
import {
  assertCreditLineState,
  CreditLineState,
  creditLineEventData,
  exposureOf,
  portfolioLineOf,
  sameCreditLineState,
} from './credit-line-state';
import { canonicalJson, toJsonSafe } from './json-safe';
import { lineFixture } from './testing/line-fixture';

describe('a credit line', () => {
  it('turns into a scf.credit-lines.v1 payload the contract accepts', () => {
    const line = lineFixture({ outstandingMinor: 650_000n });
    const wire = JSON.parse(JSON.stringify(toJsonSafe(creditLineEventData(line))));
    expect(CreditLineData.parse(wire)).toEqual({
      merchantId: 'm-000042',
      creditLineId: 'cl-1',
      status: 'ACTIVE',
      limitMinor: 2_650_000n,
      availableMinor: 2_000_000n,
      outstandingMinor: 650_000n,
      currency: 'CNY',
      dailyRateBps: 2,
      grade: 'A',
      score: 864,
      reasons: line.reasons,
      policyVersion: 'v1',
      decisionId: 'd-0',
      profileAsOf: line.profileAsOf,
      decidedAt: line.decidedAt,
    });
  });

  it.each<[string, Partial<CreditLineState>, number]>([
    [
      'an active line: its limit, or what it owes if more',
      { limitMinor: 1_000n, outstandingMinor: 400n, reservedMinor: 100n },
      1_000,
    ],
    ['a line cut below what it owes', { limitMinor: 100n, outstandingMinor: 400n }, 400],
    ['a frozen line still holds its kept limit', { status: 'FROZEN', limitMinor: 1_000n }, 1_000],
    [
      'a closed line: only what it still owes',
      { status: 'CLOSED', limitMinor: 0n, outstandingMinor: 300n, automaticFreezeSince: null },
      300,
    ],
  ])('exposure of %s', (_case, overrides, exposure) => {
    expect(exposureOf(lineFixture(overrides))).toBe(BigInt(exposure));
  });

  it.each<[string, Partial<CreditLineState>, bigint]>([
    ["active: the policy's offer", { requestedLimitMinor: 3_000_000n }, 3_000_000n],
    ['frozen: the kept limit', { status: 'FROZEN', requestedLimitMinor: 3_000_000n }, 2_650_000n],
    ['closed: nothing', { status: 'CLOSED', limitMinor: 0n, automaticFreezeSince: null }, 0n],
  ])('claims in the budget ranking, %s', (_case, overrides, requested) => {
    expect(portfolioLineOf(lineFixture(overrides)).requestedLimitMinor).toBe(requested);
  });

  it.each<[string, Partial<CreditLineState>, string]>([
    [
      'frozen without a reason to be',
      { status: 'FROZEN', automaticFreezeSince: null },
      'disagrees with the freeze flags',
    ],
    ['active but manually frozen', { manualFreeze: true }, 'disagrees with the freeze flags'],
    ['closed with a limit', { status: 'CLOSED', automaticFreezeSince: null }, 'a closed line has a limit'],
    ['available that does not add up', { availableMinor: 1n }, 'available 1, expected 2650000'],
    ['available while frozen', { status: 'FROZEN', availableMinor: 5n }, 'available 5, expected 0'],
    ['a negative outstanding', { outstandingMinor: -1n }, 'outstandingMinor out of range'],
    [
      'a limit past 2^63 − 1',
      { limitMinor: 2n ** 63n, availableMinor: 2n ** 63n },
      'limitMinor out of range',
    ],
    ['no reason', { reasons: [] }, '0 reasons'],
    [
      'a soft decline on a line with a limit',
      { softDeclineSince: '2026-11-01T00:00:00.000Z' },
      'a soft decline holds only an active line at limit 0',
    ],
  ])('refuses %s', (_case, overrides, message) => {
    expect(() => assertCreditLineState({ ...lineFixture(), ...overrides })).toThrow(message);
  });
});

describe('sameCreditLineState', () => {
  /** The comparison it replaces in the underwriter: the two lines' stored texts. */
  const sameByText = (a: CreditLineState | null, b: CreditLineState | null): boolean =>
    canonicalJson(toJsonSafe(a)) === canonicalJson(toJsonSafe(b));

  const lineArbitrary: fc.Arbitrary<CreditLineState> = fc
    .record({
      status: fc.constantFrom('ACTIVE' as const, 'FROZEN' as const, 'CLOSED' as const),
      limitMinor: fc.constantFrom(0n, 1n, 2_650_000n, 2n ** 63n - 1n),
      outstandingMinor: fc.constantFrom(0n, 650_000n),
      requestedLimitMinor: fc.constantFrom(0n, 2_650_000n),
      score: fc.constantFrom(0, 864, 1_000),
      grade: fc.constantFrom('A', 'B'),
      reasons: fc.array(
        fc.record({
          code: fc.constantFrom('LIMIT_BY_BORROWING_BASE' as const, 'PORTFOLIO_BUDGET' as const),
          message: fc.constantFrom('limit from receivables', 'budget binds', ''),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      manualFreeze: fc.boolean(),
      automaticFreezeSince: fc.constantFrom(null, '2026-11-20T12:00:00.000Z'),
      softDeclineSince: fc.constantFrom(null, '2026-11-21T12:00:00.000Z'),
      decisionId: fc.constantFrom('d-0', 'd-1'),
    })
    .map((fields) => lineFixture(fields));

  /** The same line built another way: keys in reverse order, reasons copied. */
  const rebuilt = (line: CreditLineState): CreditLineState =>
    Object.fromEntries(
      Object.entries({ ...line, reasons: line.reasons.map((found) => ({ ...found })) }).reverse(),
    ) as unknown as CreditLineState;

  it.each<[string, Partial<CreditLineState>]>([
    ['a limit', { limitMinor: 2_650_001n }],
    ['available', { availableMinor: 1n }],
    ['a score', { score: 865 }],
    ['a freeze date (null → set)', { automaticFreezeSince: '2026-11-20T12:00:00.000Z' }],
    ['a soft decline date', { softDeclineSince: '2026-11-21T12:00:00.000Z' }],
    ['the decision', { decisionId: 'd-1' }],
    [
      'a reason message',
      { reasons: [{ code: 'LIMIT_BY_BORROWING_BASE', message: 'limit from receivables' }] },
    ],
    [
      'one reason more',
      {
        reasons: [
          { code: 'LIMIT_BY_BORROWING_BASE', message: 'limit from receivables and inventory' },
          { code: 'PORTFOLIO_BUDGET', message: 'budget binds' },
        ],
      },
    ],
  ])('tells lines apart by %s, as their texts do', (_case, change) => {
    const line = lineFixture();
    expect(sameByText(line, { ...line, ...change })).toBe(false);
    expect(sameCreditLineState(line, { ...line, ...change })).toBe(false);
  });

  it.each<[string, CreditLineState | null, CreditLineState | null, boolean]>([
    ['no line and no line', null, null, true],
    ['no line and a line', null, lineFixture(), false],
    ['a line and no line', lineFixture(), null, false],
    ['a line and its copy', lineFixture(), rebuilt(lineFixture()), true],
  ])('%s', (_case, a, b, same) => {
    expect(sameByText(a, b)).toBe(same);
    expect(sameCreditLineState(a, b)).toBe(same);
  });

  it('agrees with the texts on varied lines, their rebuilt copies and one-field changes', () => {
    fc.assert(
      fc.property(lineArbitrary, lineArbitrary, fc.boolean(), (line, other, sameOrigin) => {
        expect(sameCreditLineState(line, rebuilt(line))).toBe(true);
        expect(sameByText(line, rebuilt(line))).toBe(true);
        // A copy of `line` with one field taken from `other`: sometimes equal, usually not.
        const keys = Object.keys(line) as (keyof CreditLineState)[];
        const key = keys[(line.score + other.score + Number(other.limitMinor % 97n)) % keys.length]!;
        const changed = sameOrigin ? { ...line, [key]: other[key] } : other;
        expect(sameCreditLineState(line, changed)).toBe(sameByText(line, changed));
        expect(sameCreditLineState(changed, line)).toBe(sameByText(changed, line));
      }),
      { numRuns: 2_000 },
    );
  });
});
