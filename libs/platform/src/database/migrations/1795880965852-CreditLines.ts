import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The underwriter's tables (issue 3): one credit line per merchant, every decision with what
 * it saw (so it can be explained and recomputed), and the portfolio budget per currency.
 *
 * Money is `bigint` minor units; the application reads those columns as strings and converts
 * them with BigInt(), never Number(). Timestamps are event time (the signal's asOf), not the
 * wall clock, except `updated_at` and `recorded_at`, which say when the row was written.
 */
export class CreditLines1795880965852 implements MigrationInterface {
  name = 'CreditLines1795880965852';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE credit_lines (
        merchant_id              text        PRIMARY KEY,
        credit_line_id           uuid        NOT NULL UNIQUE,
        currency                 char(3)     NOT NULL,
        status                   text        NOT NULL CHECK (status IN ('ACTIVE', 'FROZEN', 'CLOSED')),
        limit_minor              bigint      NOT NULL CHECK (limit_minor >= 0),
        available_minor          bigint      NOT NULL CHECK (available_minor >= 0),
        outstanding_minor        bigint      NOT NULL CHECK (outstanding_minor >= 0),
        reserved_minor           bigint      NOT NULL CHECK (reserved_minor >= 0),
        requested_limit_minor    bigint      NOT NULL CHECK (requested_limit_minor >= 0),
        daily_rate_bps           integer     NOT NULL CHECK (daily_rate_bps >= 0),
        grade                    text        NOT NULL,
        score                    integer     NOT NULL CHECK (score BETWEEN 0 AND 1000),
        reasons                  jsonb       NOT NULL,
        manual_freeze            boolean     NOT NULL,
        automatic_freeze_since   timestamptz NULL,
        soft_decline_since       timestamptz NULL,
        policy_version           text        NOT NULL,
        last_decision_id         uuid        NOT NULL,
        profile_as_of            timestamptz NOT NULL,
        decided_at               timestamptz NOT NULL,
        last_decided_at          timestamptz NOT NULL,
        silence_checked_at       timestamptz NULL,
        version                  bigint      NOT NULL DEFAULT 1,
        updated_at               timestamptz NOT NULL DEFAULT now(),
        CHECK (available_minor <= limit_minor)
      )`);
    await db.query(`
      COMMENT ON TABLE credit_lines IS
        'The current credit line of each merchant, as of its last decision (one row per merchant; '
        'a line closed and granted again gets a new credit_line_id in the same row). '
        'requested_limit_minor is the policy''s offer before the portfolio budget: the line''s claim '
        'in the budget ranking. decided_at is the business time of the decision that last changed the '
        'line; last_decided_at that of the newest decision about it, even one that held it as it was '
        '(the silence sweep and the event-time ordering of decisions read it); silence_checked_at '
        'is the business clock of the last silence sweep that looked at the line. version counts '
        'the writes of the row.'`);
    // The budget standing sums every open line of a currency and ranks by (score, merchant_id);
    // the silence sweep looks for open lines whose last profile is old.
    await db.query(`CREATE INDEX credit_lines_by_currency_score ON credit_lines (currency, score DESC)`);
    await db.query(
      `CREATE INDEX credit_lines_open_by_last_decided_at ON credit_lines (last_decided_at) WHERE status <> 'CLOSED'`,
    );

    await db.query(`
      CREATE TABLE credit_decisions (
        decision_id        uuid        PRIMARY KEY,
        merchant_id        text        NOT NULL,
        policy_version     text        NOT NULL,
        policy_fingerprint text        NOT NULL,
        shadow             boolean     NOT NULL,
        trigger_kind       text        NOT NULL CHECK (trigger_kind IN ('signal', 'silence-sweep', 'budget-sweep')),
        trigger_source     text        NOT NULL,
        trigger_id         text        NOT NULL,
        profile_found      boolean     NOT NULL,
        profile_as_of      timestamptz NULL,
        decided_at         timestamptz NOT NULL,
        features           jsonb       NULL,
        inputs             jsonb       NOT NULL,
        assessment         jsonb       NULL,
        reasons            jsonb       NOT NULL,
        resulting_state    jsonb       NULL,
        budget_fit         jsonb       NULL,
        rejection          text        NULL,
        event_type         text        NULL,
        recorded_at        timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await db.query(`
      COMMENT ON TABLE credit_decisions IS
        'Every credit decision, live and shadow, with the profile features it saw (features), its '
        'other inputs (command, lending, budget standing, line before, new line id), the policy '
        'version and fingerprint, and what it concluded, so that a replay recomputes it exactly. '
        'shadow decisions (challenger policies) change no line and emit no event. event_type is the '
        'scf.credit-lines.v1 event emitted, or null. This table grows without bound: it is meant '
        'to be partitioned by decided_at (monthly) once it is large; the primary key then becomes '
        '(decision_id, decided_at), since a partitioned table''s unique keys include the partition key.'`);
    await db.query(
      `CREATE INDEX credit_decisions_by_merchant_newest ON credit_decisions (merchant_id, decided_at DESC, recorded_at DESC)`,
    );

    await db.query(`
      CREATE TABLE portfolio_budget (
        currency     char(3)     PRIMARY KEY,
        budget_minor bigint      NOT NULL CHECK (budget_minor >= 0),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        updated_by   text        NOT NULL
      )`);
    await db.query(`
      COMMENT ON TABLE portfolio_budget IS
        'The total exposure cap treasury sets, per currency. Seeded from configuration at boot '
        '(insert if missing, never overwritten: a later change comes from treasury). Every decision '
        'locks its currency''s row, so two decisions can never spend the same headroom. A currency '
        'with no row has no budget to lend from (fail closed).'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS portfolio_budget`);
    await db.query(`DROP TABLE IF EXISTS credit_decisions`);
    await db.query(`DROP TABLE IF EXISTS credit_lines`);
  }
}
