/**
 * The underwriting use case on the real Postgres and Redis (in this process; the Nest app and
 * Kafka are covered by pipeline.int-spec.ts): one decision per signal however often it is
 * delivered, hysteresis, the portfolio budget, and a missing profile failing closed.
 */
import { merchantRoster } from '@lendstream/simulation';
import {
  applyToStore,
  dayStartMs,
  eventsBefore,
  merchantsOf,
  MARKET_START,
  profileSignal,
  simulatedEvents,
} from './support/simulated-profiles';
import { UnderwritingFixture } from './support/underwriting-fixture';
import { recomputeDecision } from '@lendstream/credit';
import {
  BUDGET_SWEEP_SOURCE,
  DecisionTimeMovedError,
  defaultUnderwritingPolicies,
  MOVING_FIRST_MIN_MERCHANTS,
  readDecisionPageById,
  storedDecisionOfRow,
  sweepSilentLines,
  underwriteInTransaction,
} from '@lendstream/credit';

jest.setTimeout(120_000);

const BUDGET_500M_YUAN = 50_000_000_000n;
const STEADY_MIX = { steady: 1 } as const;

describe('underwriting (real Postgres and Redis)', () => {
  let fixture: UnderwritingFixture;
  const events = simulatedEvents('uw-inprocess', STEADY_MIX, 3, 62);
  const [first, second, third] = merchantRoster({
    seed: 'uw-inprocess',
    merchants: 3,
    days: 62,
    start: MARKET_START,
    archetypeMix: STEADY_MIX,
  });
  const day60 = dayStartMs(60);

  beforeAll(async () => {
    fixture = await UnderwritingFixture.create('inprocess', BUDGET_500M_YUAN);
    await applyToStore(fixture.store, fixture.log, eventsBefore(events, day60));
  });
  afterAll(() => fixture?.cleanup());

  it('grants a line once for a signal delivered twice: one decision, one event', async () => {
    const merchantId = first!.merchantId;
    const signal = profileSignal(merchantId, new Date(day60 - 1).toISOString());
    const [outcome] = await fixture.service.underwriteSignals([signal]);
    const [again] = await fixture.service.underwriteSignals([signal]);
    // The same signal twice in one batch, too.
    const [inBatch] = await fixture.service.underwriteSignals([signal, signal]);

    expect(outcome).toMatchObject({ kind: 'decided', event: 'credit-line.granted' });
    expect(again).toEqual({ kind: 'duplicate' });
    expect(inBatch).toEqual({ kind: 'duplicate' });
    expect(await fixture.liveDecisions(merchantId)).toEqual([
      { event_type: 'credit-line.granted', profile_found: true },
    ]);
    expect(await fixture.outboxTypes(merchantId)).toEqual(['credit-line.granted']);
    const [line] = await fixture.dataSource.query(
      `SELECT status, limit_minor, available_minor FROM credit_lines WHERE merchant_id = $1`,
      [merchantId],
    );
    expect(line.status).toBe('ACTIVE');
    expect(BigInt(line.limit_minor)).toBeGreaterThan(0n);
    expect(line.available_minor).toBe(line.limit_minor);
    // The challenger decides it in the shadow lane, after commit: stored, never in the outbox.
    expect(await fixture.queuedForShadow()).toEqual([(outcome as { decisionId: string }).decisionId]);
    await fixture.drainShadowLane();
    const shadows = await fixture.dataSource.query(
      `SELECT policy_version FROM credit_decisions WHERE merchant_id = $1 AND shadow`,
      [merchantId],
    );
    expect(shadows).toEqual([{ policy_version: 'v4-challenger' }]);
  });

  it('holds back a small move: a decision, but no event (hysteresis)', async () => {
    const merchantId = second!.merchantId;
    const ofMerchantBetween = (fromMs: number, toMs: number) =>
      events.filter(
        (event) =>
          event.data.merchantId === merchantId &&
          Date.parse(event.time) >= fromMs &&
          Date.parse(event.time) < toMs,
      );
    const noon = day60 + 12 * 3_600_000;
    await applyToStore(fixture.store, fixture.log, ofMerchantBetween(day60, noon));
    const [granted] = await fixture.service.underwriteSignals([
      profileSignal(merchantId, new Date(noon).toISOString()),
    ]);
    expect(granted).toMatchObject({ kind: 'decided', event: 'credit-line.granted' });
    // A few more hours of the same day's trading move the profile a little.
    const afternoon = ofMerchantBetween(noon, noon + 4 * 3_600_000);
    expect(afternoon.length).toBeGreaterThan(0);
    await applyToStore(fixture.store, fixture.log, afternoon);
    const [moved] = await fixture.service.underwriteSignals([
      profileSignal(merchantId, afternoon[afternoon.length - 1]!.time),
    ]);

    expect(moved).toMatchObject({ kind: 'decided', event: null });
    expect((await fixture.liveDecisions(merchantId)).map((row) => row.event_type)).toEqual([
      'credit-line.granted',
      null,
    ]);
    expect(await fixture.outboxTypes(merchantId)).toEqual(['credit-line.granted']);
    // The profile did move: the two decisions saw different features.
    const features = await fixture.dataSource.query(
      `SELECT features->'windows'->'1'->>'paidOrders' AS paid FROM credit_decisions
       WHERE merchant_id = $1 AND NOT shadow ORDER BY recorded_at`,
      [merchantId],
    );
    expect(features[0].paid).not.toEqual(features[1].paid);
  });

  it('fails closed on a missing profile: a stored decision, no line, no event', async () => {
    const merchantId = 'm-999999';
    const [outcome] = await fixture.service.underwriteSignals([
      profileSignal(merchantId, new Date(day60).toISOString()),
    ]);

    expect(outcome).toMatchObject({ kind: 'decided', event: null, line: null });
    expect(await fixture.liveDecisions(merchantId)).toEqual([{ event_type: null, profile_found: false }]);
    const [decision] = await fixture.dataSource.query(
      `SELECT reasons FROM credit_decisions WHERE merchant_id = $1 AND NOT shadow`,
      [merchantId],
    );
    expect(decision.reasons.map((found: { code: string }) => found.code)).toContain('PROFILE_INCOMPLETE');
    expect(await fixture.outboxTypes(merchantId)).toEqual([]);
    expect(
      await fixture.dataSource.query(`SELECT 1 FROM credit_lines WHERE merchant_id = $1`, [merchantId]),
    ).toEqual([]);
  });

  it('decides a late signal of a merchant without a line as of its newest decision, never back in time', async () => {
    // A merchant with no profile is declined and gets no line row, so only its decisions
    // remember how far its business time has gone; a later signal about an earlier event must
    // still be decided as of the newer instant, or "the newest decision" would be a stale one.
    const merchantId = 'm-999998';
    const newer = new Date(day60).toISOString();
    const earlier = new Date(day60 - 3_600_000).toISOString();
    await fixture.service.underwriteSignals([profileSignal(merchantId, newer)]);
    const [late] = await fixture.service.underwriteSignals([profileSignal(merchantId, earlier)]);

    expect(late).toMatchObject({ kind: 'decided', line: null });
    const decided = await fixture.dataSource.query(
      `SELECT decided_at FROM credit_decisions WHERE merchant_id = $1 AND NOT shadow ORDER BY recorded_at`,
      [merchantId],
    );
    expect(decided.map((row: { decided_at: Date }) => row.decided_at.toISOString())).toEqual([newer, newer]);
    expect(
      await fixture.dataSource.query(`SELECT 1 FROM credit_lines WHERE merchant_id = $1`, [merchantId]),
    ).toEqual([]);
  });

  it('holds an existing line when its profile goes missing: never raised, no event', async () => {
    const merchantId = first!.merchantId;
    const before = await fixture.dataSource.query(
      `SELECT limit_minor, version FROM credit_lines WHERE merchant_id = $1`,
      [merchantId],
    );
    const profileKeys = await fixture.redis.keys(`${fixture.keyPrefix}:*${merchantId}*`);
    expect(profileKeys.length).toBeGreaterThan(0);
    await fixture.redis.del(...profileKeys);
    const [outcome] = await fixture.service.underwriteSignals([
      profileSignal(merchantId, new Date(day60 + 3_600_000).toISOString()),
    ]);

    expect(outcome).toMatchObject({ kind: 'decided', event: null });
    const after = await fixture.dataSource.query(
      `SELECT limit_minor FROM credit_lines WHERE merchant_id = $1`,
      [merchantId],
    );
    expect(after[0].limit_minor).toBe(before[0].limit_minor);
    expect(await fixture.outboxTypes(merchantId)).toEqual(['credit-line.granted']);
  });

  it('turns back a sweep whose line was written after it read the profile, and writes nothing', async () => {
    const merchantId = second!.merchantId;
    const lineOf = async () =>
      (
        await fixture.dataSource.query(
          `SELECT version::text AS version, last_decided_at FROM credit_lines WHERE merchant_id = $1`,
          [merchantId],
        )
      )[0] as { version: string; last_decided_at: Date };
    const decisionsOf = async () =>
      Number(
        (
          await fixture.dataSource.query(`SELECT count(*) FROM credit_decisions WHERE merchant_id = $1`, [
            merchantId,
          ])
        )[0].count,
      );
    const read = await lineOf();
    // A late signal: decided as of the line's own last decision time, as a sweep would be, and
    // counted as a write of the line even when it leaves the line as it was.
    const [late] = await fixture.service.underwriteSignals([
      profileSignal(merchantId, new Date(read.last_decided_at.getTime() - 60_000).toISOString()),
    ]);
    expect(late).toMatchObject({ kind: 'decided' });
    const written = await lineOf();
    expect(BigInt(written.version)).toBeGreaterThan(BigInt(read.version));
    expect(written.last_decided_at).toEqual(read.last_decided_at);

    const now = read.last_decided_at.toISOString();
    const sweep = (version: string, id: string) =>
      fixture.dataSource.transaction(async (manager) =>
        underwriteInTransaction(
          manager,
          {
            merchantId,
            now,
            profile: await fixture.store.readWindows(merchantId, read.last_decided_at),
            trigger: { kind: 'budget-sweep', source: BUDGET_SWEEP_SOURCE, id },
            inboxEvents: [],
            lineVersionRead: version,
          },
          defaultUnderwritingPolicies(),
        ),
      );
    const before = await decisionsOf();
    await expect(sweep(read.version, 'stale-read')).rejects.toThrow(DecisionTimeMovedError);
    expect(await decisionsOf()).toBe(before);
    expect(await lineOf()).toEqual(written);
    // Read again, the same sweep goes through.
    await expect(sweep(written.version, 'fresh-read')).resolves.toMatchObject({ kind: 'decided' });
    expect(await decisionsOf()).toBeGreaterThan(before);
  });

  it('closes a line silent for 60 days of business time on the sweep, once', async () => {
    const silent = third!.merchantId;
    await fixture.service.underwriteSignals([profileSignal(silent, new Date(day60 - 1).toISOString())]);
    expect(await fixture.outboxTypes(silent)).toEqual(['credit-line.granted']);
    // Business time moves on with another merchant's signal 66 days later (the wall clock never matters).
    await fixture.service.underwriteSignals([
      profileSignal(second!.merchantId, new Date(dayStartMs(126)).toISOString()),
    ]);

    const report = await sweepSilentLines(fixture.dataSource, fixture.store, defaultUnderwritingPolicies());
    const again = await sweepSilentLines(fixture.dataSource, fixture.store, defaultUnderwritingPolicies());

    expect(report).toMatchObject({ clock: new Date(dayStartMs(126)).toISOString(), closed: 1 });
    expect(again).toMatchObject({ decided: 0, closed: 0 });
    expect(await fixture.outboxTypes(silent)).toEqual(['credit-line.granted', 'credit-line.closed']);
    const [line] = await fixture.dataSource.query(
      `SELECT status, limit_minor, reasons FROM credit_lines WHERE merchant_id = $1`,
      [silent],
    );
    expect(line).toMatchObject({ status: 'CLOSED', limit_minor: '0' });
    expect(line.reasons.map((found: { code: string }) => found.code)).toEqual(['MERCHANT_SILENT']);
  });
});

