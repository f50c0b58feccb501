/**
 * `npm run replay -- decisions`: every stored decision, live and shadow, recomputed from the
 * features and inputs it stored with the policy version it used (issue 3, item 5). Any
 * difference means a decision can no longer be explained by its record: a policy edited in
 * place, a change of logic under an old version, or a tampered row.
 */
import {
  CreditDecisionRow,
  DECISION_PAGE_SIZE_MAX,
  POLICY_REGISTRY,
  PolicyRegistry,
  readDecisionPageById,
  recomputeDecision,
  storedDecisionOfRow,
} from '@lendstream/credit';
import { createDataSource } from '@lendstream/platform';
import { DecisionCheckReport, DecisionCheckTally } from './decision-check';

export const REPLAY_PAGE_SIZE_DEFAULT = 500;

export interface ReplayDecisionsOptions {
  readonly databaseUrl: string;
  /** Decisions per query, 1..DECISION_PAGE_SIZE_MAX. */
  readonly pageSize?: number;
  readonly registry?: PolicyRegistry;
}

export interface ReplayDecisionsReport extends DecisionCheckReport {
  readonly live: number;
  readonly shadow: number;
}

export async function runReplayDecisions(options: ReplayDecisionsOptions): Promise<ReplayDecisionsReport> {
  const pageSize = options.pageSize ?? REPLAY_PAGE_SIZE_DEFAULT;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > DECISION_PAGE_SIZE_MAX)
    throw new RangeError(`page size must be 1..${DECISION_PAGE_SIZE_MAX}, got ${pageSize}`);
  const registry = options.registry ?? POLICY_REGISTRY;
  const dataSource = createDataSource({
    databaseUrl: options.databaseUrl,
    applicationName: 'lendstream-replay',
    poolSize: 1,
  });
  await dataSource.initialize();
  try {
    const tally = new DecisionCheckTally();
    let live = 0;
    let shadow = 0;
    let afterDecisionId: string | null = null;
    for (;;) {
      const page: CreditDecisionRow[] = await readDecisionPageById(
        dataSource.manager,
        afterDecisionId,
        pageSize,
      );
      for (const row of page) {
        if (row.shadow) shadow += 1;
        else live += 1;
        const result = recomputeDecision(storedDecisionOfRow(row), registry);
        tally.record({
          decisionId: row.decision_id,
          merchantId: row.merchant_id,
          policyVersion: row.policy_version,
          shadow: row.shadow,
          differences: result.mismatches,
        });
      }
      const last = page.at(-1);
      if (last === undefined || page.length < pageSize) break;
      afterDecisionId = last.decision_id;
    }
    return { ...tally.report(), live, shadow };
  } finally {
    await dataSource.destroy();
  }
}
