import { z } from 'zod';
import { CreditPolicy, POLICY_AMOUNT_MINOR_MAX, SCORE_MAX } from './policy';

/**
 * The policy's schema: every number has a floor and a ceiling, every money table covers
 * exactly the policy's currencies, and fields that must agree (weights, bands, recovery
 * inside its trigger) are checked together. A bad policy names the field in the error.
 */
const whole = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const basisPoints = (max = 10_000) => whole(0, max);
const amountMinor = z
  .union([z.bigint(), z.string().regex(/^[0-9]{1,19}$/, 'must be a string of decimal digits')], {
    error: 'must be an amount in minor units (bigint or a string of digits)',
  })
  .transform((value) => BigInt(value))
  .pipe(z.bigint().min(0n, 'must not be negative').max(POLICY_AMOUNT_MINOR_MAX, 'must be at most 2^63 - 1'));
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY');
const amountsByCurrency = z.record(currencyCode, amountMinor);

const gradeBand = z.object({
  grade: z.string().regex(/^[A-Z][A-Z0-9+-]{0,15}$/, 'must be a short upper-case grade such as A'),
  scoreMin: whole(0, SCORE_MAX),
  dailyRateBps: basisPoints(),
  capMinor: amountsByCurrency,
});

const creditPolicyObject = z.strictObject({
  version: z
    .string()
    .regex(/^v[0-9]{1,4}(-[a-z0-9]{1,24})*$/, 'must look like v1 or v2-challenger')
    .max(64),
  summary: z.string().min(1, 'must say what the version is for').max(500),
  currencies: z.array(currencyCode).min(1, 'must name at least one currency').max(32),
  eligibility: z.strictObject({
    tenureDaysMin: whole(0, 3_650),
    activeDaysIn30DaysMin: whole(0, 30),
    activeDaysIn7DaysMin: whole(0, 7),
    paidOrdersIn30DaysMin: whole(0, 1_000_000),
    netGmvIn30DaysMinMinor: amountsByCurrency,
    rateSampleMin: whole(1, 1_000_000),
    refundRateMaxBps: basisPoints(),
    cancelRateMaxBps: basisPoints(),
    lateDeliveryRateMaxBps: basisPoints(),
    returnRateMaxBps: basisPoints(),
    stockoutsIn30DaysMax: whole(0, 10_000),
    gmvDeclineMaxBps: basisPoints(),
    trendPriorDaysMin: whole(1, 60),
    scoreMin: whole(0, SCORE_MAX),
  }),
  freeze: z.strictObject({
    stockoutsIn7DaysMin: whole(1, 10_000),
    stockKeepingUnitsOutOfStockMin: whole(1, 10_000),
    refundsIn7DaysMin: whole(1, 1_000_000),
    refundRateIn7DaysMinBps: basisPoints(1_000_000),
    gmvSpikeMinBps: basisPoints(10_000_000).nullable(),
    spikeBaselineDaysMin: whole(1, 83),
  }),
  unfreeze: z.strictObject({
    stockoutsIn7DaysMax: whole(0, 10_000),
    stockKeepingUnitsOutOfStockMax: whole(0, 10_000),
    refundRateIn7DaysMaxBps: basisPoints(1_000_000),
    gmvSpikeMaxBps: basisPoints(10_000_000),
    frozenDaysMin: whole(0, 365),
  }),
  sizing: z.strictObject({
    receivablesAdvanceRateBps: basisPoints(),
    inventoryAdvanceRateBps: basisPoints(),
    netGmvIn30DaysMultipleBps: basisPoints(100_000),
    limitStepMinor: amountsByCurrency,
  }),
  score: z.strictObject({
    refundRate: whole(0, SCORE_MAX),
    cancelRate: whole(0, SCORE_MAX),
    lateDeliveryRate: whole(0, SCORE_MAX),
    returnRate: whole(0, SCORE_MAX),
    stockouts: whole(0, SCORE_MAX),
    gmvTrend: whole(0, SCORE_MAX),
    tenure: whole(0, SCORE_MAX),
    tenureMatureDays: whole(1, 3_650),
  }),
  grades: z.array(gradeBand).min(1, 'must have at least one grade').max(10),
  hysteresis: z.strictObject({
    limitChangeMinBps: basisPoints(),
    limitChangeMinMinor: amountsByCurrency,
    gradeScoreMargin: whole(0, 200),
    regainAfterDays: whole(0, 90),
    // Optional: absent in the versions decided before it existed, so their fingerprints stay as stored.
    dampBudgetCuts: z.boolean().optional(),
    strictBudgetCuts: z.boolean().optional(),
  }),
  close: z.strictObject({ afterSilenceDays: whole(1, 3_650) }),
  // Optional: absent in the versions decided before it existed, so their fingerprints stay as stored.
  failClosed: z.strictObject({ holdOnPartialHistory: z.boolean() }).optional(),
});

type PolicyInput = z.output<typeof creditPolicyObject>;
type Problem = { readonly path: (string | number)[]; readonly message: string };

