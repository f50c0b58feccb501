import { CloudEvent, createEvent } from '@lendstream/contracts';
import { delinquencyBucketOf } from '../delinquency';
import { LendingEvent } from '../lending-events';
import { lendingIds } from './deterministic-uuid';

/** The CloudEvents source of every event lending produces. */
export const LENDING_SOURCE = '/lendstream/lending';

/**
 * The business fact an event reports, which names it forever: a retried transaction (or the
 * same fact reached twice) derives the same event id, and consumers dedupe on it.
 * `loan.overdue` is sent once per days-past-due bucket a loan enters, so the bucket is part of
 * its fact.
 */
export function eventBusinessKey(event: LendingEvent): readonly string[] {
  switch (event.type) {
    case 'disbursement.requested':
      return [event.data.disbursementId];
    case 'loan.activated':
    case 'loan.repaid':
    case 'loan.written-off':
      return [event.data.loanId];
    case 'loan.overdue':
      return [event.data.loanId, delinquencyBucketOf(event.data.daysPastDue)];
    case 'repayment.collected':
      return [event.data.repaymentId];
  }
}

/** The CloudEvent of a lending event, at the business time of the change that caused it. */
export function lendingCloudEvent(event: LendingEvent, occurredAt: string): CloudEvent {
  return createEvent({
    type: event.type,
    id: lendingIds.event(event.type, ...eventBusinessKey(event)),
    source: LENDING_SOURCE,
    time: occurredAt,
    data: event.data,
  } as Parameters<typeof createEvent>[0]) as CloudEvent;
}
