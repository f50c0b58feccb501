import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `npm run policy -- diff` pairs every shadow decision with the live decision of the same
 * trigger; without an index on the trigger, each page of that join scans the whole
 * (ever-growing) decisions table. Partial: only live decisions are looked up this way.
 */
export class DecisionTriggerIndex1795885000000 implements MigrationInterface {
  name = 'DecisionTriggerIndex1795885000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX credit_decisions_live_by_trigger
         ON credit_decisions (trigger_id, merchant_id) WHERE NOT shadow`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS credit_decisions_live_by_trigger`);
  }
}
