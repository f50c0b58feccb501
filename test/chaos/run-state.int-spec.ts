/**
 * The chaos run's checks against real, deliberately broken Postgres states: the queries that
 * collect the evidence (run-state.ts) and the checks that judge it (checks.ts) must together
 * catch a doubled decision, an outbox row never published, an input never applied, a change
 * where nothing may change, and an unbalanced journal (through `ledger verify` itself). Each
 * state is first shown to pass, then broken one way, then shown to fail.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createScratchDatabase, ScratchDatabase } from '../../scripts/lib/scratch-database';
import { postJournalEntries } from '@lendstream/ledger';
import { interestAccruedEntry, Loan, reviewLoans } from '@lendstream/lending';
import {
  accruedOncePerDay,
  everyInputApplied,
  everyOutboxRowPublished,
  identityKey,
  ledgerVerifies,
  onceEach,
  unchanged,
} from '../../scripts/chaos/checks';
import { effectCounts, inboxOf, loanAccruals, outboxRows, stateFigures } from '../../scripts/chaos/run-state';
import { LendingTestDatabase } from '../lending/support/lending-database';
import { grantLine, makeLoan, testPolicy } from '../lending/support/lending-fixtures';
import { runLedgerCli } from '../ledger/support/ledger-cli';
import { testEndpoints } from '../support/env';

jest.setTimeout(90_000);

describe('the chaos checks on broken database states (real Postgres)', () => {
  let database: ScratchDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createScratchDatabase(testEndpoints.databaseUrl, 'test_chaos');
    db = await database.connect('test-chaos');
  });
  afterAll(() => database?.drop());

  const decide = (triggerId: string) =>
    db.query(
      `INSERT INTO credit_decisions (decision_id, merchant_id, policy_version, policy_fingerprint, shadow,
         trigger_kind, trigger_source, trigger_id, profile_found, decided_at, inputs, reasons)
       VALUES ($1, 'm-1', 'v1', 'f', false, 'signal', '/lendstream/profiler', $2, true, now(), '{}', '[]')`,
      [randomUUID(), triggerId],
    );

  it('a decision applied twice for one trigger', async () => {
    await decide('signal-1');
    await decide('signal-2');
    const healthy = await effectCounts(db);
    expect(onceEach('decisions', healthy['one live decision per trigger']!).passed).toBe(true);

    await decide('signal-2');
    const doubled = onceEach('decisions', (await effectCounts(db))['one live decision per trigger']!);
    expect(doubled.passed).toBe(false);
    expect(doubled.problems[0]).toBe('signal /lendstream/profiler signal-2 m-1: 2 rows');
  });

  it('an outbox row never published', async () => {
    const published = randomUUID();
    const pending = randomUUID();
    const payload = (id: string) => JSON.stringify({ id, type: 'loan.repaid' });
    await db.query(
      `INSERT INTO outbox (event_id, topic, message_key, payload, published_at) VALUES ($1, 'scf.loans.v1', 'm-1', $2, now())`,
      [published, payload(published)],
    );
    const onTopic = [
      { topic: 'scf.loans.v1', id: published, payload: payload(published) },
      { topic: 'scf.loans.v1', id: pending, payload: payload(pending) },
    ];
    expect(everyOutboxRowPublished(await outboxRows(db), onTopic).passed).toBe(true);

    await db.query(
      `INSERT INTO outbox (event_id, topic, message_key, payload) VALUES ($1, 'scf.loans.v1', 'm-1', $2)`,
      [pending, payload(pending)],
    );
    const missing = everyOutboxRowPublished(await outboxRows(db), onTopic);
    expect(missing.passed).toBe(false);
    expect(missing.problems[0]).toContain(`${pending} (scf.loans.v1) never published`);
  });

  it('an input not applied', async () => {
    const sent = [
      { source: '/platform/merchant-portal', id: 'request-1' },
      { source: '/platform/merchant-portal', id: 'request-2' },
    ];
    await db.query(`INSERT INTO inbox (consumer, source, event_id) VALUES ('lending', $1, $2)`, [
      sent[0]!.source,
      'request-1',
    ]);
    const lost = everyInputApplied({
      consumer: 'lending',
      sent,
      inbox: await inboxOf(db, 'lending'),
      refused: new Set(),
    });
    expect(lost.passed).toBe(false);
    expect(lost.problems[0]).toContain('request-2');

    await db.query(`INSERT INTO inbox (consumer, source, event_id) VALUES ('lending', $1, $2)`, [
      sent[1]!.source,
      'request-2',
    ]);
    const applied = everyInputApplied({
      consumer: 'lending',
      sent,
      inbox: await inboxOf(db, 'lending'),
      refused: new Set(),
    });
    expect(applied.passed).toBe(true);
    // Another consumer's inbox is not lending's.
    expect(
      everyInputApplied({
        consumer: 'underwriter',
        sent,
        inbox: await inboxOf(db, 'underwriter'),
        refused: new Set([identityKey(sent[0]!)]),
      }).passed,
    ).toBe(false);
  });

  it('a change where nothing may change (a redelivery with a second effect)', async () => {
    const before = await stateFigures(db);
    expect(unchanged('redelivery', before, await stateFigures(db)).passed).toBe(true);
    await decide('signal-3');
    const changed = unchanged('redelivery', before, await stateFigures(db));
    expect(changed.passed).toBe(false);
    expect(changed.problems[0]).toMatch(/^decisions: \d+ → \d+$/);
  });

  it('an unbalanced journal, through ledger verify', async () => {
    const healthy = await runLedgerCli(database.url, ['verify']);
    expect(ledgerVerifies(healthy.code, healthy.stdout + healthy.stderr).passed).toBe(true);

    // The journal's triggers refuse an unbalanced entry; only a broken build (or a hand in the
    // database) could write one. Replica mode switches the triggers off for this session.
    const runner = db.createQueryRunner();
    try {
      await runner.query(`SET session_replication_role = replica`);
      const [entry] = await runner.query(
        `INSERT INTO journal_entries (idempotency_key, code, currency, effective_at, merchant_id, loan_id)
         VALUES ('chaos:unbalanced', 'DRAWDOWN_RESERVED', 'CNY', now(), 'm-1', 'loan-1') RETURNING entry_id`,
      );
      await runner.query(
        `INSERT INTO journal_lines (entry_id, line_no, account_code, side, amount_minor, currency, merchant_id, loan_id)
         VALUES ($1, 0, 'LOANS_RECEIVABLE', 'DEBIT', 100, 'CNY', 'm-1', 'loan-1')`,
        [entry.entry_id],
      );
    } finally {
      await runner.query(`SET session_replication_role = DEFAULT`);
      await runner.release();
    }
    const broken = await runLedgerCli(database.url, ['verify']);
    const verdict = ledgerVerifies(broken.code, broken.stdout + broken.stderr);
    expect(verdict.passed).toBe(false);
    expect(verdict.problems[0]).toContain('ledger verify exited 1');
  });
});

/**
 * The accrual check against lending's real review on real Postgres (loanAccruals reads what
 * accruedOncePerDay judges): a healthy review passes; a build that posts a day again under
 * another key, or whose review is not run again after a kill, fails, naming the day.
 */
