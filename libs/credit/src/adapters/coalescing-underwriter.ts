import { GroupCommit } from '@lendstream/messaging';
import type { UnderwritingOutcome } from './underwrite-merchant';
import { groupSignalsByMerchant, SIGNALS_PER_CALL_MAX, type DecisionTriggerEvent } from './underwriting-service';

/** What the coalescer drives: UnderwritingService, or anything that answers the same way. */
export interface TriggerUnderwriter {
  /** One outcome per merchant, in the order groupSignalsByMerchant gives the triggers' merchants. */
  underwriteSignals(triggers: readonly DecisionTriggerEvent[]): Promise<UnderwritingOutcome[]>;
}

/**
 * Group commit (GroupCommit) for the underwriter's consumers. kafkajs fetches every assigned
 * partition at once, hands each partition's batch to a worker of its own, and fetches again only
 * when every batch of the fetch is done. Decided partition by partition, a fetch costs one
 * transaction per partition, each paying the same fixed cost (a dozen statements, a commit's WAL
 * flush), and the next fetch waits for the slowest of them. Coalesced, the batches handed over
 * together (and any that arrive while a run is in flight) are decided as one call: one
 * transaction per fetch for a few hundred merchants, and a merchant's signal and loan event
 * (two topics, one partition number each) one decision instead of two racing ones.
 *
 * Each caller gets the outcomes of its own merchants, in its own groupSignalsByMerchant order,
 * exactly as if it had called the underwriter alone; a merchant in two callers' batches is
 * decided once, as of its newest trigger, and both get that outcome. A run takes at most
 * SIGNALS_PER_CALL_MAX triggers.
 */
export class CoalescingUnderwriter implements TriggerUnderwriter {
  private readonly runs: GroupCommit<readonly DecisionTriggerEvent[], UnderwritingOutcome[]>;

  constructor(underwriter: TriggerUnderwriter) {
    this.runs = new GroupCommit(
      async (calls) => outcomesPerCall(calls, await underwriter.underwriteSignals(calls.flat())),
      { weightOf: (triggers) => triggers.length, maxWeight: SIGNALS_PER_CALL_MAX },
    );
  }

  underwriteSignals(triggers: readonly DecisionTriggerEvent[]): Promise<UnderwritingOutcome[]> {
    if (triggers.length === 0) return Promise.resolve([]);
    return this.runs.submit(triggers);
  }
}

/**
 * Splits the outcomes of one call over the concatenated triggers of several back into one list
 * per call, each in the call's own groupSignalsByMerchant order. Throws if the outcomes do not
 * match the merchants (a broken answer is never handed out). Pure.
 */
export function outcomesPerCall(
  calls: ReadonlyArray<readonly DecisionTriggerEvent[]>,
  merged: readonly UnderwritingOutcome[],
): UnderwritingOutcome[][] {
  const merchants = groupSignalsByMerchant(calls.flat());
  if (merchants.length !== merged.length)
    throw new Error(`${merged.length} outcomes for ${merchants.length} merchants: cannot answer each caller`);
  const byMerchant = new Map(merchants.map(({ merchantId }, index) => [merchantId, merged[index]!]));
  return calls.map((triggers) =>
    groupSignalsByMerchant(triggers).map(({ merchantId }) => byMerchant.get(merchantId)!),
  );
}
