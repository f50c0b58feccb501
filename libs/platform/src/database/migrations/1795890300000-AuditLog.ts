import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ops API's audit log (issue 5): one row per write that took effect — who (the token's
 * subject and roles), what (the action, the route, the target, the request body), when, the
 * request id and idempotency key, and the state before and after. A row is written in the
 * same transaction as the write's effect (recordAuditEntry), so a rolled-back write leaves no
 * row and every row stands for a write that happened.
 *
 * Append-only: triggers reject UPDATE, DELETE and TRUNCATE (as the ledger's journal does). The
 * table grows without bound, slowly (a row per operator action); it is meant to be partitioned
 * by occurred_at (yearly) if it ever gets large, and archived rather than deleted.
 */
export class AuditLog1795890300000 implements MigrationInterface {
  name = 'AuditLog1795890300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_log (
        position        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        audit_id        uuid        NOT NULL UNIQUE,
        occurred_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
        subject         text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
        roles           jsonb       NOT NULL CHECK (jsonb_typeof(roles) = 'array'),
        action          text        NOT NULL CHECK (action ~ '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+$' AND length(action) <= 64),
        route           text        NOT NULL CHECK (length(route) BETWEEN 1 AND 255),
        target          text        NOT NULL CHECK (length(target) BETWEEN 3 AND 160),
        request_id      text        NOT NULL CHECK (length(request_id) BETWEEN 1 AND 128),
        idempotency_key text        NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
        request         jsonb       NULL,
        state_before    jsonb       NULL,
        state_after     jsonb       NULL
      )`);
    await db.query(`
      COMMENT ON TABLE audit_log IS
        'Every write of the ops API that took effect, newest last (position): who (subject and roles of '
        'the bearer token), what (action such as credit-line.freeze, the route, the target such as '
        'merchant:m-000042, the request body), when (occurred_at, wall clock), the request id and the '
        'Idempotency-Key, and the state before and after as JSON (money as strings). Written in the '
        'same transaction as the write''s effect. Append-only: UPDATE, DELETE and TRUNCATE are rejected '
        'by triggers.'`);
    // GET /v1/audit: newest first, all of it or by action or target.
    await db.query(`CREATE INDEX audit_log_by_action ON audit_log (action, position DESC)`);
    await db.query(`CREATE INDEX audit_log_by_target ON audit_log (target, position DESC)`);
    await db.query(`
      CREATE FUNCTION audit_log_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'integrity_constraint_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_reject_change()`);
    await db.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_reject_change()`);
    // Operations' manual decisions (trigger kind 'manual') are allowed by DecisionTriggerKinds1795890250000.
  }

  async down(db: QueryRunner): Promise<void> {
    // DROP fires no row or truncate trigger: undoing the migration is how the log goes away.
    await db.query(`DROP TABLE IF EXISTS audit_log`);
    await db.query(`DROP FUNCTION IF EXISTS audit_log_reject_change()`);
  }
}
