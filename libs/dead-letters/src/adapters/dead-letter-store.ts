import type { EntityManager } from 'typeorm';
import type { DeadLetterEntry } from '../dead-letter-entry';
import type { DeadLetterQuery } from '../dead-letter-page';

/** Entries per INSERT statement (13 arrays of this many values each). */
const ENTRIES_PER_STATEMENT = 500;

/**
 * Adds entries to the index, each once: an entry whose (topic, partition, offset) on the
 * dead-letter topic is already there inserts nothing, so a redelivered batch is harmless.
 * Returns how many were new. One statement per 500 entries (arrays, not a VALUES list).
 */
export async function insertDeadLetters(
  manager: EntityManager,
  entries: readonly DeadLetterEntry[],
): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < entries.length; start += ENTRIES_PER_STATEMENT) {
    const chunk = entries.slice(start, start + ENTRIES_PER_STATEMENT);
    const column = <T>(pick: (entry: DeadLetterEntry) => T): T[] => chunk.map(pick);
    const rows: unknown[] = await manager.query(
      `INSERT INTO dead_letters (dlq_topic, dlq_partition, dlq_offset, reason, error, source_topic,
         source_partition, source_offset, service, message_key, event_id, event_type, payload,
         payload_bytes, payload_truncated, dead_lettered_at)
       SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[],
         $7::int[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[],
         $14::int[], $15::boolean[], $16::timestamptz[])
       ON CONFLICT (dlq_topic, dlq_partition, dlq_offset) DO NOTHING
       RETURNING position`,
      [
        column((entry) => entry.dlqTopic),
        column((entry) => entry.dlqPartition),
        column((entry) => entry.dlqOffset),
        column((entry) => entry.reason),
        column((entry) => entry.error),
        column((entry) => entry.sourceTopic),
        column((entry) => entry.sourcePartition),
        column((entry) => entry.sourceOffset),
        column((entry) => entry.service),
        column((entry) => entry.messageKey),
        column((entry) => entry.eventId),
        column((entry) => entry.eventType),
        column((entry) => entry.payload),
        column((entry) => entry.payloadBytes),
        column((entry) => entry.payloadTruncated),
        column((entry) => entry.deadLetteredAt.toISOString()),
      ],
    );
    inserted += rows.length;
  }
  return inserted;
}

/** An indexed dead letter as the API lists it (offsets and positions as decimal strings). */
export interface IndexedDeadLetter {
  readonly position: string;
  readonly reason: string;
  readonly error: string | null;
  readonly sourceTopic: string | null;
  readonly sourcePartition: number | null;
  readonly sourceOffset: string | null;
  readonly service: string | null;
  readonly key: string | null;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly payload: string | null;
  readonly payloadBytes: number;
  readonly payloadTruncated: boolean;
  /** ISO instant, millisecond precision. */
  readonly deadLetteredAt: string;
  readonly dlq: { readonly topic: string; readonly partition: number; readonly offset: string };
  /** The page key: dead_lettered_at with microseconds (the cursor needs Postgres's full precision). */
  readonly pageKey: { readonly deadLetteredAt: string; readonly position: string };
}

interface DeadLetterRow {
  readonly position: string;
  readonly dlq_topic: string;
  readonly dlq_partition: number;
  readonly dlq_offset: string;
  readonly reason: string;
  readonly error: string | null;
  readonly source_topic: string | null;
  readonly source_partition: number | null;
  readonly source_offset: string | null;
  readonly service: string | null;
  readonly message_key: string | null;
  readonly event_id: string | null;
  readonly event_type: string | null;
  readonly payload: string | null;
  readonly payload_bytes: number;
  readonly payload_truncated: boolean;
  readonly dead_lettered_at: Date;
  readonly page_at: string;
}

/**
 * Entries newest first (by dead-lettered time, then index position), optionally of one
 * reason and/or one source topic, after a page position. Served by the table's three indexes.
 */
export async function listDeadLetters(
  manager: EntityManager,
  query: DeadLetterQuery,
): Promise<IndexedDeadLetter[]> {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 1_000)
    throw new RangeError(`a dead-letter page is 1-1000 entries, got ${query.limit}`);
  const rows: DeadLetterRow[] = await manager.query(
    `SELECT position::text AS position, dlq_topic, dlq_partition, dlq_offset::text AS dlq_offset, reason,
            error, source_topic, source_partition, source_offset::text AS source_offset, service,
            message_key, event_id, event_type, payload, payload_bytes, payload_truncated, dead_lettered_at,
            to_char(dead_lettered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS page_at
     FROM dead_letters
     WHERE ($1::timestamptz IS NULL OR (dead_lettered_at, position) < ($1::timestamptz, $2::bigint))
       AND ($3::text IS NULL OR reason = $3)
       AND ($4::text IS NULL OR source_topic = $4)
     ORDER BY dead_lettered_at DESC, position DESC
     LIMIT $5`,
    [
      query.after?.deadLetteredAt ?? null,
      query.after?.position ?? null,
      query.reason ?? null,
      query.sourceTopic ?? null,
      query.limit,
    ],
  );
  return rows.map((row) => ({
    position: row.position,
    reason: row.reason,
    error: row.error,
    sourceTopic: row.source_topic,
    sourcePartition: row.source_partition,
    sourceOffset: row.source_offset,
    service: row.service,
    key: row.message_key,
    eventId: row.event_id,
    eventType: row.event_type,
    payload: row.payload,
    payloadBytes: row.payload_bytes,
    payloadTruncated: row.payload_truncated,
    deadLetteredAt: row.dead_lettered_at.toISOString(),
    dlq: { topic: row.dlq_topic, partition: row.dlq_partition, offset: row.dlq_offset },
    pageKey: { deadLetteredAt: row.page_at, position: row.position },
  }));
}

/** How many dead letters the index holds of one reason. */
export interface DeadLetterReasonCount {
  readonly reason: string;
  readonly count: number;
  /** ISO instant of the newest one. */
  readonly latestAt: string;
}

/** The most reasons counted: codes are a short, stable list (CONTRACT.md); more means garbage reasons. */
const REASONS_COUNTED_MAX = 100;

/** Dead letters by reason, most first. */
export async function countDeadLettersByReason(manager: EntityManager): Promise<DeadLetterReasonCount[]> {
  const rows: Array<{ reason: string; count: string; latest_at: Date }> = await manager.query(
    `SELECT reason, count(*)::text AS count, max(dead_lettered_at) AS latest_at
     FROM dead_letters GROUP BY reason ORDER BY count(*) DESC, reason LIMIT $1`,
    [REASONS_COUNTED_MAX],
  );
  return rows.map((row) => ({
    reason: row.reason,
    count: Number(row.count),
    latestAt: row.latest_at.toISOString(),
  }));
}
