import { z } from 'zod';
import { MAX_AMOUNT_MINOR } from '@lendstream/contracts';

/**
 * The lending parameters: validated data with a version, so that a loan can say which rules
 * it was made under. docs/lending.md explains every number; change them there and here
 * together.
 */
export interface LendingPolicy {
  readonly version: string;
  /**
   * Interest, due dates and days past due count UTC calendar days. The only convention there
   * is; it is a field so that the rule is stated where the numbers are, and so that adding
   * another (a merchant's local day) would be a visible change of version.
   */
  readonly interestDayConvention: 'UTC_CALENDAR_DAY';
  /** Shortest and longest loan term a drawdown may ask for, in days. */
  readonly termDaysMin: number;
  readonly termDaysMax: number;
  /** Smallest drawdown per currency, in minor units. A currency missing here is not lent in. */
  readonly drawdownMinMinor: Readonly<Record<string, bigint>>;
  /** Most loans one merchant may have open (awaiting disbursement or active) at once. */
  readonly openLoansPerMerchantMax: number;
  /** Share of every settlement withheld to repay the merchant's loans, in basis points. */
  readonly holdbackShareBps: number;
  /** Days past due at which an active loan is written off. */
  readonly writeOffDaysPastDue: number;
}

/** The contract's own bound on `termDays` (scf.drawdown-requests.v1): a policy can only narrow it. */
export const TERM_DAYS_CONTRACT_MAX = 365;
/** Two years past due: a policy that waits longer is not writing anything off. */
export const WRITE_OFF_DAYS_PAST_DUE_MAX = 730;
/**
 * The most days a loan can accrue interest: its longest term, plus the days past due until it
 * is written off, plus its disbursement day. Bounds every accrual catch-up.
 */
export const LOAN_ACCRUAL_DAYS_MAX = TERM_DAYS_CONTRACT_MAX + WRITE_OFF_DAYS_PAST_DUE_MAX + 1;

const whole = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const amountMinor = z
  .union([z.bigint(), z.string().regex(/^[0-9]{1,19}$/, 'must be a string of decimal digits')], {
    error: 'must be an amount in minor units (bigint or a string of digits)',
  })
  .transform((value) => BigInt(value))
  .pipe(z.bigint().min(1n, 'must be at least 1').max(MAX_AMOUNT_MINOR, 'must be at most 2^63 - 1'));

const lendingPolicySchema = z
  .strictObject({
    version: z
      .string()
      .regex(/^v[0-9]{1,4}(-[a-z0-9]{1,24})*$/, 'must look like v1 or v2-pilot')
      .max(64),
    interestDayConvention: z.literal('UTC_CALENDAR_DAY', { error: 'must be UTC_CALENDAR_DAY' }),
    termDaysMin: whole(1, TERM_DAYS_CONTRACT_MAX),
    termDaysMax: whole(1, TERM_DAYS_CONTRACT_MAX),
    drawdownMinMinor: z
      .record(z.string(), amountMinor)
      .refine((table) => Object.keys(table).length > 0, 'must price at least one currency'),
    openLoansPerMerchantMax: whole(1, 1_000),
    holdbackShareBps: whole(0, 10_000),
    writeOffDaysPastDue: whole(1, WRITE_OFF_DAYS_PAST_DUE_MAX),
  })
  .superRefine((policy, context) => {
    for (const currency of Object.keys(policy.drawdownMinMinor)) {
      if (!/^[A-Z]{3}$/.test(currency))
        context.addIssue({
          code: 'custom',
          path: ['drawdownMinMinor', currency],
          message: 'must be keyed by an ISO 4217 code such as CNY',
        });
    }
    if (policy.termDaysMin > policy.termDaysMax)
      context.addIssue({ code: 'custom', path: ['termDaysMin'], message: 'must not be above termDaysMax' });
  });

export class InvalidLendingPolicyError extends Error {
  constructor(
    readonly version: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid lending policy ${version}: ${problems.join('; ')}`);
    this.name = 'InvalidLendingPolicyError';
  }
}

/** Validates a policy (TypeScript data, or JSON with amounts as digit strings); throws naming every bad field. */
export function parseLendingPolicy(input: unknown): LendingPolicy {
  const result = lendingPolicySchema.safeParse(input);
  if (result.success) return deepFreeze(result.data);
  const version =
    typeof input === 'object' &&
    input !== null &&
    typeof (input as { version?: unknown }).version === 'string'
      ? (input as { version: string }).version
      : '(unversioned)';
  throw new InvalidLendingPolicyError(
    version,
    result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(policy)'}: ${issue.message}`),
  );
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

/**
 * The default policy, v1 (docs/lending.md says why each number is what it is). Parsed at
 * import, so a bad edit fails the process at boot and names the field.
 */
export const LENDING_POLICY_V1: LendingPolicy = parseLendingPolicy({
  version: 'v1',
  interestDayConvention: 'UTC_CALENDAR_DAY',
  // JD-style short inventory loans: a week covers one restock cycle; half a year is the longest
  // a receivable-backed advance should run before the receivables it rests on have turned over.
  termDaysMin: 7,
  termDaysMax: 180,
  // One step of the credit policy's limit rounding (100 yuan, 10 dollars): smaller drawdowns
  // cost a treasury payment each and earn less interest than the payment costs.
  drawdownMinMinor: { CNY: 10_000n, USD: 1_000n },
  // Each settlement's holdback touches every open loan in one transaction; a genuine shop needs
  // a handful of concurrent inventory loans, not dozens.
  openLoansPerMerchantMax: 20,
  // 20 % of each settlement: leaves 80 % of the proceeds to restock with (the loan's purpose).
  holdbackShareBps: 2_000,
  // 90 days past due: the usual non-performing threshold (Basel "90 days past due").
  writeOffDaysPastDue: 90,
});

/**
 * v1 with another holdback share and write-off days past due (what the environment may set). A
 * changed policy gets its own version (`v1-h1500-w60`: holdback 15 %, write-off at 60 days), so a
 * loan records which rules it was drawn under; v1's own numbers keep `v1`.
 */
export function lendingPolicyOf(holdbackShareBps: number, writeOffDaysPastDue: number): LendingPolicy {
  const base = LENDING_POLICY_V1;
  if (holdbackShareBps === base.holdbackShareBps && writeOffDaysPastDue === base.writeOffDaysPastDue)
    return base;
  return parseLendingPolicy({
    ...base,
    version: `${base.version}-h${holdbackShareBps}-w${writeOffDaysPastDue}`,
    holdbackShareBps,
    writeOffDaysPastDue,
  });
}
