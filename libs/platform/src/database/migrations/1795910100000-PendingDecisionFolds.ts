import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A signal folded into a pending decision while a lane holds its claim (libs/credit
 * `pending-decisions.ts`): that lane may have read the merchant's profile before the signal's
 * event reached it, so its decision must not settle the row; the next turn decides again.
 */
export class PendingDecisionFolds1795910100000 implements MigrationInterface {
  name = 'PendingDecisionFolds1795910100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE pending_decisions ADD COLUMN folded_since_claim boolean NOT NULL DEFAULT false`,
    );
    await db.query(`
      COMMENT ON COLUMN pending_decisions.folded_since_claim IS
        'A signal was folded in while a lane held the claim: that lane''s decision leaves the row, and the '
        'next claim (which clears this) decides the merchant again.'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE pending_decisions DROP COLUMN IF EXISTS folded_since_claim`);
  }
}
