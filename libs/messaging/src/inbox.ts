/**
 * The inbox: exactly-once effects from an at-least-once log. A consumer records each event's
 * (source, id) in the same transaction as the change the event causes; an event already
 * recorded is skipped. This file is the pure part; the SQL is in adapters/inbox-store.ts.
 */

/** What identifies an event (CONTRACT.md): `id` is unique per `source`. */
export interface InboxEventIdentity {
  readonly source: string;
  readonly id: string;
}

/**
 * How long inbox rows are kept: the longest dedupe horizon of the contract, 30 days, which
 * covers everything that moves money (risk-profile updates need only 24 hours, but one table
 * with one horizon cannot get a money event wrong). A re-published copy older than this may
 * be applied again; business keys (settlementId, disbursementId, requestId) still stop it.
 */
export const INBOX_RETENTION_MS = 30 * 24 * 60 * 60 * 1_000;

/** Most events one inbox statement records; a larger batch is split, in order. */
export const MAX_INBOX_EVENTS_PER_STATEMENT = 1_000;

/** Limits of what fits the inbox columns and a log line; longer is a broken producer, not an event. */
const MAX_CONSUMER_LENGTH = 128;
const MAX_IDENTITY_PART_LENGTH = 256;

export function assertInboxConsumer(consumer: string): void {
  if (consumer.length === 0 || consumer.length > MAX_CONSUMER_LENGTH) {
    throw new RangeError(`An inbox consumer name must be 1-${MAX_CONSUMER_LENGTH} characters`);
  }
}

export function assertInboxIdentity(event: InboxEventIdentity): void {
  for (const [name, value] of [
    ['source', event.source],
    ['id', event.id],
  ] as const) {
    if (value.length === 0 || value.length > MAX_IDENTITY_PART_LENGTH) {
      throw new RangeError(`An event's ${name} must be 1-${MAX_IDENTITY_PART_LENGTH} characters`);
    }
  }
}

/** A key for a (source, id) pair that no two distinct pairs share. */
export const identityKey = (event: InboxEventIdentity): string => JSON.stringify([event.source, event.id]);

/**
 * The events of a batch to apply: those whose identity the inbox just recorded, in their
 * given order, each identity once (a batch may carry the same event twice: the first copy
 * wins, the second is a duplicate like any other).
 */
export function eventsToApply<E extends InboxEventIdentity>(
  events: readonly E[],
  recorded: ReadonlySet<string>,
): E[] {
  const applied = new Set<string>();
  return events.filter((event) => {
    const key = identityKey(event);
    if (!recorded.has(key) || applied.has(key)) return false;
    applied.add(key);
    return true;
  });
}
