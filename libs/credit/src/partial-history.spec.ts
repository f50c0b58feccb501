import type { MerchantProfile } from '@lendstream/profile';
import { CreditDecision, CreditDecisionInput, decideCredit } from './credit-decision';
import { CreditLineEventType, CreditLineState } from './credit-line-state';
import { CREDIT_POLICY_V1, CREDIT_POLICY_V3 } from './default-policy';
import { CreditPolicy } from './policy';
import { ReasonCode } from './reason';
import { recomputeDecision, toStoredDecision } from './stored-decision';
import { codesOf } from './testing/assess';
import { lineFixture } from './testing/line-fixture';
import { FIXTURE_AS_OF, profileFixture, ProfileFixtureOverrides } from './testing/profile-fixture';

/**
 * v3's fail-closed rule for profiles that lost their history (a Redis loss, the profiler started
 * again mid-stream): a profile whose first event is later than the line's profileAsOf is
 * untrusted, and the line holds as it is. v1 decided without the rule; its decisions must stay
 * as they were (they replay with v1).
 */
const DAY_MS = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();
const NOW_MS = Date.parse(FIXTURE_AS_OF);
/** The line last saw the merchant 20 days before the decision. */
const LINE_SAW_MS = NOW_MS - 20 * DAY_MS;

const line = (overrides: Partial<CreditLineState> = {}) =>
  lineFixture({ profileAsOf: at(LINE_SAW_MS), decidedAt: at(LINE_SAW_MS), ...overrides });
const frozenLine = line({ status: 'FROZEN', automaticFreezeSince: at(NOW_MS - 30 * DAY_MS) });
const closedLine = line({
  status: 'CLOSED',
  limitMinor: 0n,
  requestedLimitMinor: 0n,
  reasons: [{ code: 'MERCHANT_SILENT', message: 'no event for 60 days' }],
});

/** The fixture's profile with its history starting at `firstSeenMs` (to the millisecond). */
const profileFrom = (firstSeenMs: number, overrides: ProfileFixtureOverrides = {}): MerchantProfile => ({
  ...profileFixture(overrides),
  firstSeenAt: at(firstSeenMs),
});

/** 2 000 yuan of sales before this week, 20 000 in it: a spike over any baseline. */
const GMV_SPIKE_PROFILE: ProfileFixtureOverrides = {
  week: { paidAmountMinor: 2_000_000n },
  month: { paidAmountMinor: 2_100_000n },
  quarter: { paidAmountMinor: 2_200_000n },
};

const decide = (
  previousLine: CreditLineState | null,
  profile: MerchantProfile,
  policy: CreditPolicy = CREDIT_POLICY_V3,
): CreditDecision =>
  decideCredit(
    {
      decisionId: 'd-1',
      merchantId: 'm-000042',
      now: FIXTURE_AS_OF,
      command: { kind: 'underwrite' },
      profile,
      lending: { outstandingMinor: 0n, reservedMinor: 0n, hasOverdueLoan: false },
      budget: null,
      previousLine,
      newCreditLineId: 'cl-new',
    } satisfies CreditDecisionInput,
    policy,
  );

const partial = (decision: CreditDecision) =>
  decision.assessment!.declines.some(
    (found) => found.code === 'PROFILE_INCOMPLETE' && found.message.includes('after the line last saw'),
  );

