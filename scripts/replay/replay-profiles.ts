/**
 * `npm run replay -- profiles`: rebuilds the profiles from the input topics into a fresh key
 * prefix, then recomputes the live decisions from the rebuilt profiles, each read as of that
 * decision's own instant (DESIGN.md, "Event time": replaying the log reproduces the same
 * profiles and decisions). Everything but the features comes from the stored decision (policy
 * version, line before, lending, budget standing), so a mismatch points at the profile.
 *
 * - **Each merchant's newest decision** is compared whole: the rebuilt store ends where the
 *   store stood when it was made.
 * - **Older decisions** are compared on what can be read as of an instant: the windows, the
 *   receivable, the first event, the currency. The latest-state fields (inventory, SKUs out of
 *   stock, the newest event, coverage: `LATEST_STATE_FIELDS`) describe the store after the
 *   last event, not as of the decision, so they are taken from the stored features, and the
 *   decision is recomputed with them. An older decision made while its `asOf` day was still
 *   arriving (no event of a later day in the store yet) saw a partial day bucket that no
 *   rebuild reproduces: it is skipped, and counted with its reason.
 *
 * Run it once the underwriter has caught up: an input event not yet decided shows up as a
 * mismatch of a newest decision.
 */
import { randomBytes } from 'node:crypto';
import {
  absentProfile,
  CreditDecisionRow,
  DECISION_PAGE_SIZE_MAX,
  decodeProfileSnapshot,
  encodeProfileSnapshot,
  jsonDifferences,
  JsonValue,
  readDecisionPageById,
  readLatestLiveDecisionPage,
  recomputeDecision,
  StoredCreditDecision,
  storedDecisionOfRow,
} from '@lendstream/credit';
import { createDataSource } from '@lendstream/platform';
import {
  assertValidKeyPrefix,
  DEFAULT_KEY_PREFIX,
  type MerchantProfile,
  RedisProfileStore,
} from '@lendstream/profile';
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import {
  asOfDayWasComplete,
  LATEST_STATE_FIELDS,
  settledDays,
  withStoredLatestState,
} from './as-of-features';
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
  /** Each merchant's newest live decision, compared whole (also counted in the totals). */
  readonly newest: DecisionCounts;
  /** Older live decisions whose `asOf` day was complete: recomputed as of their instant, latest-state fields aside. */
  readonly older: DecisionCounts;
  /** Older live decisions made while their `asOf` day was arriving: the days before it compared. */
  readonly olderSettledDays: DecisionCounts;
  /** Older live decisions not compared, by reason. */
  readonly skipped: Readonly<Record<string, number>>;
  /** The fields the older decisions were not compared on, and why. */
  readonly notComparedForOlder: Readonly<Record<string, string>>;
}

export interface DecisionCounts {
  readonly checked: number;
  readonly matches: number;
  readonly mismatches: number;
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
    const newestIds = await newestLiveDecisionIds(dataSource, pageSize);
    const tally = new DecisionCheckTally();
    const counts = {
      newest: { checked: 0, matches: 0, mismatches: 0 },
      older: { checked: 0, matches: 0, mismatches: 0 },
      olderSettledDays: { checked: 0, matches: 0, mismatches: 0 },
    };
    const skipped: Record<string, number> = {};
    let featureDifferences = 0;
    let afterDecisionId: string | null = null;
    for (;;) {
      const page: CreditDecisionRow[] = await readDecisionPageById(
        dataSource.manager,
        afterDecisionId,
        pageSize,
      );
      for (const row of page) {
        if (row.shadow) continue;
        const stored = storedDecisionOfRow(row);
        const check = await checkDecision(store, stored, newestIds.has(row.decision_id));
        if ('skipped' in check) {
          skipped[check.skipped] = (skipped[check.skipped] ?? 0) + 1;
          continue;
        }
        if (check.featureDifferences.length > 0) featureDifferences += 1;
        const kind = counts[check.kind];
        kind.checked += 1;
        if (check.differences.length === 0) kind.matches += 1;
        else kind.mismatches += 1;
        tally.record({
          decisionId: row.decision_id,
          merchantId: row.merchant_id,
          policyVersion: row.policy_version,
          shadow: false,
          differences: check.differences,
        });
      }
      const last = page.at(-1);
      if (last === undefined || page.length < pageSize) break;
      afterDecisionId = last.decision_id;
    }
    return {
      ...tally.report(),
      rebuild,
      featureDifferences,
      keptPrefix: options.keep === true ? keyPrefix : null,
      ...counts,
      skipped,
      notComparedForOlder: LATEST_STATE_FIELDS,
    };
  } finally {
    if (options.keep !== true) await deleteKeysUnder(redis, keyPrefix).catch(() => undefined);
    if (dataSource.isInitialized) await dataSource.destroy();
    await redis.quit().catch(() => redis.disconnect());
  }
}

