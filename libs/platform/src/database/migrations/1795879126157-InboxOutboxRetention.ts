import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the retention of the inbox and the outbox. Both tables grow with every event;
 * their purges (`purgeInbox` after the 30-day money dedupe horizon, the outbox relay's purge
 * of sent rows after 7 days) delete the oldest rows in bounded chunks, and without an index
 * on the time they filter by, every chunk would scan the whole table.
 *
 * Each index costs one more index entry per row written. The outbox one is partial: pending
 * rows, the ones the relay's hot path touches, are not in it. Past a few billion rows the
 * next step is partitioning both tables by time and dropping whole partitions (DESIGN.md).
 */
export class InboxOutboxRetention1795879126157 implements MigrationInterface {
  name = 'InboxOutboxRetention1795879126157';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX inbox_by_processed_at ON inbox (processed_at)`);
    await db.query(
      `CREATE INDEX outbox_sent_by_published_at ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS outbox_sent_by_published_at`);
    await db.query(`DROP INDEX IF EXISTS inbox_by_processed_at`);
  }
}