describe('portfolio budget (real Postgres and Redis)', () => {
  const TINY_BUDGET = 2_000_000n; // 20,000 yuan for six merchants that each earn far more
  let fixture: UnderwritingFixture;
  const events = simulatedEvents('uw-budget', { steady: 1, growing: 1 }, 6, 61);
  const asOf = new Date(dayStartMs(60) - 1).toISOString();

  beforeAll(async () => {
    fixture = await UnderwritingFixture.create('budget', TINY_BUDGET);
    await applyToStore(fixture.store, fixture.log, events);
  });
  afterAll(() => fixture?.cleanup());

  it('never lets the sum of limits exceed the budget, and squeezed lines carry PORTFOLIO_BUDGET', async () => {
    const merchants = [...new Set(events.map((event) => event.data.merchantId))].sort();
    // Two rounds, as signals would keep coming: the second lets better merchants take headroom.
    for (let round = 0; round < 2; round += 1) {
      for (const merchantId of merchants) {
        await fixture.service.underwriteSignals([profileSignal(merchantId, asOf)]);
        const [sum] = await fixture.dataSource.query(
          `SELECT coalesce(sum(limit_minor), 0)::text AS total FROM credit_lines`,
        );
        expect(BigInt(sum.total)).toBeLessThanOrEqual(TINY_BUDGET);
      }
    }
    const lines: Array<{
      limit_minor: string;
      requested_limit_minor: string;
      reasons: Array<{ code: string }>;
    }> = await fixture.dataSource.query(
      `SELECT limit_minor, requested_limit_minor, reasons FROM credit_lines`,
    );
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const squeezed = lines.filter((line) => BigInt(line.limit_minor) < BigInt(line.requested_limit_minor));
    expect(squeezed.length).toBeGreaterThan(0);
    for (const line of squeezed)
      expect(line.reasons.map((found) => found.code)).toContain('PORTFOLIO_BUDGET');
  });

  it('stores every decision (live and shadow) so that it recomputes exactly', async () => {
    await fixture.drainShadowLane();
    const rows = await readDecisionPageById(fixture.dataSource.manager, null, 1_000);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.some((row) => row.shadow)).toBe(true);
    const mismatches = rows
      .map((row) => recomputeDecision(storedDecisionOfRow(row)))
      .filter((result) => !result.matches);
    expect(mismatches).toEqual([]);
  });
});

