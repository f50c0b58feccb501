import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lending's refusals, kept (libs/lending `lending-refusals.ts`). A business-rule refusal of an
 * input (a drawdown the line cannot lend, an unknown disbursement, a reused settlementId…) is an
 * outcome like an applied one: lending records the event's inbox row and this row in one
 * transaction, so a redelivered or rewound event is refused again with the same violation and
 * never re-evaluated against a state that has changed since (a line raised or unfrozen would
 * otherwise turn a request the platform was told was refused into a loan).
 *
 * Keyed like the inbox row it belongs to, and deleted with it (ON DELETE CASCADE): once the
 * inbox has forgotten an event (its dedupe horizon), there is nothing left to answer a
 * redelivery with anyway. It grows with refused input only.
 */
export class LendingRefusals1795890600000 implements MigrationInterface {
  name = 'LendingRefusals1795890600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE lending_refusals (
        consumer    text        NOT NULL,
        source      text        NOT NULL,
        event_id    text        NOT NULL,
        event_type  text        NOT NULL CHECK (length(event_type) BETWEEN 1 AND 255),
        reason      text        NOT NULL CHECK (reason ~ '^[A-Z][A-Z0-9_]{0,63}$'),
        field       text        NULL CHECK (length(field) BETWEEN 1 AND 255),
        message     text        NOT NULL,
        refused_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, source, event_id),
        CONSTRAINT lending_refusals_inbox FOREIGN KEY (consumer, source, event_id)
          REFERENCES inbox (consumer, source, event_id) ON DELETE CASCADE
      )`);
    await db.query(`
      COMMENT ON TABLE lending_refusals IS
        'Inputs lending refused on a business rule, by their inbox identity (consumer, source, event id), '
        'written in the same transaction as their inbox row: the dlq-reason, field and message they were '
        'dead-lettered with. A redelivery finds its inbox row and is dead-lettered again with this '
        'violation, never re-evaluated. Deleted with its inbox row.'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS lending_refusals`);
  }
}
