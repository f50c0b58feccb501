/**
 * `npm run policy -- diff`: how a challenger policy, run in shadow beside the live one, would
 * have decided differently (issue 3, item 6): each shadow decision beside its live twin (same
 * trigger, same merchant), tallied by merchant archetype. Reads only; writes nothing.
 */
import {
  CHALLENGER_POLICY_VERSIONS,
  DECISION_PAGE_SIZE_MAX,
  readShadowDecisionPairs,
  ShadowDecisionPair,
} from '@lendstream/credit';
import { createDataSource } from '@lendstream/platform';
import { merchantRoster, type MarketConfig } from '@lendstream/simulation';
import { compareLineOf, GroupDiff, GroupDiffTally } from './line-comparison';

export const UNKNOWN_ARCHETYPE = 'unknown';
export const ALL_MERCHANTS = 'all';
const PAGE_SIZE_DEFAULT = 500;

export interface PolicyDiffOptions {
  readonly databaseUrl: string;
  /** Default: the first registered challenger. */
  readonly challenger?: string;
  /** The simulated market the merchants came from, to label them by archetype; else "unknown". */
  readonly market?: MarketConfig;
  readonly pageSize?: number;
}

export interface PolicyDiffReport {
  readonly challenger: string;
  /** One row per archetype, by name, then ALL_MERCHANTS over every pair. */
  readonly groups: readonly GroupDiff[];
}

export async function runPolicyDiff(options: PolicyDiffOptions): Promise<PolicyDiffReport> {
  const challenger = options.challenger ?? CHALLENGER_POLICY_VERSIONS[0];
  if (challenger === undefined) throw new RangeError('no challenger policy is registered');
  const pageSize = options.pageSize ?? PAGE_SIZE_DEFAULT;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > DECISION_PAGE_SIZE_MAX)
    throw new RangeError(`page size must be 1..${DECISION_PAGE_SIZE_MAX}, got ${pageSize}`);
  const archetypeOf = archetypeLabeller(options.market);
  const dataSource = createDataSource({
    databaseUrl: options.databaseUrl,
    applicationName: 'lendstream-policy-diff',
    poolSize: 1,
  });
  await dataSource.initialize();
  try {
    const tallies = new Map<string, GroupDiffTally>();
    const everyone = new GroupDiffTally(ALL_MERCHANTS);
    let after: string | null = null;
    for (;;) {
      const page: ShadowDecisionPair[] = await readShadowDecisionPairs(
        dataSource.manager,
        challenger,
        after,
        pageSize,
      );
      for (const pair of page) {
        const live = compareLineOf(pair.liveLine);
        const shadow = compareLineOf(pair.shadowLine);
        const group = archetypeOf(pair.merchantId);
        let tally = tallies.get(group);
        if (tally === undefined) tallies.set(group, (tally = new GroupDiffTally(group)));
        tally.add(live, shadow);
        everyone.add(live, shadow);
      }
      const last = page.at(-1);
      if (last === undefined || page.length < pageSize) break;
      after = last.shadowDecisionId;
    }
    const groups = [...tallies.keys()].sort().map((group) => tallies.get(group)!.result());
    return { challenger, groups: [...groups, everyone.result()] };
  } finally {
    await dataSource.destroy();
  }
}

function archetypeLabeller(market: MarketConfig | undefined): (merchantId: string) => string {
  if (market === undefined) return () => UNKNOWN_ARCHETYPE;
  const archetypes = new Map(
    merchantRoster(market).map((merchant) => [merchant.merchantId, merchant.archetype]),
  );
  return (merchantId) => archetypes.get(merchantId) ?? UNKNOWN_ARCHETYPE;
}
