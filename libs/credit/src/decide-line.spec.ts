import fc from 'fast-check';
import { CreditLineEventType, CreditLineState } from './credit-line-state';
import { decideCreditLine, LineDecisionContext } from './decide-line';
import { isMaterialLimitMove } from './line-offer';
import { freezeManually, unfreezeManually } from './manual-freeze';
import { CREDIT_POLICY_V1, CREDIT_POLICY_V3 } from './default-policy';
import { CreditPolicy } from './policy';
import { CreditAssessment } from './evaluate-policy';
import { BudgetStanding } from './fit-to-budget';
import { ReasonCode } from './reason';
import { assess, codesOf } from './testing/assess';
import { lineFixture } from './testing/line-fixture';
import { FIXTURE_AS_OF, ProfileFixtureOverrides } from './testing/profile-fixture';

const policy = CREDIT_POLICY_V1;
const context: LineDecisionContext = { decisionId: 'd-1', now: FIXTURE_AS_OF, newCreditLineId: 'cl-new' };
const decide = (
  line: CreditLineState | null,
  assessment: CreditAssessment,
  extra: Partial<LineDecisionContext> = {},
) => decideCreditLine(line, assessment, policy, { ...context, ...extra });

// Profiles, named by what the policy makes of them (v1).
const healthy: ProfileFixtureOverrides = {};
const softDecline: ProfileFixtureOverrides = { month: { refunds: 60 } }; // REFUND_RATE_HIGH, 25 %
const hardTrigger: ProfileFixtureOverrides = { stockKeepingUnitsOutOfStock: 3 }; // STOCKOUT_RATE_HIGH, freeze
const notYetRecovered: ProfileFixtureOverrides = { week: { stockouts: 3 }, month: { stockouts: 3 } }; // no trigger, still blocks unfreezing
const nothingToLendAgainst: ProfileFixtureOverrides = {
  receivablesOutstandingMinor: 0n,
  inventoryValueMinor: 0n,
};
const untrusted: ProfileFixtureOverrides = { coverage: { windowsExact: false } };
const silent: ProfileFixtureOverrides = { quietDays: 60 };

const active = lineFixture();
const closed = lineFixture({
  status: 'CLOSED',
  limitMinor: 0n,
  automaticFreezeSince: null,
  reasons: [{ code: 'MERCHANT_SILENT', message: 'no event for 60 days' }],
});
const frozenSince = (days: number) =>
  lineFixture({
    status: 'FROZEN',
    automaticFreezeSince: new Date(Date.parse(FIXTURE_AS_OF) - days * 86_400_000).toISOString(),
  });
const manuallyFrozen = lineFixture({ status: 'FROZEN', manualFreeze: true, automaticFreezeSince: null });
const softDeclinedDaysAgo = (days: number) =>
  lineFixture({
    limitMinor: 0n,
    requestedLimitMinor: 0n,
    softDeclineSince: new Date(Date.parse(FIXTURE_AS_OF) - days * 86_400_000).toISOString(),
  });

