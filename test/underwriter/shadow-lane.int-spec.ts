/**
 * The shadow lane on the real Postgres and Redis: live decisions are queued in their own
 * transaction and the challengers decide them afterwards, once per merchant per turn, from what
 * the live decision stored; a lane that fails before commit leaves its entries queued; two lanes
 * share the queue without deciding anything twice.
 */
import {
  decideShadowBacklog,
  decideShadowBatch,
  decisionIdOf,
  defaultUnderwritingPolicies,
  readDecisionPageById,
  recomputeDecision,
  storedDecisionOfRow,
} from '@lendstream/credit';
import { merchantRoster } from '@lendstream/simulation';
import {
  applyToStore,
  dayStartMs,
  eventsBefore,
  MARKET_START,
  profileSignal,
  simulatedEvents,
} from './support/simulated-profiles';
import { UnderwritingFixture } from './support/underwriting-fixture';

jest.setTimeout(120_000);

const BUDGET_500M_YUAN = 50_000_000_000n;
const MARKET = { seed: 'uw-shadow-lane', mix: { steady: 1 }, merchants: 4, days: 62 } as const;
const HOUR_MS = 3_600_000;

describe('the shadow lane (real Postgres and Redis)', () => {
  const { challengers } = defaultUnderwritingPolicies();
  const events = simulatedEvents(MARKET.seed, MARKET.mix, MARKET.merchants, MARKET.days);
  const merchants = merchantRoster({
    seed: MARKET.seed,
    merchants: MARKET.merchants,
    days: MARKET.days,
    start: MARKET_START,
    archetypeMix: MARKET.mix,
  }).map((merchant) => merchant.merchantId);
  const day60 = dayStartMs(60);
  const at = (offsetMs: number) => new Date(day60 + offsetMs).toISOString();
  let fixture: UnderwritingFixture;

  beforeAll(async () => {
    fixture = await UnderwritingFixture.create('shadow_lane', BUDGET_500M_YUAN);
    await applyToStore(fixture.store, fixture.log, eventsBefore(events, day60));
  });
  afterAll(() => fixture?.cleanup());

  const shadowRows = (merchantId: string) =>
    fixture.dataSource.query(
      `SELECT decision_id, policy_version, trigger_id, decided_at, features FROM credit_decisions
       WHERE merchant_id = $1 AND shadow ORDER BY decided_at`,
      [merchantId],
    );

  it('queues a live decision instead of deciding the challengers in its transaction; the lane decides them from what it stored', async () => {
    expect(challengers.length).toBeGreaterThan(0);
    const merchantId = merchants[0]!;
    const signal = profileSignal(merchantId, at(-1));
    const [outcome] = await fixture.service.underwriteSignals([signal]);
    expect(outcome).toMatchObject({ kind: 'decided', event: 'credit-line.granted' });
    const liveId = (outcome as { decisionId: string }).decisionId;
    expect(await fixture.queuedForShadow()).toEqual([liveId]);
    expect(await shadowRows(merchantId)).toEqual([]);

    // Too fresh for the default linger window: a busy merchant's next decisions may still come.
    expect(await decideShadowBacklog(fixture.dataSource, challengers)).toMatchObject({ taken: 0 });
    expect(await decideShadowBacklog(fixture.dataSource, challengers, { lingerMs: 0 })).toMatchObject({
      taken: 1,
      merchants: 1,
      decided: 1,
      coalesced: 0,
      stored: challengers.length,
    });
    expect(await fixture.queuedForShadow()).toEqual([]);
    const [live] = await fixture.dataSource.query(
      `SELECT features, decided_at FROM credit_decisions WHERE decision_id = $1`,
      [liveId],
    );
    const shadows = await shadowRows(merchantId);
    const trigger = { kind: 'signal', source: signal.source, id: signal.id } as const;
    expect(shadows.map((row: { decision_id: string }) => row.decision_id).sort()).toEqual(
      challengers.map((challenger) => decisionIdOf(trigger, merchantId, challenger.version)).sort(),
    );
    for (const shadow of shadows) {
      // Exactly what the live policy saw, as of the same instant.
      expect(shadow.features).toEqual(live.features);
      expect(shadow.decided_at).toEqual(live.decided_at);
    }
    // Stored like any decision: each recomputes exactly.
    const stored = (await readDecisionPageById(fixture.dataSource.manager, null, 1_000)).filter(
      (row) => row.merchant_id === merchantId,
    );
    expect(stored).toHaveLength(1 + challengers.length);
    expect(
      stored.map((row) => recomputeDecision(storedDecisionOfRow(row))).filter((r) => !r.matches),
    ).toEqual([]);
    // An empty queue takes nothing.
    expect(await decideShadowBacklog(fixture.dataSource, challengers, { lingerMs: 0 })).toMatchObject({
      taken: 0,
      stored: 0,
    });
  });

  it('decides a merchant once per turn, as of its newest queued live decision, and never behind the challenger', async () => {
    const merchantId = merchants[1]!;
    const signals = [-3 * HOUR_MS, -2 * HOUR_MS, -HOUR_MS].map((offset) =>
      profileSignal(merchantId, at(offset)),
    );
    const liveIds: string[] = [];
    for (const signal of signals) {
      const [outcome] = await fixture.service.underwriteSignals([signal]);
      liveIds.push((outcome as { decisionId: string }).decisionId);
    }
    expect(await fixture.queuedForShadow()).toEqual(liveIds);

    expect(await fixture.drainShadowLane()).toMatchObject([
      { taken: 3, merchants: 1, decided: 1, coalesced: 2, stored: challengers.length },
    ]);
    const shadows = await shadowRows(merchantId);
    expect(shadows).toHaveLength(challengers.length);
    for (const shadow of shadows) {
      expect(shadow.trigger_id).toBe(signals[2]!.id);
      expect(shadow.decided_at.toISOString()).toBe(at(-HOUR_MS));
    }

    // An entry older than the challenger's newest decision (a lane that took a newer one first): nothing to decide.
    await fixture.dataSource.query(
      `INSERT INTO shadow_decision_queue (decision_id, merchant_id) VALUES ($1, $2)`,
      [liveIds[0], merchantId],
    );
    expect(await fixture.drainShadowLane()).toMatchObject([
      { taken: 1, merchants: 1, decided: 0, coalesced: 1, stored: 0 },
    ]);
    expect(await shadowRows(merchantId)).toHaveLength(challengers.length);
  });

  it('leaves its entries queued when it fails before commit, and decides them on the next turn', async () => {
    const merchantId = merchants[2]!;
    const [outcome] = await fixture.service.underwriteSignals([profileSignal(merchantId, at(-1))]);
    const liveId = (outcome as { decisionId: string }).decisionId;

    const crash = new Error('the lane died before commit');
    await expect(
      fixture.dataSource.transaction(async (manager) => {
        const report = await decideShadowBatch(manager, challengers, { merchantsMax: 100, lingerMs: 0 });
        expect(report.stored).toBe(challengers.length);
        throw crash;
      }),
    ).rejects.toBe(crash);
    expect(await fixture.queuedForShadow()).toEqual([liveId]);
    expect(await shadowRows(merchantId)).toEqual([]);

    expect(await fixture.drainShadowLane()).toMatchObject([
      { taken: 1, merchants: 1, decided: 1, coalesced: 0, stored: challengers.length },
    ]);
    expect(await shadowRows(merchantId)).toHaveLength(challengers.length);
  });

  it('shares the queue between two lanes: every entry taken once, every shadow decision stored once', async () => {
    // Every merchant decided again, one signal each, a day later.
    const signals = merchants.map((merchantId) => profileSignal(merchantId, at(23 * HOUR_MS)));
    await fixture.service.underwriteSignals(signals);
    const queued = await fixture.queuedForShadow();
    expect(queued).toHaveLength(merchants.length);

    const reports = await Promise.all([
      decideShadowBacklog(fixture.dataSource, challengers, { merchantsMax: 2, lingerMs: 0 }),
      decideShadowBacklog(fixture.dataSource, challengers, { merchantsMax: 2, lingerMs: 0 }),
    ]);
    const rest = await fixture.drainShadowLane();
    const taken = [...reports, ...rest].reduce((sum, report) => sum + report.taken, 0);
    const stored = [...reports, ...rest].reduce((sum, report) => sum + report.stored, 0);
    expect(taken).toBe(merchants.length);
    expect(stored).toBe(merchants.length * challengers.length);
    const [counts] = await fixture.dataSource.query(
      `SELECT count(*)::int AS shadows, count(DISTINCT (trigger_id, merchant_id, policy_version))::int AS distinct_shadows
       FROM credit_decisions WHERE shadow AND trigger_id = ANY($1::text[])`,
      [signals.map((signal) => signal.id)],
    );
    expect(counts).toEqual({
      shadows: merchants.length * challengers.length,
      distinct_shadows: merchants.length * challengers.length,
    });
    expect(await fixture.queuedForShadow()).toEqual([]);
  });
});
