/**
 * The budget rebalance sweep on the real Postgres and Redis: merchants decided in a bad order
 * (the worst first, so it takes the headroom) end, after sweeps, in the ranked allocation;
 * the sum of limits never exceeds the budget at any point; a rerun of a round and a sweep with
 * nothing changed do nothing; a raised budget lets squeezed lines grow.
 */
import type { MerchantProfile } from '@lendstream/profile';
import {
  allocateBudget,
  budgetCutLimit,
  compareBudgetRank,
  defaultUnderwritingPolicies,
  evaluateCredit,
  livePolicy,
  NO_LENDING,
  ProfileReader,
  readDecisionPageById,
  rebalanceBudget,
  recomputeDecision,
  storedDecisionOfRow,
} from '@lendstream/credit';
import {
  applyToStore,
  dayStartMs,
  merchantsOf,
  profileSignal,
  simulatedEvents,
} from './support/simulated-profiles';
import { UnderwritingFixture } from './support/underwriting-fixture';
import { UnderwriterProcess } from './support/underwriter-process';
import { KafkaTestKit, waitUntil } from '../support/kafka-helpers';
import { Topics } from '@lendstream/contracts';

jest.setTimeout(180_000);

interface LineRow {
  readonly merchant_id: string;
  readonly status: string;
  readonly score: number;
  readonly limit_minor: string;
  readonly requested_limit_minor: string;
  readonly reasons: Array<{ code: string }>;
}

const STEP_MINOR = livePolicy().sizing.limitStepMinor.CNY!;