describe('decideCreditLine: the transitions', () => {
  it.each<
    [
      string,
      CreditLineState | null,
      ProfileFixtureOverrides,
      CreditLineEventType | null,
      Partial<CreditLineState> | null,
      ReasonCode[],
    ]
  >([
    // line, profile → event, the line after (in part), its reasons
    [
      'no line, eligible → granted',
      null,
      healthy,
      'credit-line.granted',
      {
        creditLineId: 'cl-new',
        status: 'ACTIVE',
        limitMinor: 2_650_000n,
        availableMinor: 2_650_000n,
        grade: 'A',
      },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    ['no line, soft decline → nothing', null, softDecline, null, null, []],
    ['no line, hard trigger → nothing', null, hardTrigger, null, null, []],
    ['no line, nothing to lend against → nothing', null, nothingToLendAgainst, null, null, []],
    ['no line, untrusted profile → nothing (fail closed)', null, untrusted, null, null, []],
    ['no line, silent → nothing', null, silent, null, null, []],
    [
      'closed, eligible → granted as a new line',
      closed,
      healthy,
      'credit-line.granted',
      { creditLineId: 'cl-new', status: 'ACTIVE', limitMinor: 2_650_000n },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'closed, not eligible → nothing, still closed',
      closed,
      softDecline,
      null,
      { creditLineId: 'cl-1', status: 'CLOSED' },
      ['MERCHANT_SILENT'],
    ],
    [
      'active, hard trigger → frozen, limit kept, nothing available',
      active,
      hardTrigger,
      'credit-line.frozen',
      { status: 'FROZEN', limitMinor: 2_650_000n, availableMinor: 0n, automaticFreezeSince: FIXTURE_AS_OF },
      ['STOCKOUT_RATE_HIGH'],
    ],
    [
      'active, soft decline → adjusted to 0',
      active,
      softDecline,
      'credit-line.adjusted',
      { status: 'ACTIVE', limitMinor: 0n, availableMinor: 0n, softDeclineSince: FIXTURE_AS_OF },
      ['REFUND_RATE_HIGH'],
    ],
    [
      'active at 0 after a soft decline, still declined → nothing',
      softDeclinedDaysAgo(1),
      softDecline,
      null,
      { limitMinor: 0n },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'active, untrusted profile → nothing: held as it is',
      active,
      untrusted,
      null,
      { limitMinor: 2_650_000n },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'active, same offer → nothing',
      active,
      healthy,
      null,
      { decisionId: 'd-0' },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'active, silent 60 days → closed',
      active,
      silent,
      'credit-line.closed',
      { status: 'CLOSED', limitMinor: 0n, availableMinor: 0n },
      ['MERCHANT_SILENT'],
    ],
    [
      'frozen, trigger still firing → nothing',
      frozenSince(10),
      hardTrigger,
      null,
      { status: 'FROZEN' },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'frozen, triggers clear but not by the margin → nothing',
      frozenSince(10),
      notYetRecovered,
      null,
      { status: 'FROZEN' },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'frozen, recovered but frozen 6 days only → nothing',
      frozenSince(6),
      healthy,
      null,
      { status: 'FROZEN' },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'frozen, triggers clear but a soft rule bites → nothing',
      frozenSince(10),
      softDecline,
      null,
      { status: 'FROZEN' },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'frozen 7 days and recovered → unfrozen at a fresh offer',
      frozenSince(7),
      healthy,
      'credit-line.unfrozen',
      { status: 'ACTIVE', limitMinor: 2_650_000n, availableMinor: 2_650_000n, automaticFreezeSince: null },
      ['RECOVERED', 'LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'frozen, silent 60 days → closed',
      frozenSince(10),
      silent,
      'credit-line.closed',
      { status: 'CLOSED', automaticFreezeSince: null },
      ['MERCHANT_SILENT'],
    ],
    [
      'manually frozen, recovered → nothing: only operations lift it',
      manuallyFrozen,
      healthy,
      null,
      { status: 'FROZEN', manualFreeze: true },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'manually frozen, a trigger fires → nothing, the policy notes its own freeze',
      manuallyFrozen,
      hardTrigger,
      null,
      { status: 'FROZEN', manualFreeze: true, automaticFreezeSince: FIXTURE_AS_OF },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'cut to 0 by a soft rule 6 days ago, eligible again → nothing yet',
      softDeclinedDaysAgo(6),
      healthy,
      null,
      { limitMinor: 0n },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
    [
      'cut to 0 by a soft rule 7 days ago, eligible again → adjusted up',
      softDeclinedDaysAgo(7),
      healthy,
      'credit-line.adjusted',
      { limitMinor: 2_650_000n, softDeclineSince: null },
      ['LIMIT_BY_BORROWING_BASE'],
    ],
  ])('%s', (_case, line, profile, event, after, reasons) => {
    const decision = decide(line, assess(profile));
    expect(decision.event).toBe(event);
    if (after === null) expect(decision.next).toBeNull();
    else expect(decision.next).toMatchObject(after);
    if (decision.next !== null) expect(codesOf(decision.next.reasons)).toEqual(reasons);
    if (event !== null)
      expect(decision.next).toMatchObject({
        decisionId: 'd-1',
        decidedAt: FIXTURE_AS_OF,
        policyVersion: 'v1',
        profileAsOf: FIXTURE_AS_OF,
      });
    if (event === null && line !== null)
      expect(decision.next).toMatchObject({ decisionId: line.decisionId, decidedAt: line.decidedAt });
  });

  it('an overdue loan freezes an active line even from an untrusted profile', () => {
    const decision = decide(
      active,
      assess(untrusted, { lending: { hasOverdueLoan: true, outstandingMinor: 500_000n } }),
    );
    expect(decision.event).toBe('credit-line.frozen');
    expect(decision.next).toMatchObject({ outstandingMinor: 500_000n, availableMinor: 0n });
  });

  it.each<[bigint, bigint, bigint]>([
    // outstanding, reserved → available on a 2 650 000 limit
    [1_000_000n, 150_000n, 1_500_000n],
    [2_650_000n, 0n, 0n],
    [3_000_000n, 0n, 0n], // a limit below what is owed leaves nothing available, never a negative
  ])(
    'available = max(0, limit − outstanding %p − reserved %p) = %p',
    (outstandingMinor, reservedMinor, availableMinor) => {
      const decision = decide(null, assess(healthy, { lending: { outstandingMinor, reservedMinor } }));
      expect(decision.next).toMatchObject({
        limitMinor: 2_650_000n,
        outstandingMinor,
        reservedMinor,
        availableMinor,
      });
    },
  );

  it('refuses an assessment of another policy, merchant or currency', () => {
    expect(() => decideCreditLine(null, assess(), { ...policy, version: 'v2' }, context)).toThrow(
      'assessment made with v1',
    );
    expect(() => decide(lineFixture({ merchantId: 'm-1' }), assess())).toThrow(
      "line of m-1 decided with m-000042's assessment",
    );
    expect(() => decide(lineFixture({ currency: 'USD' }), assess())).toThrow('one merchant has one currency');
  });
});

describe('hysteresis', () => {
  it.each<[bigint, bigint, boolean]>([
    // 20 % of the current limit, but at least 100 000 fen (1 000 yuan)
    [2_650_000n, 2_120_001n, false],
    [2_650_000n, 2_120_000n, true],
    [2_650_000n, 3_179_999n, false],
    [2_650_000n, 3_180_000n, true],
    [300_000n, 200_001n, false], // 20 % is 60 000: the 100 000 floor rules
    [300_000n, 200_000n, true],
    [300_000n, 300_000n, false],
    [0n, 99_999n, false],
  ])('%p → %p is material: %p', (current, next, material) => {
    expect(isMaterialLimitMove(current, next, policy, 'CNY')).toBe(material);
  });

  // The healthy fixture's limit is set by receivables (× 80 %) + 1 050 000 of inventory advance.
  const withLimit = (limitMinor: bigint): ProfileFixtureOverrides => ({
    receivablesOutstandingMinor: ((limitMinor - 1_050_000n) * 10_000n) / 8_000n,
  });

  it.each<[string, bigint, CreditLineEventType | null]>([
    ['a 19 % cut is held back', 2_150_000n, null],
    ['a 20 % cut goes out', 2_120_000n, 'credit-line.adjusted'],
    ['a 19 % rise is held back', 3_150_000n, null],
    ['a 20 % rise goes out', 3_180_000n, 'credit-line.adjusted'],
  ])('%s', (_case, offeredMinor, event) => {
    const decision = decide(active, assess(withLimit(offeredMinor)));
    expect(decision.event).toBe(event);
    expect(decision.next?.limitMinor).toBe(event === null ? 2_650_000n : offeredMinor);
  });

  it('always goes out when the limit leaves 0, however small the move', () => {
    const atZero = lineFixture({ limitMinor: 0n, requestedLimitMinor: 0n });
    expect(decide(atZero, assess(withLimit(1_060_000n))).event).toBe('credit-line.adjusted');
  });

  // A's band starts at 800 and the margin is 25 points: an A line stays A down to 775.
  it.each<[number, ProfileFixtureOverrides, CreditLineEventType | null, string]>([
    [784, { month: { stockouts: 2 }, week: { stockouts: 0 } }, null, 'A'],
    [775, { month: { stockouts: 2 }, week: { stockouts: 0 }, tenureDays: 170 }, null, 'A'],
    [744, { month: { stockouts: 3 }, week: { stockouts: 0 } }, 'credit-line.adjusted', 'B'],
  ])('grade hysteresis: an A line at score %i', (score, profile, event, grade) => {
    const assessment = assess(profile);
    expect(assessment).toMatchObject({ score, grade: 'B' });
    const decision = decide(active, assessment);
    expect(decision.event).toBe(event);
    expect(decision.next).toMatchObject({ grade, dailyRateBps: grade === 'A' ? 2 : 3 });
  });
});

describe('grade hysteresis across versions', () => {
  // Score 784: B on its face, within A's 25-point margin.
  const nearEdge: ProfileFixtureOverrides = { month: { stockouts: 2 }, week: { stockouts: 0 } };
  it.each<[string, CreditPolicy, CreditLineEventType | null, string]>([
    ['v3, the same bands as v1: a v1 line keeps its grade', CREDIT_POLICY_V3, null, 'A'],
    [
      'a version the line was not graded under, with other bands: repriced at the fresh grade',
      {
        ...CREDIT_POLICY_V3,
        version: 'v9-bands',
        grades: CREDIT_POLICY_V3.grades.map((band) =>
          band.grade === 'A' ? { ...band, scoreMin: 790 } : band,
        ),
      },
      'credit-line.adjusted',
      'B',
    ],
  ])('%s', (_case, live, event, grade) => {
    const decision = decideCreditLine(active, assess(nearEdge, { policy: live }), live, context);
    expect(decision.event).toBe(event);
    expect(decision.next!.grade).toBe(grade);
  });
});

describe('the portfolio budget inside a decision', () => {
  const standing = (roomMinor: bigint): BudgetStanding => ({
    budgetMinor: 10_000_000n,
    othersExposureMinor: 10_000_000n - roomMinor,
    othersCommittedMinor: 0n,
    betterRankedWantMinor: 10_000_000n - roomMinor,
    betterRankedFloorMinor: 0n,
  });

  it.each<[string, bigint, bigint, ReasonCode[]]>([
    ['room for the whole offer', 5_000_000n, 2_650_000n, ['LIMIT_BY_BORROWING_BASE']],
    ['squeezed, in whole steps', 1_234_567n, 1_230_000n, ['LIMIT_BY_BORROWING_BASE', 'PORTFOLIO_BUDGET']],
    [
      'squeezed to nothing: still granted, so the merchant holds its place in the ranking',
      0n,
      0n,
      ['LIMIT_BY_BORROWING_BASE', 'PORTFOLIO_BUDGET'],
    ],
  ])('grant: %s', (_case, roomMinor, limitMinor, reasons) => {
    const decision = decide(null, assess(), { budget: standing(roomMinor) });
    expect(decision.event).toBe('credit-line.granted');
    expect(decision.next).toMatchObject({ limitMinor, requestedLimitMinor: 2_650_000n });
    expect(codesOf(decision.next!.reasons)).toEqual(reasons);
    expect(decision.budgetFit).not.toBeNull();
  });

  it('a cut the budget needs is never held back by hysteresis', () => {
    // Others hold all but 2 600 000: keeping 2 650 000 would take the portfolio over budget.
    const decision = decide(active, assess(), {
      budget: { ...standing(2_600_000n), othersExposureMinor: 7_400_000n },
    });
    expect(decision.event).toBe('credit-line.adjusted');
    expect(decision.next?.limitMinor).toBe(2_600_000n);
  });

  it.each<[string, CreditLineState, ProfileFixtureOverrides]>([
    ['a frozen line', frozenSince(2), hardTrigger],
    ['a manually frozen line', manuallyFrozen, healthy],
    ['an active line held on an untrusted profile', active, untrusted],
  ])(
    '%s the policy leaves alone is still trimmed when the budget no longer fits it',
    (_case, line, profile) => {
      const decision = decide(line, assess(profile), {
        budget: { ...standing(1_000_000n), othersExposureMinor: 9_000_000n },
      });
      expect(decision.event).toBe('credit-line.adjusted');
      expect(decision.next).toMatchObject({
        status: line.status,
        limitMinor: 1_000_000n,
        manualFreeze: line.manualFreeze,
      });
      expect(codesOf(decision.next!.reasons)).toContain('PORTFOLIO_BUDGET');
      // Within budget, the same line is left alone.
      expect(decide(line, assess(profile), { budget: standing(5_000_000n) }).event).toBeNull();
    },
  );

  it('a small squeeze that keeps the current limit within the budget is held back', () => {
    const line = lineFixture({ limitMinor: 2_600_000n });
    expect(decide(line, assess(), { budget: standing(2_640_000n) }).event).toBeNull();
  });
});

describe('manual freeze and unfreeze', () => {
  const request = { decisionId: 'd-ops', now: FIXTURE_AS_OF, message: 'fraud review' };

  it.each<[string, CreditLineState | null, string]>([
    ['no line', null, 'CREDIT_LINE.NOT_FOUND'],
    ['a closed line', closed, 'CREDIT_LINE.CLOSED'],
  ])('cannot freeze %s', (_case, line, error) => {
    expect(freezeManually(line, request)).toEqual({ ok: false, error });
  });

  it('freezes an active line, keeping its limit', () => {
    const result = freezeManually(active, request);
    expect(result.ok && result.value.event).toBe('credit-line.frozen');
    expect(result.ok && result.value.next).toMatchObject({
      status: 'FROZEN',
      manualFreeze: true,
      limitMinor: 2_650_000n,
      availableMinor: 0n,
      decisionId: 'd-ops',
      reasons: [{ code: 'MANUAL_FREEZE', message: 'fraud review' }],
    });
  });

  it('freezing a manually frozen line again changes nothing', () => {
    const result = freezeManually(manuallyFrozen, request);
    expect(result).toEqual({ ok: true, value: { next: manuallyFrozen, event: null, budgetFit: null } });
  });

  it('freezes an automatically frozen line too, listing both reasons', () => {
    const result = freezeManually(frozenSince(2), request);
    expect(result.ok && codesOf(result.value.next!.reasons)).toEqual([
      'MANUAL_FREEZE',
      'LIMIT_BY_BORROWING_BASE',
    ]);
    expect(result.ok && result.value.next).toMatchObject({
      manualFreeze: true,
      automaticFreezeSince: frozenSince(2).automaticFreezeSince,
    });
  });

  it('unfreezing needs a manual freeze', () => {
    expect(unfreezeManually(active, assess(), policy, context)).toEqual({
      ok: false,
      error: 'CREDIT_LINE.NOT_MANUALLY_FROZEN',
    });
    expect(unfreezeManually(null, assess(), policy, context)).toEqual({
      ok: false,
      error: 'CREDIT_LINE.NOT_FOUND',
    });
  });

  it('lifting the manual freeze reopens a healthy line at once', () => {
    const result = unfreezeManually(manuallyFrozen, assess(), policy, context);
    expect(result.ok && result.value.event).toBe('credit-line.unfrozen');
    expect(result.ok && result.value.next).toMatchObject({ status: 'ACTIVE', manualFreeze: false });
  });

  it('lifting it while a trigger fires leaves the line frozen by the policy', () => {
    const result = unfreezeManually(manuallyFrozen, assess(hardTrigger), policy, context);
    expect(result.ok && result.value.event).toBeNull();
    expect(result.ok && result.value.next).toMatchObject({
      status: 'FROZEN',
      manualFreeze: false,
      automaticFreezeSince: FIXTURE_AS_OF,
    });
  });
});

describe('properties over random histories', () => {
  const profiles: ProfileFixtureOverrides[] = [
    healthy,
    softDecline,
    hardTrigger,
    notYetRecovered,
    nothingToLendAgainst,
    untrusted,
    silent,
    { receivablesOutstandingMinor: 500_000n },
  ];
  const step = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('underwrite' as const),
        profile: fc.integer({ min: 0, max: profiles.length - 1 }),
        days: fc.integer({ min: 0, max: 9 }),
        overdue: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('manual-freeze' as const),
        days: fc.integer({ min: 0, max: 3 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('manual-unfreeze' as const),
        profile: fc.integer({ min: 0, max: profiles.length - 1 }),
        days: fc.integer({ min: 0, max: 3 }),
      }),
    },
  );

  it('keeps every invariant, and never lifts a manual freeze without operations', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let line: CreditLineState | null = null;
        let nowMs = Date.parse(FIXTURE_AS_OF);
        steps.forEach((current, index) => {
          nowMs += current.days * 86_400_000;
          const now = new Date(nowMs).toISOString();
          const stepContext = { ...context, decisionId: `d-${index}`, now, newCreditLineId: `cl-${index}` };
          const before: CreditLineState | null = line;
          if (current.kind === 'manual-freeze') {
            const result = freezeManually(before, { decisionId: `d-${index}`, now, message: 'ops' });
            if (result.ok) line = result.value.next;
            return;
          }
          const assessment = assess(
            { ...profiles[current.profile], asOf: now },
            { lending: { hasOverdueLoan: current.kind === 'underwrite' && current.overdue } },
          );
          const decision =
            current.kind === 'manual-unfreeze'
              ? unfreezeManually(before, assessment, policy, stepContext)
              : { ok: true as const, value: decideCreditLine(before, assessment, policy, stepContext) };
          if (!decision.ok) return;
          const { next, event } = decision.value;
          // An automatic decision never lifts a manual freeze (closing a silent merchant's line is not lifting it).
          if (current.kind === 'underwrite' && before?.manualFreeze && event !== 'credit-line.closed')
            expect(next?.manualFreeze).toBe(true);
          // No event: the line is as it was, but for the policy's own freeze bookkeeping.
          if (event === null && current.kind === 'underwrite' && before !== null) {
            expect({ ...next!, automaticFreezeSince: null }).toEqual({
              ...before,
              automaticFreezeSince: null,
            });
          }
          if (event === 'credit-line.granted')
            expect(before === null || before.status === 'CLOSED').toBe(true);
          if (event === 'credit-line.closed') expect(assessment.silence).not.toBeNull();
          if (next?.status === 'ACTIVE') expect(next.availableMinor <= next.limitMinor).toBe(true);
          line = next;
        });
      }),
      { numRuns: 300 },
    );
  });
});