describe('v3: a profile whose history starts after the line last saw the merchant', () => {
  // Young on its face (tenure 20 days or less): a trusted profile that young is cut on tenure.
  it.each<[string, number, boolean, CreditLineEventType | null, ReasonCode[]]>([
    [
      '1 ms before the line saw the merchant: trusted, cut on tenure',
      LINE_SAW_MS - 1,
      false,
      'credit-line.adjusted',
      ['TENURE_TOO_SHORT'],
    ],
    [
      'at the instant the line saw it: trusted, cut on tenure',
      LINE_SAW_MS,
      false,
      'credit-line.adjusted',
      ['TENURE_TOO_SHORT'],
    ],
    ['1 ms after: partial, held as it is', LINE_SAW_MS + 1, true, null, ['LIMIT_BY_BORROWING_BASE']],
    [
      'days after (the profiler restarted mid-stream): held',
      NOW_MS - 3 * DAY_MS,
      true,
      null,
      ['LIMIT_BY_BORROWING_BASE'],
    ],
  ])('history from %s', (_case, firstSeenMs, isPartial, event, lineReasons) => {
    const decision = decide(line(), profileFrom(firstSeenMs));
    expect(partial(decision)).toBe(isPartial);
    expect(decision.assessment!.profileComplete).toBe(!isPartial);
    expect(decision.event).toBe(event);
    expect(codesOf(decision.next!.reasons)).toEqual(lineReasons);
    if (isPartial) expect(decision.next).toEqual(line());
  });

  it('holds the line where v1 cut it to 0 on tenure (v1 is unchanged: its decisions replay as made)', () => {
    const profile = profileFrom(NOW_MS - 3 * DAY_MS);
    expect(decide(line(), profile, CREDIT_POLICY_V1)).toMatchObject({
      event: 'credit-line.adjusted',
      next: { limitMinor: 0n },
    });
    expect(decide(line(), profile)).toMatchObject({ event: null, next: { limitMinor: 2_650_000n } });
  });

  it.each<[string, CreditLineState, ProfileFixtureOverrides, CreditLineEventType | null, ReasonCode[]]>([
    // Count triggers: what did arrive already reaches the threshold; the lost events only add to it.
    [
      'a stock-out spike in the events that arrived → frozen',
      line(),
      { week: { stockouts: 5 }, month: { stockouts: 5 } },
      'credit-line.frozen',
      ['STOCKOUT_RATE_HIGH'],
    ],
    [
      'SKUs out of stock now → frozen',
      line(),
      { stockKeepingUnitsOutOfStock: 3 },
      'credit-line.frozen',
      ['STOCKOUT_RATE_HIGH'],
    ],
    // Rates against a baseline the lost events belong to: not evidence.
    [
      'a refund spike against the week it saw → held',
      line(),
      { week: { refunds: 12, paidOrders: 20 }, month: { refunds: 12 } },
      null,
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'a GMV spike against the baseline it lost → held',
      line(),
      GMV_SPIKE_PROFILE,
      null,
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'a soft rule (refunds) → held, not cut',
      line(),
      { month: { refunds: 60 } },
      null,
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'frozen, metrics recovered → still frozen, not unfrozen',
      frozenLine,
      {},
      null,
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    ['closed, eligible on its face → no new line', closedLine, {}, null, ['MERCHANT_SILENT']],
  ])('partial history: %s', (_case, before, overrides, event, lineReasons) => {
    // 40 days of history (tenure enough on its face), but the line saw the merchant 45 days ago.
    const earlier = { ...before, profileAsOf: at(NOW_MS - 45 * DAY_MS) };
    const decision = decide(earlier, profileFrom(NOW_MS - 40 * DAY_MS, overrides));
    expect(partial(decision)).toBe(true);
    expect(decision.event).toBe(event);
    expect(codesOf(decision.next!.reasons)).toEqual(lineReasons);
    if (event === null) expect(decision.next).toEqual(earlier);
  });

  it('the same profiles with the whole history behind them (the fixture gives 400 days): decided as usual', () => {
    const sawAt = at(NOW_MS - 45 * DAY_MS);
    const whole = (before: CreditLineState, overrides: ProfileFixtureOverrides = {}) =>
      decide({ ...before, profileAsOf: sawAt }, profileFixture(overrides)).event;
    expect(whole(line(), { month: { refunds: 60 } })).toBe('credit-line.adjusted');
    expect(whole(line(), { week: { refunds: 12, paidOrders: 20 }, month: { refunds: 12 } })).toBe(
      'credit-line.frozen',
    );
    expect(whole(line(), GMV_SPIKE_PROFILE)).toBe('credit-line.frozen');
    expect(whole(frozenLine)).toBe('credit-line.unfrozen');
    expect(whole(closedLine)).toBe('credit-line.granted');
  });

  describe('silence', () => {
    // The line saw the merchant 100 days ago; its profile's last event is 60 days old.
    const sawLongAgo = (status: 'ACTIVE' | 'FROZEN') =>
      status === 'ACTIVE'
        ? line({ profileAsOf: at(NOW_MS - 100 * DAY_MS) })
        : { ...frozenLine, profileAsOf: at(NOW_MS - 100 * DAY_MS) };
    it.each<
      [string, 'ACTIVE' | 'FROZEN', number, ProfileFixtureOverrides, CreditPolicy, CreditLineEventType | null]
    >([
      [
        'v3, active, whole history → closed',
        'ACTIVE',
        NOW_MS - 100 * DAY_MS,
        {},
        CREDIT_POLICY_V3,
        'credit-line.closed',
      ],
      [
        'v3, active, history from 1 ms after the line saw it → held',
        'ACTIVE',
        NOW_MS - 100 * DAY_MS + 1,
        {},
        CREDIT_POLICY_V3,
        null,
      ],
      ['v3, frozen, partial history → held', 'FROZEN', NOW_MS - 90 * DAY_MS, {}, CREDIT_POLICY_V3, null],
      [
        'v3, active, windows not exact → held',
        'ACTIVE',
        NOW_MS - 200 * DAY_MS,
        { coverage: { windowsExact: false } },
        CREDIT_POLICY_V3,
        null,
      ],
      [
        'v1, active, partial history → closed (as v1 decided)',
        'ACTIVE',
        NOW_MS - 90 * DAY_MS,
        {},
        CREDIT_POLICY_V1,
        'credit-line.closed',
      ],
      [
        'v1, active, windows not exact → closed (as v1 decided)',
        'ACTIVE',
        NOW_MS - 200 * DAY_MS,
        { coverage: { windowsExact: false } },
        CREDIT_POLICY_V1,
        'credit-line.closed',
      ],
    ])('%s', (_case, status, firstSeenMs, overrides, policy, event) => {
      const before = sawLongAgo(status);
      const decision = decide(before, profileFrom(firstSeenMs, { quietDays: 60, ...overrides }), policy);
      expect(decision.assessment!.silence).not.toBeNull();
      expect(decision.event).toBe(event);
      if (event === null) expect(decision.next).toEqual(before);
    });
  });

  it('replays a stored decision that held a line on a partial profile, and one that did not', () => {
    for (const firstSeenMs of [LINE_SAW_MS + 1, LINE_SAW_MS]) {
      const stored = JSON.parse(JSON.stringify(toStoredDecision(decide(line(), profileFrom(firstSeenMs)))));
      expect(stored.policyVersion).toBe('v3');
      // Everything the rule reads is stored: the features' firstSeenAt and the previous line's profileAsOf.
      expect(stored.inputs.features.firstSeenAt).toBe(at(firstSeenMs));
      expect(stored.inputs.previousLine.profileAsOf).toBe(at(LINE_SAW_MS));
      expect(recomputeDecision(stored).mismatches).toEqual([]);
    }
  });
});
