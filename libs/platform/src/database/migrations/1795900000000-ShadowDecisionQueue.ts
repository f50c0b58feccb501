import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shadow lane's queue (libs/credit `shadow-lane.ts`). A live decision used to be stored
 * with its challengers' decisions in the same transaction, so every signal paid for the shadow
 * policies on the way to its `scf.credit-lines.v1` event. Now the live transaction only queues
 * the live decision's id here (one small row, in the statement that inserts the decision); the
 * shadow lane takes queued ids in batches (FOR UPDATE SKIP LOCKED, so several underwriters
 * share the queue), decides each challenger from the live decision's stored features, and
 * deletes the rows in the transaction that stores the shadow decisions: a crash before commit
 * leaves them queued, a shadow decision that exists already is left as it was.
 */
export class ShadowDecisionQueue1795900000000 implements MigrationInterface {
  name = 'ShadowDecisionQueue1795900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE shadow_decision_queue (
        seq          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        decision_id  uuid        NOT NULL,
        merchant_id  text        NOT NULL,
        enqueued_at  timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    // A turn takes every entry of the merchants it picks.
    await db.query(`CREATE INDEX shadow_decision_queue_by_merchant ON shadow_decision_queue (merchant_id)`);
    await db.query(`
      COMMENT ON TABLE shadow_decision_queue IS
        'Live decisions (credit_decisions.decision_id) whose challenger (shadow) decisions are not yet '
        'made, oldest first. Written in the live decision''s transaction, deleted in the transaction that '
        'stores the shadow decisions. The lane decides a merchant once its oldest entry has waited a linger '
        'window, as of its newest queued live decision; the older ones get no shadow twin.'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS shadow_decision_queue`);
  }
}
