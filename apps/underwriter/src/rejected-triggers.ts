import {
  groupSignalsByMerchant,
  type DecisionTriggerEvent,
  type UnderwritingOutcome,
} from '@lendstream/credit';
import type { InboundMessage, RejectedMessage } from '@lendstream/messaging';

/**
 * The messages to dead-letter after a handled batch: every trigger of each merchant whose
 * outcome is `rejected` (UnderwritingService answers with one outcome per merchant, in the
 * order groupSignalsByMerchant gives them, each merchant with all its triggers). Messages the
 * handler did not pass on (a loan topic's other types) are never rejected. If the counts
 * disagree, nothing is rejected, and the error says so rather than dead-letter the wrong
 * messages. Pure.
 */
export function rejectedTriggers<E extends DecisionTriggerEvent>(
  messages: readonly InboundMessage<E>[],
  triggers: readonly E[],
  outcomes: readonly UnderwritingOutcome[],
): RejectedMessage[] {
  const merchants = groupSignalsByMerchant(triggers);
  if (merchants.length !== outcomes.length)
    throw new Error(`${outcomes.length} outcomes for ${merchants.length} merchants: cannot tell which to dead-letter`);
  const offsetOf = new Map<E, string>(messages.map((message) => [message.event, message.offset]));
  const rejected: RejectedMessage[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.kind !== 'rejected') return;
    for (const trigger of merchants[index]!.all) {
      const offset = offsetOf.get(trigger);
      if (offset !== undefined) rejected.push({ offset, violation: outcome.violation });
    }
  });
  return rejected;
}