describe('budget rebalance sweep (real Postgres and Redis)', () => {
  let fixture: UnderwritingFixture;
  const events = simulatedEvents('uw-rebalance', { steady: 1, growing: 1 }, 8, 61);
  const asOf = new Date(dayStartMs(60) - 1).toISOString();
  const policies = defaultUnderwritingPolicies();
  /** Eligible merchants with their fresh score and offer, worst first. */
  let worstFirst: Array<{ merchantId: string; score: number; offerMinor: bigint }>;
  let budgetMinor: bigint;

  const lines = async (): Promise<LineRow[]> =>
    fixture.dataSource.query(
      `SELECT merchant_id, status, score, limit_minor::text, requested_limit_minor::text, reasons FROM credit_lines
       ORDER BY merchant_id`,
    );
  const limitOf = (rows: readonly LineRow[], merchantId: string): bigint =>
    BigInt(rows.find((row) => row.merchant_id === merchantId)!.limit_minor);
  const sumOfLimits = async (): Promise<bigint> => {
    const [row] = await fixture.dataSource.query(
      `SELECT coalesce(sum(limit_minor), 0)::text AS total FROM credit_lines`,
    );
    return BigInt(row.total);
  };
  const outboxCount = async (): Promise<number> => {
    const [row] = await fixture.dataSource.query(`SELECT count(*)::int AS n FROM outbox`);
    return row.n;
  };
  const decisionCount = async (): Promise<number> => {
    const [row] = await fixture.dataSource.query(`SELECT count(*)::int AS n FROM credit_decisions`);
    return row.n;
  };
  const setBudget = (minor: bigint) =>
    fixture.dataSource.query(
      `UPDATE portfolio_budget SET budget_minor = $1, updated_by = 'test' WHERE currency = 'CNY'`,
      [minor.toString()],
    );
  /** One line per sweep until the sweep finds nothing, checking the budget after every decision. */
  const sweepStepwise = async (): Promise<number> => {
    let steps = 0;
    for (;;) {
      const report = await rebalanceBudget(fixture.dataSource, fixture.store, policies, { linesMax: 1 });
      expect(await sumOfLimits()).toBeLessThanOrEqual(budgetMinor);
      if (report.currencies.every((found) => found.overShare + found.squeezed === 0)) return steps;
      steps += 1;
      if (steps > 50) throw new Error('the sweep does not converge');
    }
  };

  /** Every line at its ranked share (rounded down to a step); squeezed lines carry PORTFOLIO_BUDGET, best never below worse. */
  const expectRankedAllocation = async (): Promise<LineRow[]> => {
    const after = await lines();
    const allocation = allocateBudget(
      after.map((line) => ({
        merchantId: line.merchant_id,
        score: line.score,
        requestedLimitMinor: BigInt(line.requested_limit_minor),
      })),
      budgetMinor,
    );
    for (const allocated of allocation) {
      const limit = limitOf(after, allocated.merchantId);
      expect(limit).toBeLessThanOrEqual(allocated.limitMinor);
      // Limits are rounded down to steps; a line the budget left at 0 reached its share from 0 (no
      // hysteresis); a line the budget cut sits where the live policy's damping put it (v3: half a
      // hysteresis band under its share, docs/credit-policy.md).
      const atStep = allocated.limitMinor - (allocated.limitMinor % STEP_MINOR);
      expect(limit).toBeGreaterThanOrEqual(budgetCutLimit(atStep, 0n, policies.live, 'CNY'));
    }
    const ranked = [...after].sort(compareBudgetRankOfRows);
    const squeezed = ranked.filter((line) => BigInt(line.limit_minor) < BigInt(line.requested_limit_minor));
    expect(squeezed.length).toBeGreaterThanOrEqual(2);
    for (const line of squeezed)
      expect(line.reasons.map((found) => found.code)).toContain('PORTFOLIO_BUDGET');
    for (let better = 0; better < squeezed.length; better += 1)
      for (let worse = better + 1; worse < squeezed.length; worse += 1)
        expect(BigInt(squeezed[better]!.limit_minor)).toBeGreaterThanOrEqual(
          BigInt(squeezed[worse]!.limit_minor),
        );
    return after;
  };

  beforeAll(async () => {
    fixture = await UnderwritingFixture.create('rebalance', 0n);
    await applyToStore(fixture.store, fixture.log, events);
    const assessed = [];
    for (const merchantId of merchantsOf(events)) {
      const profile = (await fixture.store.readWindows(merchantId, new Date(asOf))) as MerchantProfile;
      const assessment = evaluateCredit(profile, policies.live, { now: asOf, lending: NO_LENDING });
      if (assessment.eligible && assessment.offer !== null && assessment.offer.limitMinor > 0n)
        assessed.push({ merchantId, score: assessment.score, offerMinor: assessment.offer.limitMinor });
    }
    worstFirst = assessed.sort((a, b) => compareBudgetRank(b, a));
    // Tight: the worst merchant's whole offer plus half the next one's; the better ones must wait.
    budgetMinor = worstFirst[0]!.offerMinor + worstFirst[1]!.offerMinor / 2n;
    await setBudget(budgetMinor);
  });
  afterAll(() => fixture?.cleanup());

  it('starts from a bad order: the worst merchant, decided first, holds more than the best', async () => {
    expect(worstFirst.length).toBeGreaterThanOrEqual(3);
    expect(worstFirst[0]!.score).toBeLessThan(worstFirst[worstFirst.length - 1]!.score);
    for (const { merchantId } of worstFirst) {
      await fixture.service.underwriteSignals([profileSignal(merchantId, asOf)]);
      expect(await sumOfLimits()).toBeLessThanOrEqual(budgetMinor);
    }
    const before = await lines();
    const worst = worstFirst[0]!.merchantId;
    const best = worstFirst[worstFirst.length - 1]!.merchantId;
    expect(limitOf(before, worst)).toBeGreaterThan(limitOf(before, best));
  });

  it('ends in the ranked allocation: the better merchant holds at least as much as the worse', async () => {
    const steps = await sweepStepwise();
    expect(steps).toBeGreaterThanOrEqual(2);
    const after = await expectRankedAllocation();
    const worst = worstFirst[0]!.merchantId;
    const best = worstFirst[worstFirst.length - 1]!.merchantId;
    expect(limitOf(after, best)).toBeGreaterThanOrEqual(limitOf(after, worst));
    expect(limitOf(after, best)).toBeGreaterThan(0n);
  });

  it('a second sweep with nothing changed makes no decision and no event', async () => {
    const [outbox, decisions] = [await outboxCount(), await decisionCount()];
    const report = await rebalanceBudget(fixture.dataSource, fixture.store, policies);
    expect(report).toMatchObject({ decided: 0, moved: 0 });
    expect(await outboxCount()).toBe(outbox);
    expect(await decisionCount()).toBe(decisions);
  });

  it('lets squeezed lines grow when treasury raises the budget', async () => {
    const before = await lines();
    const squeezedBefore = before.filter(
      (line) => BigInt(line.limit_minor) < BigInt(line.requested_limit_minor),
    );
    expect(squeezedBefore.length).toBeGreaterThan(0);
    const outbox = await outboxCount();
    budgetMinor = worstFirst.reduce((sum, merchant) => sum + merchant.offerMinor, 0n) * 2n;
    await setBudget(budgetMinor);

    const report = await rebalanceBudget(fixture.dataSource, fixture.store, policies);

    expect(report.moved).toBe(squeezedBefore.length);
    expect(await outboxCount()).toBe(outbox + squeezedBefore.length);
    const after = await lines();
    for (const line of squeezedBefore) {
      const grown = after.find((found) => found.merchant_id === line.merchant_id)!;
      expect(BigInt(grown.limit_minor)).toBeGreaterThan(BigInt(line.limit_minor));
      expect(grown.limit_minor).toBe(grown.requested_limit_minor);
      expect(grown.reasons.map((found) => found.code)).not.toContain('PORTFOLIO_BUDGET');
    }
    expect(await sumOfLimits()).toBeLessThanOrEqual(budgetMinor);
    const events: Array<{ type: string }> = await fixture.dataSource.query(
      `SELECT payload->>'type' AS type FROM outbox ORDER BY id OFFSET $1`,
      [outbox],
    );
    expect(events.every((event) => event.type === 'credit-line.adjusted')).toBe(true);
  });

  it('after treasury cuts the budget, a rerun of the same round decides nothing twice', async () => {
    budgetMinor = worstFirst[0]!.offerMinor + worstFirst[1]!.offerMinor / 2n;
    await setBudget(budgetMinor);
    expect(await sumOfLimits()).toBeGreaterThan(budgetMinor);
    // While the first sweep reads its first profile (its round and candidates chosen, nothing
    // committed), a second sweep runs the very same round to the end.
    let concurrent: Awaited<ReturnType<typeof rebalanceBudget>> | undefined;
    const racing: ProfileReader = {
      readWindows: async (merchantId, at) => {
        concurrent ??= await rebalanceBudget(fixture.dataSource, fixture.store, policies);
        return fixture.store.readWindows(merchantId, at);
      },
    };
    const first = await rebalanceBudget(fixture.dataSource, racing, policies);

    expect(concurrent!.decided).toBeGreaterThan(0);
    expect(concurrent!.moved).toBeGreaterThan(0);
    expect(first.currencies[0]!.round).toBe(concurrent!.currencies[0]!.round);
    expect(first.decided).toBe(0);
    const perMerchant: Array<{ n: number }> = await fixture.dataSource.query(
      `SELECT count(*)::int AS n FROM credit_decisions
       WHERE trigger_kind = 'budget-sweep' AND NOT shadow GROUP BY merchant_id, trigger_id`,
    );
    expect(perMerchant.every((row) => row.n === 1)).toBe(true);
    expect(await sumOfLimits()).toBeLessThanOrEqual(budgetMinor);
    await expectRankedAllocation();
  });

  it('stores every sweep decision so that it recomputes exactly, as of the line’s own decision time', async () => {
    const rows = await readDecisionPageById(fixture.dataSource.manager, null, 1_000);
    const sweeps = rows.filter((row) => row.trigger_kind === 'budget-sweep');
    expect(sweeps.length).toBeGreaterThan(0);
    expect(rows.map((row) => recomputeDecision(storedDecisionOfRow(row))).filter((r) => !r.matches)).toEqual(
      [],
    );
    const times: Array<{ decided_at: Date }> = await fixture.dataSource.query(
      `SELECT DISTINCT decided_at FROM credit_decisions`,
    );
    expect(times.map((row) => row.decided_at.toISOString())).toEqual([asOf]);
  });
});

