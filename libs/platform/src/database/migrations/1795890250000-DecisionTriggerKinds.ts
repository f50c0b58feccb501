import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decisions get two more triggers: a loan event from lending (`loan-event`: an overdue loan
 * freezes the line at once) and a person through the ops API (`manual`: a manual freeze or
 * unfreeze). The constraint is replaced, not widened in place: Postgres has no ALTER for a CHECK.
 */
export class DecisionTriggerKinds1795890250000 implements MigrationInterface {
  name = 'DecisionTriggerKinds1795890250000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE credit_decisions DROP CONSTRAINT IF EXISTS credit_decisions_trigger_kind_check`);
    await db.query(`
      ALTER TABLE credit_decisions ADD CONSTRAINT credit_decisions_trigger_kind_check
        CHECK (trigger_kind IN ('signal', 'loan-event', 'silence-sweep', 'budget-sweep', 'manual'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE credit_decisions DROP CONSTRAINT IF EXISTS credit_decisions_trigger_kind_check`);
    await db.query(`
      ALTER TABLE credit_decisions ADD CONSTRAINT credit_decisions_trigger_kind_check
        CHECK (trigger_kind IN ('signal', 'silence-sweep', 'budget-sweep'))`);
  }
}
