import { CloudEvent, createEvent, EventData } from '@lendstream/contracts';
import { hashString128 } from '../random/seeded-random';
import { DisbursementFailureReason, FAILURE_REASON_TOTAL_WEIGHT, failureReasonAt } from './failure-reasons';
import { BPS_PER_UNIT, TreasurySettings } from './treasury-settings';

/**
 * The simulated treasury's answer to a `disbursement.requested`, as a pure function of the
 * seed and the disbursement id: a request redelivered by Kafka or re-published by
 * Lendstream's outbox gets the same answer every time, so a disbursement is never settled
 * once and failed once. Nothing here reads a clock: time comes in as an argument.
 */

/** The CloudEvents `source` of everything treasury publishes. */
export const TREASURY_SOURCE = '/treasury';

export type TreasuryDecision =
  | { readonly outcome: 'settled'; readonly treasuryRef: string }
  | { readonly outcome: 'failed'; readonly reason: DisbursementFailureReason };

export type DisbursementRequest = Pick<EventData<'disbursement.requested'>, 'merchantId' | 'disbursementId'>;

export type ConfirmationType = 'disbursement.settled' | 'disbursement.failed';
export type ConfirmationEvent = CloudEvent<'disbursement.settled'> | CloudEvent<'disbursement.failed'>;

const WORD_RANGE = 2 ** 32;

/** Scales a uniform 32-bit word onto 0..buckets-1 (multiply-shift: no modulo bias worth naming). */
const bucketOf = (word: number, buckets: number): number => Math.floor((word / WORD_RANGE) * buckets);

/**
 * Settle or fail, and why. The outcome roll is a basis point from 0 to 9,999 drawn from
 * (seed, disbursementId); the request fails when the roll is below `failShareBps`. So with
 * one seed, raising the share only turns some settled requests into failed ones, never the
 * reverse, and 0 or 10,000 bp are exact. The reason comes from an independent word of the
 * same hash.
 */
export function decideDisbursement(
  disbursementId: string,
  settings: Pick<TreasurySettings, 'seed' | 'failShareBps'>,
): TreasuryDecision {
  const [outcomeWord, reasonWord] = hashString128(`${settings.seed}/treasury/${disbursementId}`);
  const outcomeRoll = bucketOf(outcomeWord, BPS_PER_UNIT);
  if (outcomeRoll < settings.failShareBps) {
    return { outcome: 'failed', reason: failureReasonAt(bucketOf(reasonWord, FAILURE_REASON_TOTAL_WEIGHT)) };
  }
  return { outcome: 'settled', treasuryRef: treasuryRefOf(disbursementId) };
}

/**
 * Treasury's payment reference for a disbursement: 96 bits of a hash of its id, so that
 * it is the same on every run (whatever the seed), fits any id length, and two
 * disbursements practically never share one.
 */
export function treasuryRefOf(disbursementId: string): string {
  const [a, b, c] = hashString128(`treasury-ref/${disbursementId}`);
  const hex = (word: number): string => word.toString(16).padStart(8, '0');
  return `TRX-${hex(a)}${hex(b)}${hex(c)}`.toUpperCase();
}

/**
 * The id of the one confirmation of a disbursement. It names no outcome: should treasury be
 * restarted with other settings, a second answer still carries the first one's id, and
 * Lendstream's inbox keeps only the first.
 */
export const confirmationEventId = (disbursementId: string): string => `${disbursementId}:confirmation`;

/** The event that tells Lendstream what happened to `request`, decided at `decidedAt`. */
export function confirmationEvent(
  request: DisbursementRequest,
  decision: TreasuryDecision,
  decidedAt: Date | string,
): ConfirmationEvent {
  const { merchantId, disbursementId } = request;
  const common = { id: confirmationEventId(disbursementId), source: TREASURY_SOURCE, time: decidedAt };
  if (decision.outcome === 'settled') {
    return createEvent({
      ...common,
      type: 'disbursement.settled',
      data: { merchantId, disbursementId, treasuryRef: decision.treasuryRef },
    });
  }
  return createEvent({
    ...common,
    type: 'disbursement.failed',
    data: { merchantId, disbursementId, reason: decision.reason },
  });
}

export interface ConfirmationTiming {
  /** When the request reached the topic (the Kafka record's timestamp), epoch ms. */
  readonly appendedAtMs: number;
  /** When this treasury read it, epoch ms. */
  readonly receivedAtMs: number;
  readonly delayMs: number;
}

/**
 * When a request's confirmation is due: `delayMs` after the request arrived on the topic.
 * Counting from the record's own timestamp, not from when it was read, means a request
 * that waited in the topic behind others (or behind a restart) is not delayed twice. A
 * timestamp from a producer whose clock runs ahead is capped at the read time, so no
 * request waits longer than `delayMs` after it is read.
 */
export function confirmationDueAtMs(timing: ConfirmationTiming): number {
  const { appendedAtMs, receivedAtMs, delayMs } = timing;
  const arrivedAtMs = Number.isFinite(appendedAtMs) ? Math.min(appendedAtMs, receivedAtMs) : receivedAtMs;
  return arrivedAtMs + delayMs;
}
