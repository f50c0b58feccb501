import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The double-entry journal (issue 4, libs/ledger): the chart of accounts, journal entries and
 * their lines. Money never moves by updating a balance: every movement is an entry of two or
 * more lines whose debits equal its credits, and every balance is a sum of lines.
 *
 * The invariants are held by the database itself, not only by the code that posts, so that a
 * bug, a hand-written INSERT or a second writer cannot break them:
 * - an entry balances and has at least two lines: a deferred constraint trigger checks each
 *   new entry and each entry that gained a line, at commit (an entry and its lines are
 *   written by separate statements, so the check must wait for the last one);
 * - the journal is append-only: triggers reject UPDATE, DELETE and TRUNCATE; a mistake is
 *   corrected by a new, reversing entry, so the books always show what happened and when;
 * - a line carries its entry's currency, merchant and loan (denormalized for the per-loan and
 *   per-currency balance queries): a trigger rejects a line that disagrees with its entry;
 * - amounts are positive bigint minor units, accounts exist in the chart, entry codes are
 *   known (CHECKs and foreign keys).
 * `npm run ledger -- verify` re-checks all of it over the stored rows, for what bypasses
 * triggers (a superuser's `session_replication_role = replica`, a restore, a bad migration).
 *
 * The chart and the entry codes below are copies of ACCOUNTS and ENTRY_CODES in libs/ledger
 * as of this migration (a migration is history: it must not change when the code does); a
 * new account or code is a new migration, and test/ledger/schema.int-spec.ts fails while
 * the two disagree.
 *
 * Growth: journal_entries and journal_lines grow without bound (DESIGN.md). Once large they
 * are partitioned by range of recorded_at, monthly (append time, so only the newest partition
 * takes writes and old ones can be archived; effective_at may be backdated by an accrual
 * catch-up). A partitioned table's unique keys must include the partition key, so then:
 * journal_entries' key becomes (entry_id, recorded_at); journal_lines gains recorded_at and
 * references (entry_id, recorded_at), co-partitioned with its entry; and the idempotency key,
 * which must stay unique across all partitions, moves to a small unpartitioned table
 * journal_idempotency_keys (idempotency_key PRIMARY KEY, entry_id, recorded_at) written in
 * the same statement. Balance queries then read a per-period closing balance (written when
 * a month is closed) plus the open partitions, instead of every line ever written.
 */
export class Ledger1795890000000 implements MigrationInterface {
  name = 'Ledger1795890000000';

  async up(db: QueryRunner): Promise<void> {
    await this.createChartOfAccounts(db);
    await this.createJournal(db);
    await this.createBalanceGuard(db);
    await this.createAppendOnlyGuards(db);
  }

  private async createChartOfAccounts(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ledger_accounts (
        code            text    PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{0,63}$'),
        type            text    NOT NULL CHECK (type IN ('ASSET', 'LIABILITY', 'INCOME', 'EXPENSE', 'EQUITY')),
        normal_side     text    NOT NULL CHECK (normal_side IN ('DEBIT', 'CREDIT')),
        name            text    NOT NULL CHECK (name <> ''),
        may_go_negative boolean NOT NULL DEFAULT false
      )`);
    await db.query(`
      COMMENT ON TABLE ledger_accounts IS
        'The chart of accounts (ACCOUNTS in libs/ledger). normal_side says which side increases the '
        'account: a balance is debits - credits for a DEBIT-normal account (assets, expenses), '
        'credits - debits otherwise. may_go_negative marks the one clearing account whose natural '
        'balance is negative in a healthy book (TREASURY_CLEARING: what treasury has advanced). '
        'Rows are never deleted and their code, type and side never change (a trigger rejects it): '
        'journal lines reference them forever, and flipping a side would silently flip every balance.'`);
    await db.query(`
      INSERT INTO ledger_accounts (code, type, normal_side, name, may_go_negative) VALUES
        ('LOANS_RECEIVABLE',                'ASSET',     'DEBIT',  'Loans receivable (principal)',    false),
        ('LOANS_AWAITING_DISBURSEMENT',     'ASSET',     'DEBIT',  'Loans awaiting disbursement',     false),
        ('INTEREST_RECEIVABLE',             'ASSET',     'DEBIT',  'Interest receivable',             false),
        ('SETTLEMENT_HOLDBACKS_RECEIVABLE', 'ASSET',     'DEBIT',  'Settlement holdbacks receivable', false),
        ('TREASURY_CLEARING',               'ASSET',     'DEBIT',  'Treasury clearing',               true),
        ('DISBURSEMENTS_PAYABLE',           'LIABILITY', 'CREDIT', 'Disbursements payable',           false),
        ('INTEREST_INCOME',                 'INCOME',    'CREDIT', 'Interest income',                 false),
        ('WRITE_OFF_EXPENSE',               'EXPENSE',   'DEBIT',  'Credit losses (write-offs)',      false)`);
  }

  private async createJournal(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE journal_entries (
        entry_id        uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        idempotency_key text        NOT NULL
                                    CONSTRAINT journal_entries_idempotency_key_unique UNIQUE
                                    CHECK (length(idempotency_key) BETWEEN 1 AND 512),
        code            text        NOT NULL CONSTRAINT journal_entries_code_known CHECK (code IN (
                                      'DRAWDOWN_RESERVED', 'DISBURSEMENT_SETTLED', 'DISBURSEMENT_FAILED',
                                      'INTEREST_ACCRUED', 'REPAYMENT_HOLDBACK', 'REPAYMENT_MANUAL',
                                      'LOAN_WRITTEN_OFF')),
        currency        char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        effective_at    timestamptz NOT NULL,
        merchant_id     text        NULL CHECK (length(merchant_id) BETWEEN 1 AND 128),
        loan_id         text        NULL CHECK (length(loan_id) BETWEEN 1 AND 128),
        recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(`
      COMMENT ON TABLE journal_entries IS
        'One row per journal entry: why money moved (code), in which currency, at which business time '
        '(effective_at; recorded_at is when the row was written), for which merchant and loan (the '
        'sub-ledger dimensions, null for a book-level entry). idempotency_key names the business fact '
        'forever (e.g. disbursement-settled:<disbursementId>): posting it again posts nothing, and '
        'posting other content under it is refused. Append-only and balanced, both enforced by '
        'triggers (see the migration); to be partitioned by recorded_at when large.'`);
    // A loan's statement: its entries in business-time order.
    await db.query(
      `CREATE INDEX journal_entries_by_loan ON journal_entries (loan_id, effective_at) WHERE loan_id IS NOT NULL`,
    );

    await db.query(`
      CREATE TABLE journal_lines (
        entry_id     uuid     NOT NULL REFERENCES journal_entries (entry_id),
        line_no      smallint NOT NULL CHECK (line_no >= 0),
        account_code text     NOT NULL REFERENCES ledger_accounts (code),
        side         text     NOT NULL CHECK (side IN ('DEBIT', 'CREDIT')),
        amount_minor bigint   NOT NULL CHECK (amount_minor > 0),
        currency     char(3)  NOT NULL,
        merchant_id  text     NULL,
        loan_id      text     NULL,
        PRIMARY KEY (entry_id, line_no)
      )`);
    await db.query(`
      COMMENT ON TABLE journal_lines IS
        'The debit and credit lines of each entry: a positive amount in minor units on one side of one '
        'account. currency, merchant_id and loan_id repeat the entry''s (a trigger rejects a line that '
        'disagrees) so that balances per currency and per loan are sums over this table alone. '
        'Every balance in Lendstream is derived from these rows; none is stored.'`);
    // Balances per (currency, account): the trial balance and verify. Covering, so the sums can
    // be an index-only scan rather than a read of every heap page.
    await db.query(
      `CREATE INDEX journal_lines_by_currency_account ON journal_lines (currency, account_code) INCLUDE (side, amount_minor)`,
    );
    // Balances per loan (principal, interest receivable): lending's checks and loan views.
    await db.query(
      `CREATE INDEX journal_lines_by_loan ON journal_lines (loan_id, account_code)
         INCLUDE (currency, side, amount_minor) WHERE loan_id IS NOT NULL`,
    );

    await db.query(`
      CREATE FUNCTION journal_line_assert_matches_entry() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        entry journal_entries%ROWTYPE;
      BEGIN
        SELECT * INTO entry FROM journal_entries WHERE entry_id = NEW.entry_id;
        IF NOT FOUND THEN
          RETURN NEW; -- the foreign key reports the missing entry
        END IF;
        IF NEW.currency IS DISTINCT FROM entry.currency
           OR NEW.merchant_id IS DISTINCT FROM entry.merchant_id
           OR NEW.loan_id IS DISTINCT FROM entry.loan_id THEN
          RAISE EXCEPTION 'journal line % of entry % (%) has currency %, merchant %, loan %; its entry has %, %, %',
              NEW.line_no, entry.idempotency_key, entry.entry_id, NEW.currency, NEW.merchant_id, NEW.loan_id,
              entry.currency, entry.merchant_id, entry.loan_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_line_matches_entry', TABLE = TG_TABLE_NAME;
        END IF;
        RETURN NEW;
      END
      $$`);
    await db.query(`
      CREATE TRIGGER journal_lines_match_entry BEFORE INSERT ON journal_lines
        FOR EACH ROW EXECUTE FUNCTION journal_line_assert_matches_entry()`);
  }

  private async createBalanceGuard(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION journal_entry_assert_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        line_count   bigint;
        debit_total  numeric;
        credit_total numeric;
        entry_key    text;
      BEGIN
        SELECT count(*),
               coalesce(sum(amount_minor) FILTER (WHERE side = 'DEBIT'), 0),
               coalesce(sum(amount_minor) FILTER (WHERE side = 'CREDIT'), 0)
          INTO line_count, debit_total, credit_total
          FROM journal_lines WHERE entry_id = NEW.entry_id;
        IF line_count < 2 OR debit_total <> credit_total THEN
          SELECT idempotency_key INTO entry_key FROM journal_entries WHERE entry_id = NEW.entry_id;
          RAISE EXCEPTION 'journal entry % (%) does not balance: % line(s), debits %, credits %',
              coalesce(entry_key, '(no entry)'), NEW.entry_id, line_count, debit_total, credit_total
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entry_balanced', TABLE = TG_TABLE_NAME,
                  HINT = 'an entry needs at least two lines whose debits equal its credits, written in one transaction';
        END IF;
        RETURN NULL;
      END
      $$`);
    // Deferred to commit: the entry row and its lines come in separate statements of one
    // transaction. One check per new entry (catches an entry with no lines at all) and one per
    // new line (catches a line added later to an entry that was balanced).
    for (const table of ['journal_entries', 'journal_lines']) {
      await db.query(`
        CREATE CONSTRAINT TRIGGER ${table}_balanced AFTER INSERT ON ${table}
          DEFERRABLE INITIALLY DEFERRED
          FOR EACH ROW EXECUTE FUNCTION journal_entry_assert_balanced()`);
    }
  }

  private async createAppendOnlyGuards(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION journal_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% on % is not allowed: the journal is append-only; correct a mistake with a new, reversing entry',
            TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
      END
      $$`);
    for (const table of ['journal_entries', 'journal_lines']) {
      await db.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION journal_reject_change()`);
      await db.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION journal_reject_change()`);
    }

    await db.query(`
      CREATE FUNCTION ledger_accounts_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF NEW.code = OLD.code AND NEW.type = OLD.type AND NEW.normal_side = OLD.normal_side THEN
            RETURN NEW; -- a new name, or may_go_negative, changes no balance
          END IF;
        END IF;
        RAISE EXCEPTION '% on ledger_accounts is not allowed: journal lines reference the chart forever; '
            'add accounts, never change their code, type or side, never remove them', TG_OP
          USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
      END
      $$`);
    await db.query(`
      CREATE TRIGGER ledger_accounts_append_only BEFORE UPDATE OR DELETE ON ledger_accounts
        FOR EACH ROW EXECUTE FUNCTION ledger_accounts_reject_change()`);
    await db.query(`
      CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_accounts_reject_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    // DROP fires no row or truncate trigger: undoing the migration is how the journal goes away.
    await db.query(`DROP TABLE IF EXISTS journal_lines`);
    await db.query(`DROP TABLE IF EXISTS journal_entries`);
    await db.query(`DROP TABLE IF EXISTS ledger_accounts`);
    await db.query(`DROP FUNCTION IF EXISTS ledger_accounts_reject_change()`);
    await db.query(`DROP FUNCTION IF EXISTS journal_reject_change()`);
    await db.query(`DROP FUNCTION IF EXISTS journal_entry_assert_balanced()`);
    await db.query(`DROP FUNCTION IF EXISTS journal_line_assert_matches_entry()`);
  }
}
