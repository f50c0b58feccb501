import type { EntityManager } from 'typeorm';
import { chunkByCount } from '../chunking';
import {
  assertInboxConsumer,
  assertInboxIdentity,
  eventsToApply,
  identityKey,
  INBOX_RETENTION_MS,
  InboxEventIdentity,
  MAX_INBOX_EVENTS_PER_STATEMENT,
} from '../inbox';
import { assertInsideTransaction } from './outbox-transaction';

/**
 * Records that `consumer` processed `event`, inside the caller's transaction. True: first time,
 * apply the effect (in the same transaction). False: already processed, skip the effect.
 *
 * Two transactions recording the same event at once: the second waits on the first's
 * uncommitted row, then gets false if the first committed, or true if it rolled back.
 */
export async function recordInbox(
  manager: EntityManager,
  consumer: string,
  event: InboxEventIdentity,
): Promise<boolean> {
  return (await recordInboxBatch(manager, consumer, [event])).length === 1;
}

/**
 * The batch form: records every event at once and returns those to apply, in their order, each
 * (source, id) once; the others were processed before (or repeat one earlier in the batch).
 */
export async function recordInboxBatch<E extends InboxEventIdentity>(
  manager: EntityManager,
  consumer: string,
  events: readonly E[],
): Promise<E[]> {
  assertInsideTransaction(manager, 'recordInbox');
  assertInboxConsumer(consumer);
  events.forEach(assertInboxIdentity);
  const recorded = new Set<string>();
  for (const chunk of chunkByCount(events, MAX_INBOX_EVENTS_PER_STATEMENT)) {
    const rows: Array<{ source: string; event_id: string }> = await manager.query(
      `INSERT INTO inbox (consumer, source, event_id)
       SELECT $1, source, event_id FROM unnest($2::text[], $3::text[]) AS event(source, event_id)
       ON CONFLICT DO NOTHING
       RETURNING source, event_id`,
      [consumer, chunk.map((event) => event.source), chunk.map((event) => event.id)],
    );
    for (const row of rows) recorded.add(identityKey({ source: row.source, id: row.event_id }));
  }
  return eventsToApply(events, recorded);
}

export interface InboxPurgeOptions {
  /** Rows deleted per statement (default 5 000): short transactions, no long lock on the table. */
  readonly chunkSize?: number;
  /** Statements per call (default 100); call again to go on. */
  readonly maxChunks?: number;
}

/** The oldest processing time a purge may delete by default: the contract's money dedupe horizon. */
export const inboxPurgeCutoff = (now: Date): Date => new Date(now.getTime() - INBOX_RETENTION_MS);

/**
 * Deletes inbox rows processed before `olderThan` (by default 30 days ago, the contract's money
 * dedupe horizon; never pass a later time: a younger row may still stop a re-published money
 * event), in bounded chunks, each its own statement, so no transaction holds many row locks
 * for long. Returns how many rows it deleted; when that is chunkSize × maxChunks, more may
 * remain for the next call. Run it from a scheduled job with a manager outside any
 * transaction (`dataSource.manager`).
 */
export async function purgeInbox(
  manager: EntityManager,
  olderThan: Date = inboxPurgeCutoff(new Date()),
  options: InboxPurgeOptions = {},
): Promise<number> {
  const chunkSize = options.chunkSize ?? 5_000;
  const maxChunks = options.maxChunks ?? 100;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 100_000)
    throw new RangeError(`chunkSize must be a whole number from 1 to 100000, got ${chunkSize}`);
  if (!Number.isInteger(maxChunks) || maxChunks < 1 || maxChunks > 10_000)
    throw new RangeError(`maxChunks must be a whole number from 1 to 10000, got ${maxChunks}`);
  let deleted = 0;
  for (let chunk = 0; chunk < maxChunks; chunk += 1) {
    // Inbox rows are never updated, so a row's ctid is stable between the two halves.
    const [result]: Array<{ deleted: number }> = await manager.query(
      `WITH deleted AS (
         DELETE FROM inbox WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM inbox WHERE processed_at < $1 ORDER BY processed_at LIMIT $2))
         RETURNING 1)
       SELECT count(*)::int AS deleted FROM deleted`,
      [olderThan.toISOString(), chunkSize],
    );
    const deletedNow = result?.deleted ?? 0;
    deleted += deletedNow;
    if (deletedNow < chunkSize) break;
  }
  return deleted;
}
