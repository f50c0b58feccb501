import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lending's tables (issue 4): loans, the drawdown requests that made them, the settlement
 * holdbacks and the repayments. Money is `bigint` minor units (read back as strings, converted
 * with BigInt); business keys are unique forever (CONTRACT.md: one drawdown per requestId, one
 * disbursement per disbursementId, one holdback per settlementId). A requestId is scoped to its
 * merchant (two merchants' portals, or two API callers, may pick the same one), so the key is
 * (merchant_id, request_id). The ledger (journal_entries)
 * is the book of record; these rows are the operational state it must agree with
 * (`npm run ledger -- verify` checks each loan's principal and interest against its ledger
 * balances). Loans, repayments and holdbacks grow without bound: meant to be partitioned by
 * requested_at / collected_at (monthly) once large.
 */
export class Loans1795890200000 implements MigrationInterface {
  name = 'Loans1795890200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE loans (
        loan_id                         uuid        PRIMARY KEY,
        merchant_id                     text        NOT NULL,
        credit_line_id                  uuid        NOT NULL,
        request_id                      text        NOT NULL CHECK (length(request_id) BETWEEN 1 AND 255),
        request_fingerprint             text        NOT NULL,
        disbursement_id                 uuid        NOT NULL UNIQUE,
        currency                        char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        status                          text        NOT NULL
          CHECK (status IN ('PENDING_DISBURSEMENT', 'ACTIVE', 'REPAID', 'WRITTEN_OFF', 'CANCELLED')),
        principal_minor                 bigint      NOT NULL CHECK (principal_minor > 0),
        daily_rate_bps                  integer     NOT NULL CHECK (daily_rate_bps >= 0),
        term_days                       integer     NOT NULL CHECK (term_days > 0),
        policy_version                  text        NOT NULL,
        requested_at                    timestamptz NOT NULL,
        disbursed_at                    timestamptz NULL,
        treasury_ref                    text        NULL,
        due_at                          timestamptz NULL,
        principal_outstanding_minor     bigint      NOT NULL CHECK (principal_outstanding_minor >= 0),
        principal_repaid_minor          bigint      NOT NULL CHECK (principal_repaid_minor >= 0),
        principal_written_off_minor     bigint      NOT NULL CHECK (principal_written_off_minor >= 0),
        interest_accrued_minor          bigint      NOT NULL CHECK (interest_accrued_minor >= 0),
        interest_outstanding_minor      bigint      NOT NULL CHECK (interest_outstanding_minor >= 0),
        interest_repaid_minor           bigint      NOT NULL CHECK (interest_repaid_minor >= 0),
        interest_written_off_minor      bigint      NOT NULL CHECK (interest_written_off_minor >= 0),
        interest_carry_ten_thousandths  bigint      NOT NULL
          CHECK (interest_carry_ten_thousandths BETWEEN -5000 AND 4999),
        last_accrued_day                date        NULL,
        overdue_bucket_reported         text        NOT NULL
          CHECK (overdue_bucket_reported IN ('CURRENT', 'DPD_1_30', 'DPD_31_60', 'DPD_61_90', 'DPD_90_PLUS')),
        cancellation_reason             text        NULL,
        closed_at                       timestamptz NULL,
        version                         bigint      NOT NULL DEFAULT 1,
        updated_at                      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (merchant_id, request_id),
        CHECK (principal_outstanding_minor + principal_repaid_minor + principal_written_off_minor
               = CASE WHEN status IN ('PENDING_DISBURSEMENT', 'CANCELLED') THEN 0 ELSE principal_minor END),
        CHECK (interest_outstanding_minor + interest_repaid_minor + interest_written_off_minor
               = interest_accrued_minor)
      )`);
    await db.query(`
      COMMENT ON TABLE loans IS
        'One row per drawdown: the loan, its disbursement and its repayment state. request_id is the '
        'drawdown''s idempotency key, unique per merchant forever (the requestId of drawdown.requested, '
        'or the one the API derives from its Idempotency-Key); loan_id and disbursement_id are derived '
        'from (merchant_id, request_id), so a retry makes the same loan. request_fingerprint is the '
        'request it was made for (amount, currency, term), so a replay with another body is refused. '
        'The line''s reserved and outstanding amounts are the sums over the merchant''s loans (a line '
        'closed and granted again keeps its loans under the new credit_line_id). The amounts split principal and interest into '
        'outstanding, repaid and written off; the CHECKs keep those sums whole. '
        'interest_carry_ten_thousandths is the rounding carry of the daily accrual (libs/lending '
        'interest.ts); last_accrued_day the last day whose interest is posted.'`);
    // The open loans of a merchant (drawdown, holdback, lending position, the line checks).
    await db.query(
      `CREATE INDEX loans_open_by_merchant ON loans (merchant_id, due_at)
       WHERE status IN ('PENDING_DISBURSEMENT', 'ACTIVE')`,
    );
    // The daily review walks the active loans in loan_id order (a keyset, in chunks).
    await db.query(`CREATE INDEX loans_active_by_loan_id ON loans (loan_id) WHERE status = 'ACTIVE'`);
    // GET /v1/merchants/{merchantId}/loans: newest first, keyed on the last loan of a page.
    await db.query(
      `CREATE INDEX loans_by_merchant_newest ON loans (merchant_id, requested_at DESC, loan_id DESC)`,
    );

    await db.query(`
      CREATE TABLE settlement_holdbacks (
        settlement_id        text        PRIMARY KEY,
        merchant_id          text        NOT NULL,
        order_id             text        NOT NULL,
        currency             char(3)     NOT NULL,
        settled_amount_minor bigint      NOT NULL CHECK (settled_amount_minor >= 0),
        holdback_minor       bigint      NOT NULL CHECK (holdback_minor >= 0),
        total_due_minor      bigint      NOT NULL CHECK (total_due_minor >= 0),
        collected_at         timestamptz NOT NULL,
        recorded_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (holdback_minor <= settled_amount_minor AND holdback_minor <= total_due_minor)
      )`);
    await db.query(`
      COMMENT ON TABLE settlement_holdbacks IS
        'One row per order.settled seen, even when nothing was withheld (nothing due): a settlement '
        'is considered once, forever, whatever the inbox has forgotten. total_due_minor is what the '
        'merchant owed on its active loans (interest brought up to date) when the holdback was taken.'`);
    await db.query(
      `CREATE INDEX settlement_holdbacks_by_merchant ON settlement_holdbacks (merchant_id, collected_at)`,
    );

    await db.query(`
      CREATE TABLE repayments (
        repayment_id     uuid        PRIMARY KEY,
        loan_id          uuid        NOT NULL REFERENCES loans (loan_id),
        merchant_id      text        NOT NULL,
        source           text        NOT NULL CHECK (source IN ('SETTLEMENT_HOLDBACK', 'MANUAL')),
        settlement_id    text        NULL REFERENCES settlement_holdbacks (settlement_id),
        amount_minor     bigint      NOT NULL CHECK (amount_minor > 0),
        principal_minor  bigint      NOT NULL CHECK (principal_minor >= 0),
        interest_minor   bigint      NOT NULL CHECK (interest_minor >= 0),
        currency         char(3)     NOT NULL,
        collected_at     timestamptz NOT NULL,
        recorded_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (amount_minor = principal_minor + interest_minor),
        CHECK ((source = 'SETTLEMENT_HOLDBACK') = (settlement_id IS NOT NULL)),
        UNIQUE (settlement_id, loan_id)
      )`);
    await db.query(`CREATE INDEX repayments_by_loan ON repayments (loan_id, collected_at)`);
    await db.query(`
      COMMENT ON TABLE repayments IS
        'Every repayment collected, one row per loan paid (a holdback that pays two loans is two '
        'rows naming one settlement). The row of a repayment.collected event: its repayment_id is '
        'the event''s repaymentId.'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS repayments`);
    await db.query(`DROP TABLE IF EXISTS settlement_holdbacks`);
    await db.query(`DROP TABLE IF EXISTS loans`);
  }
}
