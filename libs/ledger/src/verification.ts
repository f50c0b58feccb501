/**
 * What `npm run ledger -- verify` reports: every invariant it checked, and for each the
 * breaches it found. The checks themselves read Postgres (adapters/verify-ledger.ts); the
 * report is plain data so that a script, a test or an API can show it.
 */

/** One place where the books break an invariant. */
export interface Breach {
  /** What is wrong, in words a person can look up: an entry's key, "CNY LOANS_RECEIVABLE", a loan id. */
  readonly subject: string;
  /** How it is wrong, with the figures. */
  readonly detail: string;
}

/**
 * A check keeps at most this many breaches (it asks for one more, to know there are more).
 * A corrupted book can have millions; the first thousand are enough to start the repair,
 * and the report says when there were more.
 */
export const MAX_BREACHES_PER_CHECK = 1_000;

export interface CheckOutcome {
  readonly name: string;
  readonly description: string;
  /** At most MAX_BREACHES_PER_CHECK, in the check's order. */
  readonly breaches: readonly Breach[];
  /** More breaches than `breaches` holds were found. */
  readonly truncated: boolean;
  /** The check could not run (its message); the invariant is then unverified, which fails the verification. */
  readonly error: string | null;
}

export interface LedgerVerification {
  readonly outcomes: readonly CheckOutcome[];
  /** Breaches kept over every check (a truncated check counts MAX_BREACHES_PER_CHECK). */
  readonly breachCount: number;
  /** Checks that could not run. */
  readonly errorCount: number;
  /** No breach and no check that failed to run. */
  readonly ok: boolean;
}

/** The outcome of a check from what it returned: bounded, and marked when it was cut. */
export function checkOutcome(
  check: { readonly name: string; readonly description: string },
  found: readonly Breach[] | Error,
): CheckOutcome {
  if (found instanceof Error)
    return { ...describe(check), breaches: [], truncated: false, error: found.message || found.name };
  return {
    ...describe(check),
    breaches: found.slice(0, MAX_BREACHES_PER_CHECK),
    truncated: found.length > MAX_BREACHES_PER_CHECK,
    error: null,
  };
}

const describe = (check: { readonly name: string; readonly description: string }) => ({
  name: check.name,
  description: check.description,
});

export function ledgerVerification(outcomes: readonly CheckOutcome[]): LedgerVerification {
  const breachCount = outcomes.reduce((sum, outcome) => sum + outcome.breaches.length, 0);
  const errorCount = outcomes.filter((outcome) => outcome.error !== null).length;
  return { outcomes, breachCount, errorCount, ok: breachCount === 0 && errorCount === 0 };
}

/** Check names are what a person greps for in the output: unique, lower-case words joined by "-". */
export function assertCheckNames(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name))
      throw new RangeError(
        `ledger check name ${JSON.stringify(name)} must be lower-case words joined by "-"`,
      );
    if (seen.has(name)) throw new RangeError(`two ledger checks are named ${name}`);
    seen.add(name);
  }
}
