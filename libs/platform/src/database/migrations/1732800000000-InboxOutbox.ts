import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The messaging tables every service shares: the inbox (exactly-once effects from an
 * at-least-once log), the outbox (no state change without its event, no event without its
 * state change) and the dead letters (bad input is data, kept for people to look at).
 * Plain SQL on purpose: the schema is the contract with the database, and SQL says exactly
 * which indexes and defaults exist.
 */
export class InboxOutbox1732800000000 implements MigrationInterface {
  name = 'InboxOutbox1732800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE inbox (
        consumer     text        NOT NULL,
        source       text        NOT NULL,
        event_id     text        NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, source, event_id)
      )`);
    await db.query(`
      COMMENT ON TABLE inbox IS
        'Idempotency record of consumed events. Kafka delivers at least once; a consumer inserts '
        '(consumer, source, event_id) in the same transaction as the change the event causes, '
        'so a redelivered or re-published event hits the primary key and has no second effect. '
        'The CloudEvents (source, id) pair is the event identity; consumer lets two consumers '
        'of one event each apply it once. Rows older than the dedupe horizon may be pruned.'`);

    await db.query(`
      CREATE TABLE outbox (
        id           bigserial   PRIMARY KEY,
        event_id     uuid        NOT NULL UNIQUE,
        topic        text        NOT NULL,
        message_key  text        NOT NULL,
        payload      jsonb       NOT NULL,
        headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz NULL,
        attempts     integer     NOT NULL DEFAULT 0
      )`);
    await db.query(`
      COMMENT ON TABLE outbox IS
        'Transactional outbox. An output event is a row written in the same transaction as the '
        'state change that caused it, so a crash can never keep one without the other. The relay '
        'publishes pending rows in id order (per key order) with an idempotent producer and sets '
        'published_at; event_id is the CloudEvents id consumers dedupe on after a re-publish.'`);
    // The relay's only hot query is "the oldest pending rows"; a partial index keeps it small
    // because published rows (nearly all of them) are not in it.
    await db.query(`CREATE INDEX outbox_pending_by_id ON outbox (id) WHERE published_at IS NULL`);

    await db.query(`
      CREATE TABLE dead_letters (
        id          bigserial   PRIMARY KEY,
        topic       text        NOT NULL,
        partition   integer     NOT NULL,
        "offset"    text        NOT NULL,
        reason      text        NOT NULL,
        error       text        NOT NULL,
        service     text        NOT NULL,
        key         text        NULL,
        value       bytea       NULL,
        headers     jsonb       NOT NULL DEFAULT '{}'::jsonb,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      COMMENT ON TABLE dead_letters IS
        'Inputs that could not be processed (not JSON, not a CloudEvent, failed their schema, broke '
        'a business rule), kept with their original key and value bytes untouched so ops can see, '
        'fix and replay them; the consumer moves on, so one bad message never stops a partition. '
        'offset is text because Kafka offsets are int64 and must not lose precision in JavaScript.'`);
    // GET /v1/dead-letters filters by reason, newest first.
    await db.query(`CREATE INDEX dead_letters_by_reason_newest ON dead_letters (reason, created_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS dead_letters`);
    await db.query(`DROP TABLE IF EXISTS outbox`);
    await db.query(`DROP TABLE IF EXISTS inbox`);
  }
}