describe('every loan accrued once per day, on real Postgres', () => {
  const policy = testPolicy();
  let database: LendingTestDatabase;
  let dataSource: DataSource;
  let loan: Loan;

  beforeAll(async () => {
    database = await LendingTestDatabase.create('chaos_accrual');
    dataSource = await database.connect('chaos-accrual', 4);
    await grantLine(dataSource, { merchantId: 'm-accrual', limitMinor: 5_000_000n, dailyRateBps: 2 });
    // 1,000,000 at 2 bps: 200 a day, from the 11th.
    loan = await makeLoan(
      dataSource,
      {
        merchantId: 'm-accrual',
        requestId: 'r',
        amountMinor: 1_000_000n,
        requestedAt: '2026-11-11T09:30:00.000Z',
        settledAt: '2026-11-11T09:31:00.000Z',
      },
      policy,
    );
  });
  afterAll(() => database?.cleanup());

  const judge = async (asOf: string) =>
    accruedOncePerDay(await loanAccruals(dataSource, asOf, policy.writeOffDaysPastDue));

  it('a review killed and run again: each day once; then a day posted twice; then a review not run again', async () => {
    // Run twice, as after a kill: the 11th to the 15th, once each.
    await reviewLoans(dataSource, '2026-11-16T00:00:00.000Z', { policy, chunkSize: 1 });
    await reviewLoans(dataSource, '2026-11-16T00:00:00.000Z', { policy, chunkSize: 1 });
    const healthy = await judge('2026-11-16T00:00:00.000Z');
    expect(healthy.passed).toBe(true);
    expect(healthy.examined).toBe(5);

    // The clock moved on and the review never ran again (a kill nobody restarted).
    const behind = await judge('2026-11-17T00:00:00.000Z');
    expect(behind.passed).toBe(false);
    expect(behind.problems).toContain(`loan ${loan.loanId}: 2026-11-16 never accrued`);

    // A build that keys an accrual by something else than loan and day posts the 13th again.
    await dataSource.transaction((manager) =>
      postJournalEntries(manager, [
        {
          ...interestAccruedEntry(loan, '2026-11-13', 200n)!,
          idempotencyKey: `accrual-retry:${loan.loanId}`,
        },
      ]),
    );
    const doubled = await judge('2026-11-16T00:00:00.000Z');
    expect(doubled.passed).toBe(false);
    expect(doubled.problems).toContain(`loan ${loan.loanId}: 2026-11-13 accrued 2 times`);
  });
});
