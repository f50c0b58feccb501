import { CreditLineData } from '@lendstream/contracts';
import {
  assertCreditLineState,
  CreditLineState,
  creditLineEventData,
  exposureOf,
  portfolioLineOf,
} from './credit-line-state';
import { toJsonSafe } from './json-safe';
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
