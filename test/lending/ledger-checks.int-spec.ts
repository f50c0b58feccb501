/**
 * Lending's `ledger verify` checks on real Postgres: a book made by every lending movement
 * (drawdowns, a failed and a settled disbursement, holdbacks, a manual repayment, accrual, an
 * overdue loan, a write-off) passes every check, through the CLI too; then the book is
 * corrupted the way a bad migration or a hand-written fix would, once per invariant, and
 * exactly the check for that invariant fails.
 */
import { LedgerCheck, ledgerIntegrityChecks, verifyLedger } from '@lendstream/ledger';
import {
  failDisbursementById,
  handleLendingInput,
  lendingLedgerChecks,
  Loan,
  repayManually,
  reviewLoans,
} from '@lendstream/lending';
import type { DataSource, EntityManager } from 'typeorm';
import { LendingTestDatabase } from './support/lending-database';
import { expectBooksVerify, grantLine, makeLoan, testPolicy } from './support/lending-fixtures';
import { orderSettledEvent } from './support/input-events';
import { runScript } from './support/run-script';

jest.setTimeout(180_000);

const policy = testPolicy({ writeOffDaysPastDue: 30 });
const REQUESTED_AT = '2026-11-11T09:30:00.000Z';
const SETTLED_AT = '2026-11-11T09:31:00.000Z';

const LENDING_CHECKS = [
  'loans-are-consistent',
  'loans-match-ledger',
  'ledger-loans-exist',
  'credit-lines-available-consistent',
  'credit-lines-match-loans',
];

