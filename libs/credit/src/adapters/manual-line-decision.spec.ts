import { NO_LENDING } from '../freeze-triggers';
import { livePolicy } from '../policy-registry';
import { PortfolioBook } from '../portfolio-book';
import { portfolioLineOf } from '../credit-line-state';
import { recomputeDecision, toStoredDecision } from '../stored-decision';
import { lineFixture } from '../testing/line-fixture';
import { FIXTURE_AS_OF, profileFixture } from '../testing/profile-fixture';
import { decideManualCommand, ManualDecisionInput } from './manual-line-decision';
import { manualDecisionTime } from './manual-line-command';

const policy = livePolicy();
const base: Omit<ManualDecisionInput, 'command' | 'previousLine' | 'profile'> = {
  decisionId: 'd-manual',
  merchantId: 'm-000042',
  now: FIXTURE_AS_OF,
  newCreditLineId: 'cl-new',
  lending: NO_LENDING,
};
const portfoliosWith = (budgetMinor: bigint, ...lines: ReturnType<typeof lineFixture>[]) =>
  new Map([['CNY', { budgetMinor, book: new PortfolioBook(lines.map((line) => portfolioLineOf(line))) }]]);

describe('decideManualCommand', () => {
  it('freezes without a profile or a budget, with the reason operations gave', () => {
    const decision = decideManualCommand(
      {
        ...base,
        command: { kind: 'manual-freeze', message: 'fraud' },
        previousLine: lineFixture(),
        profile: null,
      },
      policy,
      new Map(),
    );
    expect(decision.event).toBe('credit-line.frozen');
    expect(decision.next).toMatchObject({
      status: 'FROZEN',
      manualFreeze: true,
      availableMinor: 0n,
      reasons: [{ code: 'MANUAL_FREEZE', message: 'fraud' }],
    });
    expect(decision.input.budget).toBeNull();
  });

  it('unfreezes a manually frozen line on a healthy profile, at an offer the budget caps', () => {
    const frozen = lineFixture({ status: 'FROZEN', manualFreeze: true, automaticFreezeSince: null });
    const input = {
      ...base,
      command: { kind: 'manual-unfreeze' } as const,
      previousLine: frozen,
      profile: profileFixture(),
    };
    const roomy = decideManualCommand(input, policy, portfoliosWith(10n ** 15n, frozen));
    expect(roomy.event).toBe('credit-line.unfrozen');
    expect(roomy.next).toMatchObject({ status: 'ACTIVE', manualFreeze: false });
    const tight = decideManualCommand(input, policy, portfoliosWith(100_000n, frozen));
    expect(tight.event).toBe('credit-line.unfrozen');
    expect(tight.next!.limitMinor).toBeLessThanOrEqual(100_000n);
    expect(tight.input.budget).toMatchObject({ budgetMinor: 100_000n });
    // Stored as the underwriter stores its decisions, it replays to the same outcome.
    expect(recomputeDecision(toStoredDecision(tight)).mismatches).toEqual([]);
  });

  it('refuses to unfreeze a line operations did not freeze', () => {
    const decision = decideManualCommand(
      {
        ...base,
        command: { kind: 'manual-unfreeze' },
        previousLine: lineFixture(),
        profile: profileFixture(),
      },
      policy,
      portfoliosWith(10n ** 15n),
    );
    expect(decision.rejection).toBe('CREDIT_LINE.NOT_MANUALLY_FROZEN');
    expect(decision.event).toBeNull();
  });

  it('needs the line currency portfolio for an unfreeze', () => {
    const frozen = lineFixture({ status: 'FROZEN', manualFreeze: true, automaticFreezeSince: null });
    expect(() =>
      decideManualCommand(
        { ...base, command: { kind: 'manual-unfreeze' }, previousLine: frozen, profile: profileFixture() },
        policy,
        new Map(),
      ),
    ).toThrow('the CNY portfolio was not loaded');
  });
});

describe('manualDecisionTime', () => {
  it('is the request time, or the last decision time when that is later', () => {
    expect(manualDecisionTime('2026-11-28T10:00:00.000Z', null)).toBe('2026-11-28T10:00:00.000Z');
    expect(manualDecisionTime('2026-11-28T10:00:00.000Z', '2026-11-27T00:00:00.000Z')).toBe(
      '2026-11-28T10:00:00.000Z',
    );
    expect(manualDecisionTime('2026-11-28T10:00:00.000Z', '2026-12-01T00:00:00.000Z')).toBe(
      '2026-12-01T00:00:00.000Z',
    );
  });
});