describe('a batch of decisions (real Postgres and Redis)', () => {
  const TINY_BUDGET = 3_000_000n; // binds: the decisions of a batch compete for it
  const events = simulatedEvents('uw-batch', { steady: 2, growing: 1, seasonal: 1 }, 12, 61);
  const merchants = [...new Set(events.map((event) => event.data.merchantId))].sort();
  const asOf = (round: number) => new Date(dayStartMs(59 + round) - 1).toISOString();
  // The same signal ids on both sides: decision and line ids derive from them.
  const signalsOf = (round: number) =>
    merchants.map((merchantId) => profileSignal(merchantId, asOf(round), `batch-${round}-${merchantId}`));
  let batched: UnderwritingFixture;
  let oneByOne: UnderwritingFixture;

  beforeAll(async () => {
    batched = await UnderwritingFixture.create('batched', TINY_BUDGET);
    oneByOne = await UnderwritingFixture.create('one_by_one', TINY_BUDGET);
    await applyToStore(batched.store, batched.log, events);
    await applyToStore(oneByOne.store, oneByOne.log, events);
  });
  afterAll(async () => {
    await batched?.cleanup();
    await oneByOne?.cleanup();
  });

  const linesOf = (fixture: UnderwritingFixture) =>
    fixture.dataSource.query(
      `SELECT merchant_id, credit_line_id, status, limit_minor, available_minor, requested_limit_minor, score,
              grade, reasons, last_decision_id
       FROM credit_lines ORDER BY merchant_id`,
    );
  const decisionsOf = (fixture: UnderwritingFixture) =>
    fixture.dataSource.query(
      `SELECT decision_id, shadow, budget_fit, resulting_state, event_type, reasons
       FROM credit_decisions ORDER BY decision_id`,
    );

  it('decides every merchant exactly as consecutive one-merchant transactions would, under a binding budget', async () => {
    for (let round = 0; round < 2; round += 1) {
      const signals = signalsOf(round);
      const outcomes = await batched.service.underwriteSignals(signals);
      expect(outcomes).toHaveLength(merchants.length);
      for (const signal of signals) await oneByOne.service.underwriteSignals([signal]);
    }
    const lines = await linesOf(batched);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    const limits = lines.map((line: { limit_minor: string }) => BigInt(line.limit_minor));
    expect(limits.reduce((sum: bigint, limit: bigint) => sum + limit, 0n)).toBeLessThanOrEqual(TINY_BUDGET);
    // The budget binds, so a batch that let its decisions ignore each other would differ here.
    expect(
      lines.some((line: { reasons: Array<{ code: string }> }) =>
        line.reasons.some((reason) => reason.code === 'PORTFOLIO_BUDGET'),
      ),
    ).toBe(true);
    expect(lines).toEqual(await linesOf(oneByOne));
    expect(await decisionsOf(batched)).toEqual(await decisionsOf(oneByOne));
    expect(await batched.outboxTypes(merchants[0]!)).toEqual(await oneByOne.outboxTypes(merchants[0]!));
  });

  it('redelivers a whole batch as a no-op', async () => {
    const before = await decisionsOf(batched);
    const outcomes = await batched.service.underwriteSignals(signalsOf(1));
    expect(outcomes.every((outcome) => outcome.kind === 'duplicate')).toBe(true);
    expect(await decisionsOf(batched)).toEqual(before);
  });
});

