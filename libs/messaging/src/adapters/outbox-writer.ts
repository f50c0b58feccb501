import type { CloudEvent } from '@lendstream/contracts';
import type { EntityManager } from 'typeorm';
import { chunkByCount } from '../chunking';
import { outboxEntryFromEvent } from '../outbox-messages';
import { assertInsideTransaction, OUTBOX_NOTIFY_CHANNEL } from './outbox-transaction';

/** Most events one outbox statement inserts; more are split into several, in order. */
export const MAX_OUTBOX_EVENTS_PER_STATEMENT = 500;

/**
 * Writes `events` to the outbox inside the caller's transaction, so that they exist if and
 * only if the state change beside them commits; the relay publishes them afterwards. Each is
 * checked against the contract first (InvalidOutboxEventError: a broken event must fail the
 * transaction, not a consumer).
 *
 * Order: rows get ascending ids in the given order, and the relay publishes each key's rows in
 * id order. Ids across transactions follow insert order, not commit order, so call this AFTER
 * the change that serialises the key (say, the credit line's row lock): two transactions that
 * emit for one merchant then insert their rows in the order they commit.
 *
 * On commit, Postgres delivers one NOTIFY to the relays (per transaction, whatever the number
 * of calls), so they publish at once instead of at their next poll.
 */
export async function enqueueOutbox(manager: EntityManager, events: readonly CloudEvent[]): Promise<void> {
  assertInsideTransaction(manager, 'enqueueOutbox');
  if (events.length === 0) return;
  const entries = events.map(outboxEntryFromEvent);
  for (const chunk of chunkByCount(entries, MAX_OUTBOX_EVENTS_PER_STATEMENT)) {
    // One statement for the rows and the notification: WITH ORDINALITY … ORDER BY makes the ids
    // follow the array order; the notification is sent only if the transaction commits.
    await manager.query(
      `WITH inserted AS (
         INSERT INTO outbox (event_id, topic, message_key, payload, headers)
         SELECT event_id, topic, message_key, payload, headers
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[])
           WITH ORDINALITY AS entry(event_id, topic, message_key, payload, headers, position)
         ORDER BY position
         RETURNING 1)
       SELECT pg_notify($6, current_schema()) FROM (SELECT count(*) FROM inserted) AS written`,
      [
        chunk.map((entry) => entry.eventId),
        chunk.map((entry) => entry.topic),
        chunk.map((entry) => entry.messageKey),
        chunk.map((entry) => entry.payload),
        chunk.map((entry) => JSON.stringify(entry.headers)),
        OUTBOX_NOTIFY_CHANNEL,
      ],
    );
  }
}
