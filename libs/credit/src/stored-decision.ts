import { z } from 'zod';
import { CreditDecision, CreditDecisionInput, decideCredit, DecisionCommand } from './credit-decision';
import { CreditLineEventType } from './credit-line-state';
import { JsonValue, jsonDifferences, toJsonSafe } from './json-safe';
import { POLICY_REGISTRY, PolicyRegistry } from './policy-registry';
import { bigintString, decodeProfileSnapshot, encodeProfileSnapshot } from './profile-snapshot';
import { REASON_CODES } from './reason';

/**
 * A decision as a row stores it (jsonb columns), and its replay (issue 3, item 5):
 * `recomputeDecision` decodes the stored inputs, runs the pipeline again with the policy
 * version the decision used, and reports every difference. A replay must find none.
 */
export const STORED_DECISION_FORMAT = 1;

export interface StoredCreditDecision {
  readonly format: typeof STORED_DECISION_FORMAT;
  readonly decisionId: string;
  readonly merchantId: string;
  readonly policyVersion: string;
  readonly policyFingerprint: string;
  readonly decidedAt: string;
  /** What the decision saw. */
  readonly inputs: {
    readonly command: DecisionCommand;
    readonly features: JsonValue | null;
    readonly lending: JsonValue;
    readonly budget: JsonValue | null;
    readonly previousLine: JsonValue | null;
    readonly newCreditLineId: string;
  };
  /** What it concluded; compared as canonical JSON on replay. */
  readonly outputs: {
    readonly assessment: JsonValue | null;
    readonly event: CreditLineEventType | null;
    readonly nextLine: JsonValue | null;
    readonly budgetFit: JsonValue | null;
    readonly rejection: string | null;
  };
}

export function toStoredDecision(decision: CreditDecision): StoredCreditDecision {
  const { input } = decision;
  return {
    format: STORED_DECISION_FORMAT,
    decisionId: input.decisionId,
    merchantId: input.merchantId,
    policyVersion: decision.policyVersion,
    policyFingerprint: decision.policyFingerprint,
    decidedAt: input.now,
    inputs: {
      command: input.command,
      features: input.profile === null ? null : encodeProfileSnapshot(input.profile),
      lending: toJsonSafe(input.lending),
      budget: input.budget === null ? null : toJsonSafe(input.budget),
      previousLine: input.previousLine === null ? null : toJsonSafe(input.previousLine),
      newCreditLineId: input.newCreditLineId,
    },
    outputs: {
      assessment: decision.assessment === null ? null : toJsonSafe(decision.assessment),
      event: decision.event,
      nextLine: decision.next === null ? null : toJsonSafe(decision.next),
      budgetFit: decision.budgetFit === null ? null : toJsonSafe(decision.budgetFit),
      rejection: decision.rejection,
    },
  };
}

const lendingSchema = z.strictObject({
  outstandingMinor: bigintString,
  reservedMinor: bigintString,
  hasOverdueLoan: z.boolean(),
});
const budgetSchema = z.strictObject({
  budgetMinor: bigintString,
  othersExposureMinor: bigintString,
  othersCommittedMinor: bigintString,
  betterRankedWantMinor: bigintString,
  betterRankedFloorMinor: bigintString,
});
const lineSchema = z.strictObject({
  creditLineId: z.string(),
  merchantId: z.string(),
  currency: z.string(),
  status: z.enum(['ACTIVE', 'FROZEN', 'CLOSED']),
  limitMinor: bigintString,
  availableMinor: bigintString,
  outstandingMinor: bigintString,
  reservedMinor: bigintString,
  requestedLimitMinor: bigintString,
  dailyRateBps: z.number().int(),
  grade: z.string(),
  score: z.number().int(),
  reasons: z.array(z.strictObject({ code: z.enum(REASON_CODES), message: z.string() })),
  manualFreeze: z.boolean(),
  automaticFreezeSince: z.string().nullable(),
  softDeclineSince: z.string().nullable(),
  policyVersion: z.string(),
  decisionId: z.string(),
  profileAsOf: z.string(),
  decidedAt: z.string(),
});
const commandSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('underwrite') }),
  z.strictObject({ kind: z.literal('manual-freeze'), message: z.string() }),
  z.strictObject({ kind: z.literal('manual-unfreeze') }),
]);

function parseStored<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new RangeError(
    `stored ${field}: ${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
  );
}

/** A stored lending position (`inputs.lending`), decoded and checked. Throws naming the bad field. */
export const storedLendingPosition = (value: unknown): CreditDecisionInput['lending'] =>
  parseStored(lendingSchema, value, 'lending');

/** The decision's inputs, decoded and checked just after reading. Throws naming the bad field. */
export function storedDecisionInput(stored: StoredCreditDecision): CreditDecisionInput {
  if (stored.format !== STORED_DECISION_FORMAT)
    throw new RangeError(`stored decision format ${String(stored.format)} is not ${STORED_DECISION_FORMAT}`);
  const { inputs } = stored;
  return {
    decisionId: stored.decisionId,
    merchantId: stored.merchantId,
    now: stored.decidedAt,
    command: parseStored(commandSchema, inputs.command, 'command'),
    profile: inputs.features === null ? null : decodeProfileSnapshot(inputs.features),
    lending: parseStored(lendingSchema, inputs.lending, 'lending'),
    budget: inputs.budget === null ? null : parseStored(budgetSchema, inputs.budget, 'budget'),
    previousLine:
      inputs.previousLine === null ? null : parseStored(lineSchema, inputs.previousLine, 'previousLine'),
    newCreditLineId: inputs.newCreditLineId,
  };
}

export interface ReplayResult {
  readonly decisionId: string;
  readonly matches: boolean;
  /** Empty when the recomputed decision is identical; otherwise where it differs, JSON-path first. */
  readonly mismatches: readonly string[];
  readonly recomputed: StoredCreditDecision | null;
}

/** Recomputes a stored decision with the policy version it used, and reports every difference. */
export function recomputeDecision(
  stored: StoredCreditDecision,
  registry: PolicyRegistry = POLICY_REGISTRY,
): ReplayResult {
  let recomputed: StoredCreditDecision;
  try {
    const policy = registry.byVersion(stored.policyVersion);
    recomputed = toStoredDecision(decideCredit(storedDecisionInput(stored), policy));
  } catch (error) {
    // A replay reports on every decision rather than stopping at the first unreadable one.
    return {
      decisionId: stored.decisionId,
      matches: false,
      mismatches: [`cannot recompute: ${error instanceof Error ? error.message : String(error)}`],
      recomputed: null,
    };
  }
  const mismatches = [
    ...(recomputed.policyFingerprint === stored.policyFingerprint
      ? []
      : [
          `policy ${stored.policyVersion} changed since the decision (fingerprint ${stored.policyFingerprint.slice(0, 12)} → ${recomputed.policyFingerprint.slice(0, 12)})`,
        ]),
    ...jsonDifferences(
      stored.outputs as unknown as JsonValue,
      recomputed.outputs as unknown as JsonValue,
      20,
      '$.outputs',
    ),
  ];
  return { decisionId: stored.decisionId, matches: mismatches.length === 0, mismatches, recomputed };
}
