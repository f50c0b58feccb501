import type { EntityManager } from 'typeorm';
import type { PendingOutboxRow } from '../outbox-messages';
import type { OutboxBacklog } from '../outbox-relay-status';

/**
 * The relay's SQL on the outbox table. Each function is one statement on a pooled connection,
 * outside any transaction: a shard's exclusivity comes from the relay's advisory locks, not
 * from row locks, so nothing here needs one.
 */

/** The shard of a row; every relay computes it in SQL, so that they all agree. */
const SHARD_OF_ROW = `(hashtext(message_key) & 2147483647) % $1`;

interface PendingRowRecord {
  id: string;
  event_id: string;
  topic: string;
  message_key: string;
  payload: string;
  headers: string;
  attempts: number;
}

/**
 * The oldest pending rows of the given shards, at most `limit`, in id order. Never skips a
 * pending row of a shard: a key's rows are always published from its oldest pending one on.
 */
export async function selectPendingRows(
  manager: EntityManager,
  shards: { readonly shardCount: number; readonly held: readonly number[] },
  limit: number,
): Promise<PendingOutboxRow[]> {
  // Two steps: the ids first, then the payloads of those ids only. With stale statistics the
  // planner may sort every pending row instead of walking the index, and that sort must not
  // carry (and convert) every payload. payload::text, not the jsonb value: the driver would
  // JSON.parse it, and numbers past 2^53 would lose digits on the way back out.
  const records: PendingRowRecord[] = await manager.query(
    `SELECT id::text AS id, event_id::text AS event_id, topic, message_key,
            payload::text AS payload, headers::text AS headers, attempts
       FROM outbox
      WHERE outbox.id IN (
              SELECT pending.id FROM outbox AS pending
               WHERE pending.published_at IS NULL AND ${SHARD_OF_ROW} = ANY($2::int[])
               ORDER BY pending.id
               LIMIT $3)
      ORDER BY outbox.id -- qualified: a bare "id" would sort by the text alias above`,
    [shards.shardCount, shards.held, limit],
  );
  return records.map((record) => ({
    id: record.id,
    eventId: record.event_id,
    topic: record.topic,
    messageKey: record.message_key,
    payload: record.payload,
    headers: parseHeaders(record.headers, record.id),
    attempts: record.attempts,
  }));
}

function parseHeaders(text: string, rowId: string): Record<string, string> {
  const parsed: unknown = JSON.parse(text);
  const valid =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((value) => typeof value === 'string');
  // Only enqueueOutbox writes rows, with string headers: anything else is corruption.
  if (!valid) throw new Error(`Outbox row ${rowId} has headers that are not an object of strings`);
  return parsed as Record<string, string>;
}

/** Marks rows published; returns how many it marked (fewer if another relay marked some first). */
export async function markRowsSent(manager: EntityManager, ids: readonly string[]): Promise<number> {
  const [result]: Array<{ marked: number }> = await manager.query(
    `WITH marked AS (
       UPDATE outbox SET published_at = now(), attempts = attempts + 1
        WHERE id = ANY($1::bigint[]) AND published_at IS NULL
       RETURNING 1)
     SELECT count(*)::int AS marked FROM marked`,
    [ids],
  );
  return result?.marked ?? 0;
}

/** Counts a failed publish attempt on rows that stay pending. */
export async function countFailedAttempt(manager: EntityManager, ids: readonly string[]): Promise<void> {
  await manager.query(
    `UPDATE outbox SET attempts = attempts + 1 WHERE id = ANY($1::bigint[]) AND published_at IS NULL`,
    [ids],
  );
}

/**
 * Deletes rows published more than `retentionMs` ago (by the database's clock), oldest first,
 * at most `chunkSize` per statement and `maxChunks` statements. Pending rows are never deleted,
 * however old. Returns how many rows it deleted.
 */
export async function deleteSentRows(
  manager: EntityManager,
  retention: { readonly retentionMs: number; readonly chunkSize: number; readonly maxChunks: number },
  shouldContinue: () => boolean = () => true,
): Promise<number> {
  let deleted = 0;
  for (let chunk = 0; chunk < retention.maxChunks && shouldContinue(); chunk += 1) {
    const [result]: Array<{ deleted: number }> = await manager.query(
      `WITH deleted AS (
         DELETE FROM outbox WHERE id = ANY (ARRAY(
           SELECT id FROM outbox
            WHERE published_at < now() - make_interval(secs => $1::double precision / 1000)
            ORDER BY published_at LIMIT $2))
         RETURNING 1)
       SELECT count(*)::int AS deleted FROM deleted`,
      [retention.retentionMs, retention.chunkSize],
    );
    const deletedNow = result?.deleted ?? 0;
    deleted += deletedNow;
    if (deletedNow < retention.chunkSize) break;
  }
  return deleted;
}

/**
 * The backlog, for metrics and health: how many rows wait (counted up to `countCap`, so a huge
 * backlog costs a bounded scan) and how old the oldest one is.
 */
export async function outboxBacklog(manager: EntityManager, countCap = 100_000): Promise<OutboxBacklog> {
  const [result]: Array<{ pending: number; oldest_age_ms: number | null }> = await manager.query(
    `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM outbox WHERE published_at IS NULL LIMIT $1) AS capped)
              AS pending,
            (SELECT (extract(epoch FROM clock_timestamp() - created_at) * 1000)::float8
               FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 1) AS oldest_age_ms`,
    [countCap],
  );
  const pendingCount = result?.pending ?? 0;
  return {
    pendingCount,
    pendingCountCapped: pendingCount >= countCap,
    oldestPendingAgeMs: Math.max(0, Math.round(result?.oldest_age_ms ?? 0)),
  };
}
