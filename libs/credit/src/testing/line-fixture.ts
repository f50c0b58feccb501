import { availableOf, CreditLineState } from '../credit-line-state';

/** A credit line for tests: by default the healthy fixture's A line, granted a week before FIXTURE_AS_OF. */
export function lineFixture(overrides: Partial<CreditLineState> = {}): CreditLineState {
  const status = overrides.status ?? 'ACTIVE';
  const limitMinor = overrides.limitMinor ?? 2_650_000n;
  const outstandingMinor = overrides.outstandingMinor ?? 0n;
  const reservedMinor = overrides.reservedMinor ?? 0n;
  return {
    creditLineId: 'cl-1',
    merchantId: 'm-000042',
    currency: 'CNY',
    status,
    limitMinor,
    availableMinor: status === 'ACTIVE' ? availableOf(limitMinor, outstandingMinor, reservedMinor) : 0n,
    outstandingMinor,
    reservedMinor,
    requestedLimitMinor: limitMinor,
    dailyRateBps: 2,
    grade: 'A',
    score: 864,
    reasons: [{ code: 'LIMIT_BY_BORROWING_BASE', message: 'limit from receivables and inventory' }],
    manualFreeze: false,
    automaticFreezeSince: status === 'FROZEN' ? '2026-11-20T12:00:00.000Z' : null,
    softDeclineSince: null,
    policyVersion: 'v1',
    decisionId: 'd-0',
    profileAsOf: '2026-11-23T12:00:00.000Z',
    decidedAt: '2026-11-23T12:00:00.000Z',
    ...overrides,
  };
}
