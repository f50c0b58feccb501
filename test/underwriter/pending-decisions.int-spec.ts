/**
 * Pending decisions on the real Postgres and Redis (in this process; the app's pending lane runs
 * in pipeline.int-spec.ts and the chaos run): under load, a merchant whose line the live policy
 * forecasts to hold has its signals consumed into one pending row, decided later by the lane,
 * while the merchants whose line moves are decided at once.
 */
import type { DataSource } from 'typeorm';
import {
  claimPendingDecisions,
  MOVING_FIRST_MIN_MERCHANTS,
  readDecisionPageById,
  recomputeDecision,
  recordPendingDecisions,
  releasePendingClaims,
  settlePendingDecisions,
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

jest.setTimeout(120_000);

const BUDGET_500M_YUAN = 50_000_000_000n;
const LEASE_MS = 30_000;

interface PendingRow {
  merchant_id: string;
  as_of: Date;
  trigger_id: string;
  signals: number;
  claimed: boolean;
}

const pendingRows = (dataSource: DataSource): Promise<PendingRow[]> =>
  dataSource.query(
    `SELECT merchant_id, as_of, trigger_id, signals, claimed_until IS NOT NULL AS claimed
     FROM pending_decisions ORDER BY merchant_id`,
  );

/** Halves the lines of `merchantIds`: the next decision of each moves it back (an `adjusted` event). */
const halveLines = (dataSource: DataSource, merchantIds: readonly string[]): Promise<unknown> =>
  dataSource.query(
    `UPDATE credit_lines SET limit_minor = limit_minor / 2, available_minor = available_minor / 2,
       requested_limit_minor = requested_limit_minor / 2, version = version + 1
     WHERE merchant_id = ANY($1::text[])`,
    [merchantIds],
  );

describe('pending decisions (real Postgres and Redis)', () => {
  let fixture: UnderwritingFixture;
  const events = simulatedEvents('uw-pending', { steady: 1 }, MOVING_FIRST_MIN_MERCHANTS + 8, 61);
  const merchants = merchantsOf(events);
  const asOf = (day: number) => new Date(dayStartMs(day) - 1).toISOString();

  beforeAll(async () => {
    fixture = await UnderwritingFixture.create('pending', BUDGET_500M_YUAN, { deferHolds: true });
    await applyToStore(fixture.store, fixture.log, events);
    // Every merchant's first decision grants its line: a move, decided at once.
    const granted = await fixture.service.underwriteSignals(
      merchants.map((id) => profileSignal(id, asOf(60))),
    );
    expect(
      granted.every((outcome) => outcome.kind === 'decided' && outcome.event === 'credit-line.granted'),
    ).toBe(true);
  });
  afterAll(() => fixture?.cleanup());

  it('decides the lines that move at once and leaves the ones that hold to the lane, which decides each once', async () => {
    const moving = merchants.slice(0, 3);
    await halveLines(fixture.dataSource, moving);
    const before = (await readDecisionPageById(fixture.dataSource.manager, null, 1_000)).length;
    const signals = merchants.map((id) => profileSignal(id, asOf(60)));
    const outcomes = await fixture.service.underwriteSignals(signals);

    // In the signals' order: the three moves decided, every other merchant deferred.
    outcomes.forEach((outcome, index) =>
      expect(outcome).toMatchObject(
        index < 3 ? { kind: 'decided', event: 'credit-line.adjusted' } : { kind: 'deferred' },
      ),
    );
    expect((await readDecisionPageById(fixture.dataSource.manager, null, 1_000)).length).toBe(before + 3);
    const pending = await pendingRows(fixture.dataSource);
    expect(pending.map((row) => row.merchant_id)).toEqual(merchants.slice(3));
    pending.forEach((row) => {
      expect(row.as_of.toISOString()).toBe(asOf(60));
      expect(row.trigger_id).toBe(signals[merchants.indexOf(row.merchant_id)]!.id);
      expect(row.signals).toBe(1);
    });

    // Redelivered, the batch is a no-op: the deferred signals are in the inbox too.
    const again = await fixture.service.underwriteSignals(signals);
    expect(again.every((outcome) => outcome.kind === 'duplicate')).toBe(true);
    expect(await pendingRows(fixture.dataSource)).toEqual(pending);

    // A later signal that moves a pending merchant's line is decided at once, and settles its row.
    const mover = merchants[3]!;
    await halveLines(fixture.dataSource, [mover]);
    const lateSignals = [mover, ...merchants.slice(4, 4 + MOVING_FIRST_MIN_MERCHANTS)].map((id) =>
      profileSignal(id, asOf(60)),
    );
    const late = await fixture.service.underwriteSignals(lateSignals);
    expect(late[0]).toMatchObject({ kind: 'decided', event: 'credit-line.adjusted' });
    expect(late.slice(1).every((outcome) => outcome.kind === 'deferred')).toBe(true);
    const folded = await pendingRows(fixture.dataSource);
    expect(folded.map((row) => row.merchant_id)).not.toContain(mover);
    // The others folded the later signal in (the same instant: the later one is the trigger), counted twice.
    const refreshed = folded.filter((row) => row.signals === 2);
    expect(refreshed).toHaveLength(MOVING_FIRST_MIN_MERCHANTS);
    for (const row of refreshed)
      expect(row.trigger_id).toBe(
        lateSignals.find((signal) => signal.data.merchantId === row.merchant_id)!.id,
      );

    // The lane: not before the linger window, then every merchant once, each row settled.
    const take = { merchantsMax: 100, leaseMs: LEASE_MS };
    expect((await fixture.service.decidePending({ ...take, lingerMs: 600_000 })).claimed).toBe(0);
    const report = await fixture.service.decidePending({ ...take, lingerMs: 0 });
    expect(report).toMatchObject({ claimed: folded.length, decided: folded.length, moved: 0, rejected: [] });
    expect(await pendingRows(fixture.dataSource)).toEqual([]);
    expect((await fixture.service.decidePending({ ...take, lingerMs: 0 })).claimed).toBe(0);
    const decided: Array<{ merchant_id: string; trigger_id: string; decided_at: Date }> =
      await fixture.dataSource.query(
        `SELECT merchant_id, trigger_id, decided_at FROM credit_decisions WHERE NOT shadow AND trigger_id = ANY($1::text[])`,
        [folded.map((row) => row.trigger_id)],
      );
    expect(decided.map((row) => row.merchant_id).sort()).toEqual(folded.map((row) => row.merchant_id));
    for (const row of decided)
      expect(row.decided_at.toISOString()).toBe(
        folded.find((entry) => entry.merchant_id === row.merchant_id)!.as_of.toISOString(),
      );
    // Every decision stored, the lane's too, recomputes exactly.
    const stored = await readDecisionPageById(fixture.dataSource.manager, null, 1_000);
    expect(
      stored.map((row) => recomputeDecision(storedDecisionOfRow(row))).filter((result) => !result.matches),
    ).toEqual([]);
  });

  it('keeps the newest signal of a merchant, counts the older, and leases a claimed row until released or refreshed', async () => {
    const manager = fixture.dataSource.manager;
    const row = (merchantId: string, at: string, triggerId: string) => ({
      merchantId,
      asOf: at,
      triggerSource: '/test',
      triggerId,
      signals: 1,
    });
    await fixture.dataSource.transaction((tx) =>
      recordPendingDecisions(tx, [row('m-lease-b', asOf(50), 'b-1'), row('m-lease-a', asOf(50), 'a-1')]),
    );
    // An older signal counts; the row keeps its instant and trigger.
    await fixture.dataSource.transaction((tx) =>
      recordPendingDecisions(tx, [row('m-lease-a', asOf(49), 'a-0')]),
    );
    const take = { merchantsMax: 10, lingerMs: 0, leaseMs: LEASE_MS };
    const claimed = await claimPendingDecisions(manager, take);
    expect(
      claimed.map(({ merchantId, asOf: at, triggerId, signals }) => ({ merchantId, at, triggerId, signals })),
    ).toEqual([
      // Longest-waiting first: one statement writes its rows in merchant order.
      { merchantId: 'm-lease-a', at: asOf(50), triggerId: 'a-1', signals: 2 },
      { merchantId: 'm-lease-b', at: asOf(50), triggerId: 'b-1', signals: 1 },
    ]);
    // Leased: another lane finds nothing…
    expect(await claimPendingDecisions(manager, take)).toEqual([]);
    // …until a newer signal frees its row (the claim decides as of the older instant)…
    await fixture.dataSource.transaction((tx) =>
      recordPendingDecisions(tx, [row('m-lease-a', asOf(51), 'a-2')]),
    );
    expect(
      (await claimPendingDecisions(manager, take)).map((entry) => [entry.merchantId, entry.triggerId]),
    ).toEqual([['m-lease-a', 'a-2']]);
    // …or the claim is released (a failed turn).
    await releasePendingClaims(manager, ['m-lease-b']);
    expect((await claimPendingDecisions(manager, take)).map((entry) => entry.merchantId)).toEqual([
      'm-lease-b',
    ]);
    await fixture.dataSource.query(`DELETE FROM pending_decisions WHERE merchant_id LIKE 'm-lease-%'`);
  });

  it('does not let a lane settle a row that a signal was folded into after the lane claimed it', async () => {
    const manager = fixture.dataSource.manager;
    const row = (triggerId: string) => ({
      merchantId: 'm-fold',
      asOf: asOf(50),
      triggerSource: '/test',
      triggerId,
      signals: 1,
    });
    const settle = () =>
      fixture.dataSource.transaction((tx) =>
        settlePendingDecisions(tx, [{ merchantId: 'm-fold', now: asOf(50) }]),
      );
    const take = { merchantsMax: 10, lingerMs: 0, leaseMs: LEASE_MS };
    await fixture.dataSource.transaction((tx) => recordPendingDecisions(tx, [row('f-1')]));
    expect((await claimPendingDecisions(manager, take)).map((entry) => entry.triggerId)).toEqual(['f-1']);
    // A late signal at the same instant, while the lane decides from a profile read before its event.
    await fixture.dataSource.transaction((tx) => recordPendingDecisions(tx, [row('f-2')]));
    await settle();
    expect((await pendingRows(fixture.dataSource)).map((entry) => entry.trigger_id)).toEqual(['f-2']);
    // The next turn claims it again (clearing the mark), and its decision settles it.
    expect((await claimPendingDecisions(manager, take)).map((entry) => entry.triggerId)).toEqual(['f-2']);
    await settle();
    expect(await pendingRows(fixture.dataSource)).toEqual([]);
  });
});
