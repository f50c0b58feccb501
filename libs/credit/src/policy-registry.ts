import { createHash } from 'node:crypto';
import {
  CREDIT_POLICY_V1,
  CREDIT_POLICY_V2_CHALLENGER,
  CREDIT_POLICY_V3,
  CREDIT_POLICY_V3_CHALLENGER,
  CREDIT_POLICY_V4,
  CREDIT_POLICY_V4_CHALLENGER,
} from './default-policy';
import { canonicalJson, toJsonSafe } from './json-safe';
import { CreditPolicy } from './policy';
import { parseCreditPolicy } from './policy-schema';

/**
 * Every policy version that ever made a decision, so that a stored decision can be recomputed
 * with exactly the policy it used. Versions are only ever added. Registered policies are
 * validated and deep-frozen: editing one in place would silently change history.
 */
export const LIVE_POLICY_VERSION = 'v4';
// v2-challenger and v3-challenger stay registered (their shadow decisions replay with them) but no longer run.
export const CHALLENGER_POLICY_VERSIONS: readonly string[] = ['v4-challenger'];

export class UnknownPolicyVersionError extends Error {
  constructor(
    readonly version: string,
    readonly knownVersions: readonly string[],
  ) {
    super(`Unknown credit policy version "${version}" (known: ${knownVersions.join(', ')})`);
    this.name = 'UnknownPolicyVersionError';
  }
}

export interface PolicyRegistry {
  readonly versions: readonly string[];
  /** Throws UnknownPolicyVersionError: a stored decision naming a missing version is a broken invariant. */
  byVersion(version: string): CreditPolicy;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

export function createPolicyRegistry(policies: readonly unknown[]): PolicyRegistry {
  const byVersion = new Map<string, CreditPolicy>();
  for (const input of policies) {
    const policy = deepFreeze(parseCreditPolicy(input));
    if (byVersion.has(policy.version))
      throw new RangeError(`credit policy version ${policy.version} is registered twice`);
    byVersion.set(policy.version, policy);
  }
  const versions = Object.freeze([...byVersion.keys()]);
  return {
    versions,
    byVersion(version: string): CreditPolicy {
      const policy = byVersion.get(version);
      if (policy === undefined) throw new UnknownPolicyVersionError(version, versions);
      return policy;
    },
  };
}

/** Built at import: an invalid built-in policy fails the process at boot, naming the field. */
export const POLICY_REGISTRY: PolicyRegistry = createPolicyRegistry([
  CREDIT_POLICY_V1,
  CREDIT_POLICY_V2_CHALLENGER,
  CREDIT_POLICY_V3,
  CREDIT_POLICY_V3_CHALLENGER,
  CREDIT_POLICY_V4,
  CREDIT_POLICY_V4_CHALLENGER,
]);

export const policyByVersion = (version: string): CreditPolicy => POLICY_REGISTRY.byVersion(version);

export const livePolicy = (): CreditPolicy => POLICY_REGISTRY.byVersion(LIVE_POLICY_VERSION);

/**
 * sha-256 of the policy's canonical JSON. A decision stores it beside the version, so a replay
 * can tell "the code changed the policy under an old version" from "the logic changed".
 */
export function policyFingerprint(policy: CreditPolicy): string {
  // Every decision stores it: hashing the policy each time cost more than deciding. Policies
  // are immutable data, so the fingerprint of one object never changes.
  let fingerprint = fingerprints.get(policy);
  if (fingerprint === undefined) {
    fingerprint = createHash('sha256')
      .update(canonicalJson(toJsonSafe(policy)))
      .digest('hex');
    fingerprints.set(policy, fingerprint);
  }
  return fingerprint;
}

const fingerprints = new WeakMap<CreditPolicy, string>();
