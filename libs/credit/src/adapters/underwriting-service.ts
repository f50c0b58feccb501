import type { CloudEvent } from '@lendstream/contracts';
import type { DataSource } from 'typeorm';
import { CHALLENGER_POLICY_VERSIONS, livePolicy, policyByVersion } from '../policy-registry';
import { lastDecidedAtOf } from './credit-line-store';
import { ProfileReader } from './profile-reader';
import { underwriteInTransaction, UnderwritingOutcome, UnderwritingPolicies } from './underwrite-merchant';

export type ProfileChangedSignal = CloudEvent<'profile.changed'>;

/** The live policy and every registered challenger in shadow. */
export const defaultUnderwritingPolicies = (): UnderwritingPolicies => ({
  live: livePolicy(),
  challengers: CHALLENGER_POLICY_VERSIONS.map(policyByVersion),
});

/** Most merchants one call decides: a transport batch is bounded by its size anyway. */
export const SIGNALS_PER_CALL_MAX = 10_000;

interface MerchantSignals {
  readonly merchantId: string;
  /** The newest signal (by asOf; the later one on a tie): the decision is made as of it. */
  readonly newest: ProfileChangedSignal;
  /** Every signal of the merchant in the batch: all go to the inbox with the decision. */
  readonly all: ProfileChangedSignal[];
}

/** One entry per merchant, in first-seen order. Pure. */
export function groupSignalsByMerchant(signals: readonly ProfileChangedSignal[]): MerchantSignals[] {
  const byMerchant = new Map<string, { newest: ProfileChangedSignal; all: ProfileChangedSignal[] }>();
  for (const signal of signals) {
    const merchantId = signal.data.merchantId;
    const seen = byMerchant.get(merchantId);
    if (seen === undefined) {
      byMerchant.set(merchantId, { newest: signal, all: [signal] });
      continue;
    }
    seen.all.push(signal);
    if (Date.parse(signal.data.asOf) >= Date.parse(seen.newest.data.asOf)) seen.newest = signal;
  }
  return [...byMerchant].map(([merchantId, entry]) => ({ merchantId, ...entry }));
}

const laterOf = (a: string, b: string | null): string => (b !== null && b > a ? b : a);

/**
 * The underwriter's use case: profile signals in, decisions out. Each merchant gets one
 * decision per batch, as of its newest signal, or as of its last decision if that is newer (a
 * late event signals an old time; deciding as of it would move the line back in time, so the
 * late event is counted by reading the profile as of the newer instant). The profile is read
 * outside the transaction (Redis is not held under a database lock); everything else is one
 * transaction per merchant, so one merchant's failure does not undo another's decision.
 * Redis and Postgres errors are thrown: the transport retries the batch, and the inbox makes
 * the merchants already decided no-ops.
 */
export class UnderwritingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfileReader,
    private readonly policies: UnderwritingPolicies = defaultUnderwritingPolicies(),
  ) {}

  async underwriteSignals(signals: readonly ProfileChangedSignal[]): Promise<UnderwritingOutcome[]> {
    if (signals.length > SIGNALS_PER_CALL_MAX)
      throw new RangeError(`${signals.length} signals in one call; at most ${SIGNALS_PER_CALL_MAX}`);
    const outcomes: UnderwritingOutcome[] = [];
    for (const merchant of groupSignalsByMerchant(signals)) outcomes.push(await this.underwrite(merchant));
    return outcomes;
  }

  private async underwrite({ merchantId, newest, all }: MerchantSignals): Promise<UnderwritingOutcome> {
    const signalAsOf = new Date(newest.data.asOf).toISOString();
    const now = laterOf(signalAsOf, await lastDecidedAtOf(this.dataSource.manager, merchantId));
    const profile = await this.profiles.readWindows(merchantId, new Date(now));
    return this.dataSource.transaction((manager) =>
      underwriteInTransaction(
        manager,
        {
          merchantId,
          now,
          profile,
          trigger: { kind: 'signal', source: newest.source, id: newest.id },
          inboxEvents: all,
        },
        this.policies,
      ),
    );
  }
}
