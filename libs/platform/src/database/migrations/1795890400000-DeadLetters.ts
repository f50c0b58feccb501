import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dead-letter index (issue 5): one row per record on `scf.dlq.v1`, written by the API's
 * dead-letter indexer (libs/dead-letters) so that operations can list and filter dead letters
 * (`GET /v1/dead-letters`) without reading Kafka.
 *
 * A row is keyed by where the dead letter sits on the DLQ topic (topic, partition, offset):
 * redelivered records insert nothing (ON CONFLICT DO NOTHING), so the indexer is idempotent.
 * The original payload is kept as text, cut to a bounded prefix (`payload_bytes` is the whole
 * size, `payload_truncated` says whether it was cut): a huge or binary value costs the index
 * at most a few KiB. The table grows with bad input only; it may be purged by age
 * (dead_lettered_at) without loss, since the topic holds the records themselves.
 *
 * It replaces the `dead_letters` table of InboxOutbox1732800000000, which nothing ever wrote
 * (dead letters went to the topic only): that one is dropped when empty, and kept as
 * `dead_letters_v0` should a deployment have filled it by hand.
 */
export class DeadLetters1795890400000 implements MigrationInterface {
  name = 'DeadLetters1795890400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM dead_letters) THEN
          ALTER TABLE dead_letters RENAME TO dead_letters_v0;
          ALTER INDEX dead_letters_by_reason_newest RENAME TO dead_letters_v0_by_reason_newest;
          ALTER TABLE dead_letters_v0 RENAME CONSTRAINT dead_letters_pkey TO dead_letters_v0_pkey;
        ELSE
          DROP TABLE dead_letters;
        END IF;
      END $$`);
    await db.query(`
      CREATE TABLE dead_letters (
        position          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dlq_topic         text        NOT NULL CHECK (length(dlq_topic) BETWEEN 1 AND 249),
        dlq_partition     integer     NOT NULL CHECK (dlq_partition >= 0),
        dlq_offset        bigint      NOT NULL CHECK (dlq_offset >= 0),
        reason            text        NOT NULL CHECK (reason ~ '^[A-Z][A-Z0-9_]{0,63}$'),
        error             text        NULL CHECK (length(error) <= 1024),
        source_topic      text        NULL CHECK (length(source_topic) BETWEEN 1 AND 249),
        source_partition  integer     NULL CHECK (source_partition >= 0),
        source_offset     bigint      NULL CHECK (source_offset >= 0),
        service           text        NULL CHECK (length(service) BETWEEN 1 AND 128),
        message_key       text        NULL CHECK (length(message_key) <= 255),
        event_id          text        NULL CHECK (length(event_id) BETWEEN 1 AND 255),
        event_type        text        NULL CHECK (length(event_type) BETWEEN 1 AND 255),
        payload           text        NULL,
        payload_bytes     integer     NOT NULL CHECK (payload_bytes >= 0),
        payload_truncated boolean     NOT NULL,
        dead_lettered_at  timestamptz NOT NULL,
        indexed_at        timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT dead_letters_position_on_topic UNIQUE (dlq_topic, dlq_partition, dlq_offset),
        CONSTRAINT dead_letters_payload_bounded CHECK (length(payload) <= 16384)
      )`);
    await db.query(`
      COMMENT ON TABLE dead_letters IS
        'An index of the dead-letter topic (scf.dlq.v1): each record once, by its topic, partition and '
        'offset on that topic; its dlq-reason (UNKNOWN_REASON when the header is missing or malformed), '
        'dlq-error, the source topic/partition/offset and service, the event id and type when the value '
        'is a readable JSON object, and a bounded prefix of the original value. Written by the ops API''s '
        'dead-letter indexer; derived data: the topic is the record.'`);
    // GET /v1/dead-letters: newest first, all of them, by reason or by source topic.
    await db.query(`CREATE INDEX dead_letters_newest ON dead_letters (dead_lettered_at DESC, position DESC)`);
    await db.query(
      `CREATE INDEX dead_letters_by_reason ON dead_letters (reason, dead_lettered_at DESC, position DESC)`,
    );
    await db.query(
      `CREATE INDEX dead_letters_by_source_topic ON dead_letters (source_topic, dead_lettered_at DESC, position DESC)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS dead_letters`);
    // InboxOutbox1732800000000's table, as it was.
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
    await db.query(`CREATE INDEX dead_letters_by_reason_newest ON dead_letters (reason, created_at DESC)`);
  }
}