describe('lending checks of `ledger verify` (real Postgres)', () => {
  let database: LendingTestDatabase;
  let dataSource: DataSource;
  let active: Loan;
  let cancelled: Loan;

  beforeAll(async () => {
    database = await LendingTestDatabase.create('checks');
    dataSource = await database.connect('lending-checks', 4);
    await grantLine(dataSource, { merchantId: 'm-a', limitMinor: 5_000_000n });
    await grantLine(dataSource, { merchantId: 'm-b', limitMinor: 3_000_000n });
    await grantLine(dataSource, { merchantId: 'm-c', limitMinor: 1_000_000n });
    active = await makeLoan(
      dataSource,
      {
        merchantId: 'm-a',
        requestId: 'a1',
        amountMinor: 1_000_000n,
        termDays: 60,
        requestedAt: REQUESTED_AT,
        settledAt: SETTLED_AT,
      },
      policy,
    );
    await makeLoan(
      dataSource,
      { merchantId: 'm-a', requestId: 'a2', amountMinor: 500_000n, requestedAt: REQUESTED_AT },
      policy,
    );
    cancelled = await makeLoan(
      dataSource,
      { merchantId: 'm-b', requestId: 'b1', amountMinor: 700_000n, requestedAt: REQUESTED_AT },
      policy,
    );
    await dataSource.transaction((manager) =>
      failDisbursementById(manager, {
        merchantId: 'm-b',
        disbursementId: cancelled.disbursementId,
        reason: 'BANK_REJECTED',
        failedAt: SETTLED_AT,
      }),
    );
    const manual = await makeLoan(
      dataSource,
      {
        merchantId: 'm-b',
        requestId: 'b2',
        amountMinor: 800_000n,
        requestedAt: REQUESTED_AT,
        settledAt: SETTLED_AT,
      },
      policy,
    );
    const doomed = await makeLoan(
      dataSource,
      {
        merchantId: 'm-c',
        requestId: 'c1',
        amountMinor: 400_000n,
        termDays: 7,
        requestedAt: REQUESTED_AT,
        settledAt: SETTLED_AT,
      },
      policy,
    );
    expect(doomed.status).toBe('ACTIVE');
    await handleLendingInput(
      dataSource,
      orderSettledEvent('m-a', 'set-a', 2_000_000n, '2026-11-20T10:00:00Z'),
      policy,
    );
    await dataSource.transaction((manager) =>
      repayManually(
        manager,
        {
          loanId: manual.loanId,
          idempotencyKey: 'k',
          request: { amountMinor: 300_000n, currency: 'CNY' },
          collectedAt: '2026-11-25T00:00:00Z',
        },
        policy,
      ),
    );
    // The 7-day loan is due 18 November: overdue by 26 December, written off at 30 days past due.
    await reviewLoans(dataSource, '2026-12-01T00:00:00.000Z', { policy });
    await reviewLoans(dataSource, '2026-12-19T00:00:00.000Z', { policy });
  });

  afterAll(() => database.cleanup());

  it('passes every check on a book made by every lending movement', async () => {
    const [{ statuses }] = await dataSource.query(
      `SELECT array_agg(DISTINCT status ORDER BY status) AS statuses FROM loans`,
    );
    expect(statuses).toEqual(['ACTIVE', 'CANCELLED', 'PENDING_DISBURSEMENT', 'WRITTEN_OFF']);
    await expectBooksVerify(dataSource);
  });

  it("`npm run ledger -- verify` runs the lending checks after the ledger's and exits 0", async () => {
    const run = await runScript('scripts/ledger.ts', ['verify'], { DATABASE_URL: database.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const name of LENDING_CHECKS) expect(run.stdout).toMatch(new RegExp(`^✓ ${name} +ok: `, 'm'));
  });

  /** Corrupts the book inside a transaction, runs every check there, and rolls it all back. */
  async function failedChecksAfter(
    corrupt: (manager: EntityManager) => Promise<unknown>,
  ): Promise<Record<string, string[]>> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await corrupt(runner.manager);
      const checks: LedgerCheck[] = [...ledgerIntegrityChecks(), ...lendingLedgerChecks()];
      const verification = await verifyLedger(runner.manager, checks);
      return Object.fromEntries(
        verification.outcomes
          .filter((outcome) => outcome.breaches.length > 0 || outcome.error !== null)
          .map((outcome) => [
            outcome.name,
            outcome.error !== null
              ? [outcome.error]
              : outcome.breaches.map((b) => `${b.subject}: ${b.detail}`),
          ]),
      );
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('loans-are-consistent: a row whose dates do not fit its status', async () => {
    const failed = await failedChecksAfter((manager) =>
      manager.query(`UPDATE loans SET closed_at = now() WHERE loan_id = $1`, [active.loanId]),
    );
    expect(Object.keys(failed)).toEqual(['loans-are-consistent']);
    expect(failed['loans-are-consistent']).toEqual([
      expect.stringMatching(new RegExp(`^loan ${active.loanId}: .*closedAt`)),
    ]);
  });

  it('loans-match-ledger: interest the loan row has and the journal does not', async () => {
    const failed = await failedChecksAfter((manager) =>
      manager.query(
        `UPDATE loans SET interest_accrued_minor = interest_accrued_minor + 1,
                          interest_outstanding_minor = interest_outstanding_minor + 1
          WHERE loan_id = $1`,
        [active.loanId],
      ),
    );
    expect(Object.keys(failed)).toEqual(['loans-match-ledger']);
    expect(failed['loans-match-ledger']).toEqual([
      expect.stringMatching(/^loan .*: INTEREST_RECEIVABLE: loan row \d+, ledger \d+$/),
    ]);
  });

  it('loans-match-ledger and credit-lines-match-loans: principal moved on the row only', async () => {
    const failed = await failedChecksAfter((manager) =>
      manager.query(
        `UPDATE loans SET principal_outstanding_minor = principal_outstanding_minor - 100,
                          principal_repaid_minor = principal_repaid_minor + 100
          WHERE loan_id = $1`,
        [active.loanId],
      ),
    );
    expect(Object.keys(failed).sort()).toEqual(['credit-lines-match-loans', 'loans-match-ledger']);
    expect(failed['credit-lines-match-loans']).toEqual([
      expect.stringMatching(/^credit line of m-a: .*outstanding \d+ \(loans \d+\)/),
    ]);
  });

  it('ledger-loans-exist: journal lines of a loan that has no row', async () => {
    const failed = await failedChecksAfter((manager) =>
      manager.query(`DELETE FROM loans WHERE loan_id = $1`, [cancelled.loanId]),
    );
    expect(failed).toEqual({
      'ledger-loans-exist': [
        `loan ${cancelled.loanId}: journal lines name this loan, but the loans table has no such loan`,
      ],
    });
  });

  it('credit-lines-available-consistent: an available amount that is not limit − outstanding − reserved', async () => {
    const failed = await failedChecksAfter((manager) =>
      manager.query(
        `UPDATE credit_lines SET available_minor = available_minor - 1 WHERE merchant_id = 'm-a'`,
      ),
    );
    expect(Object.keys(failed)).toEqual(['credit-lines-available-consistent']);
    expect(failed['credit-lines-available-consistent']![0]).toMatch(
      /^credit line of m-a: ACTIVE: available \d+, expected \d+/,
    );
  });

  it('credit-lines-match-loans: a reservation no loan holds', async () => {
    const failed = await failedChecksAfter((manager) =>
      manager.query(
        `UPDATE credit_lines SET reserved_minor = reserved_minor + 1, available_minor = available_minor - 1
          WHERE merchant_id = 'm-b'`,
      ),
    );
    expect(Object.keys(failed)).toEqual(['credit-lines-match-loans']);
    expect(failed['credit-lines-match-loans']).toEqual([
      expect.stringMatching(/^credit line of m-b: reserved 1 \(loans 0\)/),
    ]);
  });

  it('credit-lines-match-loans: loans of a merchant with no line row', async () => {
    const failed = await failedChecksAfter(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(`DELETE FROM credit_lines WHERE merchant_id = 'm-a'`);
    });
    expect(Object.keys(failed)).toEqual(['credit-lines-match-loans']);
    expect(failed['credit-lines-match-loans']).toEqual([
      expect.stringMatching(/^credit line of m-a: no credit line row/),
    ]);
  });
});