/** Every money table must price every currency the policy lends in, and nothing else. */
function currencyCoverageProblems(policy: PolicyInput): Problem[] {
  const tables: [(string | number)[], Record<string, bigint>][] = [
    [['eligibility', 'netGmvIn30DaysMinMinor'], policy.eligibility.netGmvIn30DaysMinMinor],
    [['sizing', 'limitStepMinor'], policy.sizing.limitStepMinor],
    [['hysteresis', 'limitChangeMinMinor'], policy.hysteresis.limitChangeMinMinor],
    ...policy.grades.map((band, index): [(string | number)[], Record<string, bigint>] => [
      ['grades', index, 'capMinor'],
      band.capMinor,
    ]),
  ];
  const problems: Problem[] = [];
  if (new Set(policy.currencies).size !== policy.currencies.length)
    problems.push({ path: ['currencies'], message: 'must not repeat a currency' });
  for (const [path, table] of tables) {
    for (const currency of policy.currencies) {
      if (table[currency] === undefined)
        problems.push({ path: [...path, currency], message: 'is required for every policy currency' });
    }
    for (const currency of Object.keys(table)) {
      if (!policy.currencies.includes(currency))
        problems.push({ path: [...path, currency], message: 'is not one of the policy currencies' });
    }
  }
  for (const currency of policy.currencies) {
    if (policy.sizing.limitStepMinor[currency] === 0n)
      problems.push({ path: ['sizing', 'limitStepMinor', currency], message: 'must be at least 1' });
  }
  return problems;
}

/** Bands: best first, floors strictly falling, the last at 0, names unique. */
function gradeProblems(policy: PolicyInput): Problem[] {
  const problems: Problem[] = [];
  const { grades } = policy;
  if (new Set(grades.map((band) => band.grade)).size !== grades.length)
    problems.push({ path: ['grades'], message: 'grade names must be unique' });
  grades.forEach((band, index) => {
    if (index > 0 && band.scoreMin >= grades[index - 1]!.scoreMin) {
      problems.push({
        path: ['grades', index, 'scoreMin'],
        message: "must be below the previous (better) grade's scoreMin",
      });
    }
  });
  if (grades.length > 0 && grades[grades.length - 1]!.scoreMin !== 0) {
    problems.push({
      path: ['grades', grades.length - 1, 'scoreMin'],
      message: 'the last grade must start at 0 so every score has a grade',
    });
  }
  return problems;
}

/** Relations between fields: weights that add up, recovery thresholds strictly inside their triggers. */
function consistencyProblems(policy: PolicyInput): Problem[] {
  const problems: Problem[] = [];
  const { score, freeze, unfreeze } = policy;
  const weightTotal =
    score.refundRate +
    score.cancelRate +
    score.lateDeliveryRate +
    score.returnRate +
    score.stockouts +
    score.gmvTrend +
    score.tenure;
  if (weightTotal !== SCORE_MAX)
    problems.push({ path: ['score'], message: `weights must sum to ${SCORE_MAX}, got ${weightTotal}` });
  if (score.tenureMatureDays < policy.eligibility.tenureDaysMin) {
    problems.push({
      path: ['score', 'tenureMatureDays'],
      message: 'must be at least eligibility.tenureDaysMin',
    });
  }
  // A recovery threshold at or past its trigger would let a line unfreeze and refreeze on every event.
  if (unfreeze.stockoutsIn7DaysMax >= freeze.stockoutsIn7DaysMin) {
    problems.push({
      path: ['unfreeze', 'stockoutsIn7DaysMax'],
      message: 'must be below freeze.stockoutsIn7DaysMin',
    });
  }
  if (unfreeze.stockKeepingUnitsOutOfStockMax >= freeze.stockKeepingUnitsOutOfStockMin) {
    problems.push({
      path: ['unfreeze', 'stockKeepingUnitsOutOfStockMax'],
      message: 'must be below freeze.stockKeepingUnitsOutOfStockMin',
    });
  }
  if (unfreeze.refundRateIn7DaysMaxBps >= freeze.refundRateIn7DaysMinBps) {
    problems.push({
      path: ['unfreeze', 'refundRateIn7DaysMaxBps'],
      message: 'must be below freeze.refundRateIn7DaysMinBps',
    });
  }
  if (freeze.gmvSpikeMinBps !== null && unfreeze.gmvSpikeMaxBps >= freeze.gmvSpikeMinBps) {
    problems.push({ path: ['unfreeze', 'gmvSpikeMaxBps'], message: 'must be below freeze.gmvSpikeMinBps' });
  }
  return problems;
}

export const creditPolicySchema = creditPolicyObject.superRefine((policy, context) => {
  for (const problem of [
    ...currencyCoverageProblems(policy),
    ...gradeProblems(policy),
    ...consistencyProblems(policy),
  ]) {
    context.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  }
});

export class InvalidCreditPolicyError extends Error {
  constructor(
    readonly version: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid credit policy ${version}: ${problems.join('; ')}`);
    this.name = 'InvalidCreditPolicyError';
  }
}

/** Validates a policy (TypeScript data, or JSON with amounts as digit strings); throws naming every bad field. */
export function parseCreditPolicy(input: unknown): CreditPolicy {
  const result = creditPolicySchema.safeParse(input);
  if (result.success) return result.data;
  const version =
    typeof input === 'object' &&
    input !== null &&
    typeof (input as { version?: unknown }).version === 'string'
      ? (input as { version: string }).version
      : '(unversioned)';
  throw new InvalidCreditPolicyError(
    version,
    result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(policy)'}: ${issue.message}`),
  );
}
