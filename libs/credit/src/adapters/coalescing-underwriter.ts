import { SIGNALS_PER_CALL_MAX, groupSignalsByMerchant, type DecisionTriggerEvent } from './underwriting-service';
import type { UnderwritingOutcome } from './underwrite-merchant';

/** What the coalescer drives: UnderwritingService, or anything that answers the same way. */
export interface TriggerUnderwriter {
  /** One outcome per merchant, in the order groupSignalsByMerchant gives the triggers' merchants. */
  underwriteSignals(triggers: readonly DecisionTriggerEvent[]): Promise<UnderwritingOutcome[]>;
}

interface Waiting {
  readonly triggers: readonly DecisionTriggerEvent[];
  readonly resolve: (outcomes: UnderwritingOutcome[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for the underwriter's consumers. kafkajs fetches every assigned partition at
 * once, hands each partition's batch to a worker of its own, and fetches again only when every
 * batch of the fetch is done. Decided partition by partition, a fetch costs one transaction per
 * partition, each paying the same fixed cost (a dozen statements, a commit's WAL flush), and
 * the next fetch waits for the slowest of them. Coalesced, the batches handed over together
 * (and any that arrive while a run is in flight) are decided as one call: one transaction per
 * fetch for a few hundred merchants, a merchant's signal and loan event (two topics, one
 * partition number each) in one decision instead of two racing ones.
 *
 * One run at a time: calls that arrive during a run wait for it and go together into the next.
 * Each caller gets the outcomes of its own merchants, in its own groupSignalsByMerchant order,
 * exactly as if it had called the underwriter alone; a merchant in two callers' batches is
 * decided once, as of its newest trigger, and both get that outcome. A run that fails fails
 * every call in it: each caller's transport retries its own batch, and the inbox makes the
 * retried triggers of a run that did commit no-ops. A run takes at most SIGNALS_PER_CALL_MAX
 * triggers (whole calls; a call larger than that alone runs alone, and fails as it would alone).
 */
export class CoalescingUnderwriter implements TriggerUnderwriter {
  private waiting: Waiting[] = [];
  private running = false;

  constructor(private readonly underwriter: TriggerUnderwriter) {}

  underwriteSignals(triggers: readonly DecisionTriggerEvent[]): Promise<UnderwritingOutcome[]> {
    if (triggers.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ triggers, resolve, reject });
      // The other partitions' batches of the same fetch reach here within the same turn of the
      // event loop (their workers start together); setImmediate lets them join this run.
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.runWhileWaiting());
      }
    });
  }

  private async runWhileWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      const run = takeRun(this.waiting);
      this.waiting = this.waiting.slice(run.length);
      await this.runOnce(run);
    }
    this.running = false;
  }

  private async runOnce(run: readonly Waiting[]): Promise<void> {
    try {
      const merged = await this.underwriter.underwriteSignals(run.flatMap(({ triggers }) => triggers));
      const answers = outcomesPerCall(
        run.map(({ triggers }) => triggers),
        merged,
      );
      run.forEach((call, index) => call.resolve(answers[index]!));
    } catch (error) {
      for (const call of run) call.reject(error);
    }
  }
}

/** The calls of the next run: the oldest, and the ones after it while the run stays within SIGNALS_PER_CALL_MAX. */
function takeRun(waiting: readonly Waiting[]): Waiting[] {
  const run = [waiting[0]!];
  let size = run[0]!.triggers.length;
  for (const call of waiting.slice(1)) {
    if (size + call.triggers.length > SIGNALS_PER_CALL_MAX) break;
    run.push(call);
    size += call.triggers.length;
  }
  return run;
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
