import { createHash } from 'node:crypto';
import { createEvent, type CloudEvent } from '@lendstream/contracts';

/** The `source` of the profiler's internal signals. */
export const PROFILE_CHANGED_SOURCE = '/lendstream/profiler';

/** What became of a message applied to the profile. */
export type ProfileApplyStatus = 'APPLIED' | 'DUPLICATE' | 'REJECTED';

/** What the signal needs to know about each message of an applied batch. */
export interface AppliedMessage {
  readonly offset: string;
  readonly merchantId: string;
  readonly eventTimeMs: number;
  /** REJECTED messages changed nothing and raise no signal. */
  readonly status: ProfileApplyStatus;
}

/**
 * One `profile.changed` per merchant a batch touched (debounced: the underwriter re-reads
 * the profile once, not per event), as of the newest event time of that merchant's events in
 * the batch. Duplicates count: if the profiler crashed between applying and publishing, the
 * redelivered batch finds its events duplicates and must still raise the signal. The id is a
 * hash of (merchant, topic, partition, last offset), so a redelivered batch gives the same
 * ids and the underwriter's inbox drops the second copy. Pure.
 */
export function profileChangedSignals(
  topic: string,
  partition: number,
  messages: readonly AppliedMessage[],
): CloudEvent<'profile.changed'>[] {
  const touched = new Map<string, { asOfMs: number; lastOffset: string }>();
  for (const message of messages) {
    if (message.status === 'REJECTED') continue;
    const seen = touched.get(message.merchantId);
    if (seen === undefined) {
      touched.set(message.merchantId, { asOfMs: message.eventTimeMs, lastOffset: message.offset });
    } else {
      // Updated in place: one entry per merchant, not one object per message.
      seen.asOfMs = Math.max(seen.asOfMs, message.eventTimeMs);
      seen.lastOffset = message.offset;
    }
  }
  return [...touched].map(([merchantId, { asOfMs, lastOffset }]) => {
    const asOf = new Date(asOfMs).toISOString();
    return createEvent({
      type: 'profile.changed',
      id: profileChangedSignalId(merchantId, topic, partition, lastOffset),
      source: PROFILE_CHANGED_SOURCE,
      time: asOf,
      data: { merchantId, asOf },
    });
  });
}

export const profileChangedSignalId = (
  merchantId: string,
  topic: string,
  partition: number,
  offset: string,
): string =>
  `pc-${createHash('sha256').update(`profile-changed\n${merchantId}\n${topic}\n${partition}\n${offset}`).digest('hex').slice(0, 32)}`;