type DecisionCheck =
  | { readonly skipped: string }
  | {
      readonly kind: 'newest' | 'older' | 'olderSettledDays';
      /** Empty when it matches. */
      readonly differences: readonly string[];
      readonly featureDifferences: readonly string[];
    };

/**
 * One live decision against the rebuilt store: the newest whole; an older one as of its
 * instant with the stored latest-state fields, or, when its day was still arriving, on the
 * days before it (see as-of-features.ts).
 */
async function checkDecision(
  store: RedisProfileStore,
  stored: StoredCreditDecision,
  isNewest: boolean,
): Promise<DecisionCheck> {
  if (!isNewest && stored.inputs.features === null)
    return { skipped: 'no features stored: a manual command, made without the profile' };
  const fromStore = await rebuiltProfile(store, stored);
  const differ = (expected: JsonValue | null, actual: JsonValue) =>
    jsonDifferences(expected, actual, DIFFERENCES_PER_MISMATCH, '$.features');
  if (!isNewest) {
    let storedProfile: MerchantProfile;
    try {
      storedProfile = decodeProfileSnapshot(stored.inputs.features!);
    } catch (error) {
      // Reported, not thrown: a replay covers every row (as recomputeDecision does).
      const problem = `cannot read the stored features: ${error instanceof Error ? error.message : String(error)}`;
      return { kind: 'older', differences: [problem], featureDifferences: [problem] };
    }
    if (!asOfDayWasComplete(storedProfile)) {
      const differences = differ(settledDays(storedProfile), settledDays(fromStore));
      return { kind: 'olderSettledDays', differences, featureDifferences: differences };
    }
  }
  const encoded = encodeProfileSnapshot(fromStore);
  const rebuilt = isNewest ? encoded : withStoredLatestState(stored.inputs.features, encoded);
  const featureDifferences = differ(stored.inputs.features, rebuilt);
  const result = recomputeDecision({ ...stored, inputs: { ...stored.inputs, features: rebuilt } });
  return {
    kind: isNewest ? 'newest' : 'older',
    // The features say why the outputs moved; they are only listed when the outputs did.
    differences: result.matches ? [] : [...result.mismatches, ...featureDifferences],
    featureDifferences,
  };
}

/** The id of each merchant's newest live decision (one per merchant, paged by merchant). */
async function newestLiveDecisionIds(dataSource: DataSource, pageSize: number): Promise<Set<string>> {
  const ids = new Set<string>();
  let afterMerchantId: string | null = null;
  for (;;) {
    const page: CreditDecisionRow[] = await readLatestLiveDecisionPage(
      dataSource.manager,
      afterMerchantId,
      pageSize,
    );
    for (const row of page) ids.add(row.decision_id);
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) return ids;
    afterMerchantId = last.merchant_id;
  }
}

/**
 * The profile the decision would have seen from the rebuilt store: read as of the instant its
 * own features were read (their `asOf`, exactly as stored), or the empty profile the
 * underwriter uses when a merchant has none (fail closed).
 */
async function rebuiltProfile(
  store: RedisProfileStore,
  stored: StoredCreditDecision,
): Promise<MerchantProfile> {
  const features = stored.inputs.features;
  const asOf =
    features !== null && typeof features === 'object' && !Array.isArray(features) && 'asOf' in features
      ? String(features.asOf)
      : stored.decidedAt;
  const profile = await store.readWindows(stored.merchantId, new Date(asOf));
  return profile ?? absentProfile(stored.merchantId, asOf);
}