describe('lines forecast to move go first (real Postgres and Redis)', () => {
  let fixture: UnderwritingFixture;
  const events = simulatedEvents('uw-moving-first', STEADY_MIX, MOVING_FIRST_MIN_MERCHANTS + 8, 61);
  const merchants = merchantsOf(events);
  const asOf = (day: number) => new Date(dayStartMs(day) - 1).toISOString();

  beforeAll(async () => {
    fixture = await UnderwritingFixture.create('moving_first', BUDGET_500M_YUAN);
    await applyToStore(fixture.store, fixture.log, events);
  });
  afterAll(() => fixture?.cleanup());

  it('commits the decisions that move a line in a transaction of their own, before the ones that confirm a line', async () => {
    const granted = await fixture.service.underwriteSignals(merchants.map((id) => profileSignal(id, asOf(60))));
    const grantedLines = granted.filter((outcome) => outcome.kind === 'decided' && outcome.line !== null);
    expect(grantedLines.length).toBeGreaterThanOrEqual(MOVING_FIRST_MIN_MERCHANTS);
    // Three lines at half the size the policy offers: the next decision moves them back.
    const tampered: string[] = (
      await fixture.dataSource.query(
        `UPDATE credit_lines SET limit_minor = limit_minor / 2, available_minor = available_minor / 2,
           requested_limit_minor = requested_limit_minor / 2
         WHERE merchant_id IN (SELECT merchant_id FROM credit_lines ORDER BY merchant_id LIMIT 3)
         RETURNING merchant_id`,
      )
    )[0].map((row: { merchant_id: string }) => row.merchant_id);

    const signals = merchants.map((id) => profileSignal(id, asOf(60)));
    const outcomes = await fixture.service.underwriteSignals(signals);

    // Every merchant decided, the outcomes in the signals' order.
    expect(outcomes).toHaveLength(merchants.length);
    const rows: Array<{ decision_id: string; merchant_id: string; event_type: string | null; tx: string; at: Date }> =
      await fixture.dataSource.query(
        `SELECT decision_id, merchant_id, event_type, xmin::text AS tx, recorded_at AS at FROM credit_decisions
         WHERE NOT shadow AND trigger_id = ANY($1::text[])`,
        [signals.map((signal) => signal.id)],
      );
    const byId = new Map(rows.map((row) => [row.decision_id, row]));
    outcomes.forEach((outcome, index) => {
      expect(outcome.kind).toBe('decided');
      expect(byId.get((outcome as { decisionId: string }).decisionId)?.merchant_id).toBe(merchants[index]);
    });
    const moved = rows.filter((row) => row.event_type !== null);
    const confirmed = rows.filter((row) => row.event_type === null);
    expect(moved.map((row) => row.merchant_id).sort()).toEqual([...tampered].sort());
    expect(moved.every((row) => row.event_type === 'credit-line.adjusted')).toBe(true);
    expect(new Set(moved.map((row) => row.tx)).size).toBe(1);
    expect(new Set(confirmed.map((row) => row.tx)).size).toBe(1);
    expect(moved[0]!.tx).not.toBe(confirmed[0]!.tx);
    const lastMoved = Math.max(...moved.map((row) => row.at.getTime()));
    expect(confirmed.every((row) => row.at.getTime() > lastMoved)).toBe(true);
    expect(await fixture.outboxTypes(tampered[0]!)).toEqual(['credit-line.granted', 'credit-line.adjusted']);
    // The confirming decisions reused their forecast's assessment: what they stored recomputes exactly.
    const stored = await readDecisionPageById(fixture.dataSource.manager, null, 1_000);
    expect(stored.length).toBe(2 * merchants.length);
    expect(stored.map((row) => recomputeDecision(storedDecisionOfRow(row))).filter((result) => !result.matches)).toEqual(
      [],
    );
  });
});

