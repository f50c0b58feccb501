/**
 * `npm run replay -- profiles`: rebuilds the profiles from the input topics into a fresh key
 * prefix, then recomputes each merchant's newest live decision from the rebuilt profile read
 * as of that decision's own instant (DESIGN.md, "Event time": replaying the log reproduces the
 * same profiles and decisions). Everything but the features comes from the stored decision
 * (policy version, line before, lending, budget standing), so a mismatch points at the profile.
 *
 * Only the newest decision is checked: the profile store keeps the latest state, and parts of
 * a profile (inventory, stock-outs) are "latest", not "as of", so an older decision saw a
 * state the rebuilt store no longer holds. Run it once the underwriter has caught up: an input
 * event not yet decided shows up as a mismatch.
 */
import { randomBytes } from 'node:crypto';
import {
  absentProfile,
  CreditDecisionRow,
  DECISION_PAGE_SIZE_MAX,
  encodeProfileSnapshot,
  jsonDifferences,
  JsonValue,
  readLatestLiveDecisionPage,
  recomputeDecision,
  StoredCreditDecision,
  storedDecisionOfRow,
} from '@lendstream/credit';
import { createDataSource } from '@lendstream/platform';
import { assertValidKeyPrefix, DEFAULT_KEY_PREFIX, RedisProfileStore } from '@lendstream/profile';
import Redis from 'ioredis';
import { DecisionCheckReport, DecisionCheckTally, DIFFERENCES_PER_MISMATCH } from './decision-check';
import { deleteKeysUnder } from '../lib/redis-keys';
import { rebuildProfiles, RebuildProfilesReport } from './rebuild-profiles';
import { REPLAY_PAGE_SIZE_DEFAULT } from './replay-decisions';

export interface ReplayProfilesOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly brokers: readonly string[];
  /** Topic namespace of the inputs; undefined: the un-namespaced (live) topics. */
  readonly topicNamespace: string | undefined;
  /** The live prefix, which the rebuild must never write into; the fresh one is named after it. */
  readonly fromPrefix?: string;
  /** Keep the rebuilt keys (to inspect them) instead of deleting them at the end. */
  readonly keep?: boolean;
  readonly pageSize?: number;
  readonly timeoutMs?: number;
}

export interface ReplayProfilesReport extends DecisionCheckReport {
  readonly rebuild: RebuildProfilesReport;
  /** Checked decisions whose rebuilt features differ from the stored ones (a mismatch or not). */
  readonly featureDifferences: number;
  readonly keptPrefix: string | null;
}

/**
 * `<from>.r<time><random>`: unique per run (so it is fresh: a rebuild into keys that already
 * hold profiles would merge into them), never the live prefix itself, 1-32 characters.
 */
export function freshKeyPrefix(fromPrefix: string): string {
  const prefix = `${fromPrefix.slice(0, 12)}.r${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  assertValidKeyPrefix(prefix);
  return prefix;
}

export async function runReplayProfiles(options: ReplayProfilesOptions): Promise<ReplayProfilesReport> {
  const pageSize = options.pageSize ?? REPLAY_PAGE_SIZE_DEFAULT;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > DECISION_PAGE_SIZE_MAX)
    throw new RangeError(`page size must be 1..${DECISION_PAGE_SIZE_MAX}, got ${pageSize}`);
  const keyPrefix = freshKeyPrefix(options.fromPrefix ?? DEFAULT_KEY_PREFIX);
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, connectTimeout: 5_000 });
  const dataSource = createDataSource({
    databaseUrl: options.databaseUrl,
    applicationName: 'lendstream-replay',
    poolSize: 1,
  });
  try {
    const rebuild = await rebuildProfiles({
      brokers: options.brokers,
      topicNamespace: options.topicNamespace,
      redis,
      keyPrefix,
      groupId: `lendstream-replay-${keyPrefix}`,
      timeoutMs: options.timeoutMs,
    });
    await dataSource.initialize();
    const store = new RedisProfileStore(redis, { keyPrefix });
    const tally = new DecisionCheckTally();
    let featureDifferences = 0;
    let afterMerchantId: string | null = null;
    for (;;) {
      const page: CreditDecisionRow[] = await readLatestLiveDecisionPage(
        dataSource.manager,
        afterMerchantId,
        pageSize,
      );
      for (const row of page) {
        const stored = storedDecisionOfRow(row);
        const rebuilt = await rebuiltFeatures(store, stored);
        const features = jsonDifferences(
          stored.inputs.features,
          rebuilt,
          DIFFERENCES_PER_MISMATCH,
          '$.features',
        );
        if (features.length > 0) featureDifferences += 1;
        const result = recomputeDecision({ ...stored, inputs: { ...stored.inputs, features: rebuilt } });
        tally.record({
          decisionId: row.decision_id,
          merchantId: row.merchant_id,
          policyVersion: row.policy_version,
          shadow: false,
          // The features say why the outputs moved; they are only listed when the outputs did.
          differences: result.matches ? [] : [...result.mismatches, ...features],
        });
      }
      const last = page.at(-1);
      if (last === undefined || page.length < pageSize) break;
      afterMerchantId = last.merchant_id;
    }
    return {
      ...tally.report(),
      rebuild,
      featureDifferences,
      keptPrefix: options.keep === true ? keyPrefix : null,
    };
  } finally {
    if (options.keep !== true) await deleteKeysUnder(redis, keyPrefix).catch(() => undefined);
    if (dataSource.isInitialized) await dataSource.destroy();
    await redis.quit().catch(() => redis.disconnect());
  }
}

/**
 * The features the decision would have seen from the rebuilt store: read as of the instant
 * its own features were read (their `asOf`, exactly as stored), or the empty profile the
 * underwriter uses when a merchant has none (fail closed).
 */
async function rebuiltFeatures(store: RedisProfileStore, stored: StoredCreditDecision): Promise<JsonValue> {
  const features = stored.inputs.features;
  const asOf =
    features !== null && typeof features === 'object' && !Array.isArray(features) && 'asOf' in features
      ? String(features.asOf)
      : stored.decidedAt;
  const profile = await store.readWindows(stored.merchantId, new Date(asOf));
  return encodeProfileSnapshot(profile ?? absentProfile(stored.merchantId, asOf));
}