function compareBudgetRankOfRows(a: LineRow, b: LineRow): number {
  return compareBudgetRank(
    { merchantId: a.merchant_id, score: a.score },
    { merchantId: b.merchant_id, score: b.score },
  );
}

describe('budget sweep in the underwriter process (real Postgres, Redis and Kafka)', () => {
  let fixture: UnderwritingFixture;
  let kit: KafkaTestKit;
  let underwriter: UnderwriterProcess | undefined;
  const events = simulatedEvents('uw-rebalance-app', { steady: 1, growing: 1 }, 6, 61);
  const asOf = new Date(dayStartMs(60) - 1).toISOString();
  const policies = defaultUnderwritingPolicies();

  beforeAll(async () => {
    fixture = await UnderwritingFixture.create('rebalance_app', 0n);
    kit = await KafkaTestKit.create('uw-budget-sweep', [
      Topics.profileChanged,
      Topics.creditLines,
      Topics.deadLetters,
      Topics.loans,
    ]);
    await applyToStore(fixture.store, fixture.log, events);
  });
  afterAll(async () => {
    await underwriter?.stop().catch(() => undefined);
    await kit?.cleanup();
    await fixture?.cleanup();
  });

  it('rebalances a bad order at boot, with no profile signal', async () => {
    const assessed = [];
    for (const merchantId of merchantsOf(events)) {
      const profile = (await fixture.store.readWindows(merchantId, new Date(asOf))) as MerchantProfile;
      const assessment = evaluateCredit(profile, policies.live, { now: asOf, lending: NO_LENDING });
      if (assessment.eligible && assessment.offer !== null && assessment.offer.limitMinor > 0n)
        assessed.push({ merchantId, score: assessment.score, offerMinor: assessment.offer.limitMinor });
    }
    const worstFirst = assessed.sort((a, b) => compareBudgetRank(b, a));
    expect(worstFirst.length).toBeGreaterThanOrEqual(2);
    const worst = worstFirst[0]!;
    const best = worstFirst[worstFirst.length - 1]!;
    await fixture.dataSource.query(`UPDATE portfolio_budget SET budget_minor = $1 WHERE currency = 'CNY'`, [
      worst.offerMinor.toString(),
    ]);
    for (const { merchantId } of worstFirst)
      await fixture.service.underwriteSignals([profileSignal(merchantId, asOf)]);
    const limitOf = async (merchantId: string): Promise<bigint> => {
      const [row] = await fixture.dataSource.query(
        `SELECT limit_minor::text FROM credit_lines WHERE merchant_id = $1`,
        [merchantId],
      );
      return BigInt(row.limit_minor);
    };
    expect(await limitOf(worst.merchantId)).toBe(worst.offerMinor);
    expect(await limitOf(best.merchantId)).toBe(0n);

    underwriter = await UnderwriterProcess.start({
      DATABASE_URL: fixture.database.url,
      PROFILE_KEY_PREFIX: fixture.keyPrefix,
      KAFKA_TOPIC_NAMESPACE: kit.namespace,
      UNDERWRITER_GROUP_ID: kit.groupId('underwriter'),
      SILENCE_SWEEP_INTERVAL_MS: '0',
      BUDGET_SWEEP_INTERVAL_MS: '1000',
    });
    await waitUntil(
      'the boot sweep to give the best merchant its share',
      async () => (await limitOf(best.merchantId)) > 0n,
      30_000,
    );
    await waitUntil('the sweep to finish', () => underwriter!.logged('Budget sweep:'), 30_000);
    expect(await limitOf(best.merchantId)).toBeGreaterThanOrEqual(await limitOf(worst.merchantId));
    const [sum] = await fixture.dataSource.query(`SELECT sum(limit_minor)::text AS total FROM credit_lines`);
    expect(BigInt(sum.total)).toBeLessThanOrEqual(worst.offerMinor);
  });
});