describe('the budget taken optimistically (real Postgres and Redis)', () => {
  /** Holds the currency's budget row locked, as a batch deciding under the budget would, until released. */
  async function holdBudgetLock(fixture: UnderwritingFixture): Promise<() => Promise<void>> {
    const runner = fixture.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT 1 FROM portfolio_budget WHERE currency = 'CNY' FOR UPDATE`);
    return async () => {
      await runner.commitTransaction();
      await runner.release();
    };
  }
  const settledWithin = async <T>(promise: Promise<T>, ms: number): Promise<boolean> =>
    Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

  describe('while the budget does not bind', () => {
    let fixture: UnderwritingFixture;
    const events = simulatedEvents('uw-optimistic', STEADY_MIX, 3, 62);
    const merchants = merchantsOf(events);
    const asOf = (day: number) => new Date(dayStartMs(day) - 1).toISOString();

    beforeAll(async () => {
      fixture = await UnderwritingFixture.create('optimistic', BUDGET_500M_YUAN);
      await applyToStore(fixture.store, fixture.log, eventsBefore(events, dayStartMs(61)));
    });
    afterAll(() => fixture?.cleanup());

    it('decides a batch that raises no line without waiting for the budget lock; a raise waits for it', async () => {
      const [held, raised] = merchants;
      await fixture.service.underwriteSignals([profileSignal(held!, asOf(60))]);
      const release = await holdBudgetLock(fixture);
      try {
        // The same picture an instant later: the line is held, so the budget is never consulted under lock.
        const holding = fixture.service.underwriteSignals([profileSignal(held!, asOf(60))]);
        expect(await settledWithin(holding, 10_000)).toBe(true);
        expect(await holding).toEqual([expect.objectContaining({ kind: 'decided', event: null })]);
        // A first grant spends headroom: it writes, then waits for the lock to check the budget.
        const granting = fixture.service.underwriteSignals([profileSignal(raised!, asOf(60))]);
        expect(await settledWithin(granting, 1_500)).toBe(false);
        await release();
        expect(await granting).toEqual([expect.objectContaining({ kind: 'decided', event: 'credit-line.granted' })]);
      } finally {
        await release().catch(() => undefined);
      }
    });
  });

  describe('while the budget binds', () => {
    const TINY_BUDGET = 2_000_000n;
    let fixture: UnderwritingFixture;
    const events = simulatedEvents('uw-contended', { steady: 1, growing: 1 }, 6, 61);
    const merchants = merchantsOf(events);
    const asOf = new Date(dayStartMs(60) - 1).toISOString();

    beforeAll(async () => {
      fixture = await UnderwritingFixture.create('contended', TINY_BUDGET);
      await applyToStore(fixture.store, fixture.log, events);
    });
    afterAll(() => fixture?.cleanup());

    it('never lets batches decided side by side spend the same headroom: the budget holds', async () => {
      // Every batch reads the empty book and decides its grant before any can check the budget:
      // without the check under the lock, each would keep its full request.
      const release = await holdBudgetLock(fixture);
      const batches = merchants.map((merchantId) =>
        fixture.service.underwriteSignals([profileSignal(merchantId, asOf)]),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await release();
      const outcomes = (await Promise.all(batches)).flat();
      expect(outcomes.every((outcome) => outcome.kind === 'decided')).toBe(true);
      const lines: Array<{ limit_minor: string; requested_limit_minor: string; reasons: Array<{ code: string }> }> =
        await fixture.dataSource.query(`SELECT limit_minor, requested_limit_minor, reasons FROM credit_lines`);
      const requested = lines.reduce((sum, line) => sum + BigInt(line.requested_limit_minor), 0n);
      expect(requested).toBeGreaterThan(TINY_BUDGET); // the test means something only if the budget binds
      const total = lines.reduce((sum, line) => sum + BigInt(line.limit_minor), 0n);
      expect(total).toBeLessThanOrEqual(TINY_BUDGET);
      for (const line of lines.filter((found) => BigInt(found.limit_minor) < BigInt(found.requested_limit_minor)))
        expect(line.reasons.map((found) => found.code)).toContain('PORTFOLIO_BUDGET');
      // Exactly one decision per merchant survived: the contended attempts rolled back whole.
      const [counted] = await fixture.dataSource.query(
        `SELECT count(*)::int AS decisions, count(DISTINCT merchant_id)::int AS merchants
         FROM credit_decisions WHERE NOT shadow`,
      );
      expect(counted).toEqual({ decisions: merchants.length, merchants: merchants.length });
    });
  });
});

describe('a decision that would break an invariant (real Postgres and Redis)', () => {
  let fixture: UnderwritingFixture;
  const events = simulatedEvents('uw-invariant', STEADY_MIX, 3, 62);
  const merchants = merchantsOf(events);
  const asOf = (day: number) => new Date(dayStartMs(day) - 1).toISOString();

  beforeAll(async () => {
    fixture = await UnderwritingFixture.create('invariant', BUDGET_500M_YUAN);
    await applyToStore(fixture.store, fixture.log, eventsBefore(events, dayStartMs(61)));
  });
  afterAll(() => fixture?.cleanup());

  it('rejects the merchant at fault (BROKEN_INVARIANT) and decides the others of its batch', async () => {
    const granted = await fixture.service.underwriteSignals(merchants.map((id) => profileSignal(id, asOf(60))));
    expect(granted.every((outcome) => outcome.kind === 'decided')).toBe(true);
    const [, atFault] = merchants;
    // An impossible state: the line in another currency than the merchant's profile.
    await fixture.dataSource.query(`UPDATE credit_lines SET currency = 'USD' WHERE merchant_id = $1`, [atFault]);
    const decisionsBefore = await fixture.liveDecisions(atFault!);

    const signals = merchants.map((id) => profileSignal(id, asOf(61)));
    const outcomes = await fixture.service.underwriteSignals(signals);

    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['decided', 'rejected', 'decided']);
    expect(outcomes[1]).toEqual({
      kind: 'rejected',
      violation: {
        reason: 'BROKEN_INVARIANT',
        message: expect.stringContaining('one merchant has one currency'),
      },
    });
    // Nothing written for it: no decision, and its signal is not in the inbox (a redelivery is rejected again).
    expect(await fixture.liveDecisions(atFault!)).toEqual(decisionsBefore);
    const [inbox] = await fixture.dataSource.query(
      `SELECT count(*)::int AS rows FROM inbox WHERE event_id = ANY($1::text[])`,
      [signals.map((signal) => signal.id)],
    );
    expect(inbox.rows).toBe(2);
    expect(await fixture.service.underwriteSignals([signals[1]!])).toEqual([outcomes[1]]);
  });
});
