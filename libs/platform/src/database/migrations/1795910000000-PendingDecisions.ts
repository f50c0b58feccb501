import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decisions the underwriter owes but has not yet made (libs/credit `pending-decisions.ts`).
 * Under load most profile signals only confirm a merchant's line as it stands (the live policy
 * forecasts no move); deciding and storing each of them (a few KB of features and assessment a
 * decision) was most of the underwriter's work and held back the signals that do move a line.
 * Such a signal now leaves one row per merchant here, written with its inbox row in the
 * signal's transaction, so a crash cannot lose it: a newer signal replaces the row's instant
 * and trigger (and counts itself), an older one only counts. The pending lane decides a
 * merchant once its row has waited a linger window, as of the row's instant, and every
 * decision about the merchant as of that instant or later (the lane's, a moving signal's, a
 * sweep's) deletes the row in its own transaction.
 */
export class PendingDecisions1795910000000 implements MigrationInterface {
  name = 'PendingDecisions1795910000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE pending_decisions (
        merchant_id     text        PRIMARY KEY,
        as_of           timestamptz NOT NULL,
        trigger_source  text        NOT NULL,
        trigger_id      text        NOT NULL,
        signals         integer     NOT NULL CHECK (signals > 0),
        pending_since   timestamptz NOT NULL DEFAULT clock_timestamp(),
        claimed_until   timestamptz
      )`);
    // The lane takes the rows that have waited longest.
    await db.query(`CREATE INDEX pending_decisions_by_age ON pending_decisions (pending_since)`);
    await db.query(`
      COMMENT ON TABLE pending_decisions IS
        'One row per merchant whose profile signals were consumed (inbox) but not yet decided, because '
        'the live policy forecast its line to hold. as_of and trigger_* are the newest such signal''s; '
        'signals counts them. The pending lane claims rows that waited a linger window (claimed_until: '
        'a lease, so a crashed lane''s rows are taken again) and decides each merchant as of as_of; any '
        'decision about the merchant as of as_of or later deletes the row.'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS pending_decisions`);
  }
}
