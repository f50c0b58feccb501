import { createEvent, type CloudEvent } from '@lendstream/contracts';
import type { CreditDecision } from '../credit-decision';
import { creditLineEventData } from '../credit-line-state';
import { uuidFromName } from './deterministic-uuid';

/**
 * The `scf.credit-lines.v1` event a live decision emits, or null when it emits none. Its id
 * derives from the decision, so a retried transaction writes the same event id (consumers
 * dedupe on it); its time is the decision's business time.
 *
 * The one place this event is built, for every kind of decision (the underwriter's and
 * operations' manual commands). `source` is the CloudEvents source of the topic's events
 * (UNDERWRITER_SOURCE), passed in so that this file depends on no use case.
 */
export function creditLineEvent(decision: CreditDecision, source: string): CloudEvent | null {
  if (decision.event === null || decision.next === null) return null;
  return createEvent({
    type: decision.event,
    id: uuidFromName(`credit-line-event\n${decision.input.decisionId}`),
    source,
    time: decision.input.now,
    data: creditLineEventData(decision.next),
  }) as CloudEvent;
}
