import { err, ok, Result } from '@lendstream/contracts';

/**
 * How the simulated treasury answers `disbursement.requested`: after `delayMs`, it settles
 * the request or fails a share of them. The share is in basis points (10,000 = every
 * request), like every rate in Lendstream, so that "5 %" is an exact integer and the
 * decision a comparison of integers.
 */
export interface TreasurySettings {
  /** How long after a request arrives its confirmation is published (milliseconds). */
  readonly delayMs: number;
  /** Share of requests that fail, in basis points: 0 (none) to 10,000 (all). */
  readonly failShareBps: number;
  /** The same seed gives every disbursement the same answer, on every run and every machine. */
  readonly seed: string;
}

export const BPS_PER_UNIT = 10_000;

export const TREASURY_LIMITS = {
  /** An hour: a confirmation held longer is an outage, not a simulated delay. */
  delayMsMax: 3_600_000,
  failShareBpsMax: BPS_PER_UNIT,
  seedLengthMax: 128,
} as const;

export const DEFAULT_TREASURY_SETTINGS: TreasurySettings = {
  delayMs: 2_000,
  failShareBps: 500,
  seed: 'lendstream',
};

const isWholeNumberIn = (value: number, min: number, max: number): boolean =>
  Number.isSafeInteger(value) && value >= min && value <= max;

/** Checks settings; the error names the offending field (`delayMs: ...`). */
export function checkTreasurySettings(settings: TreasurySettings): Result<TreasurySettings, string> {
  if (!isWholeNumberIn(settings.delayMs, 0, TREASURY_LIMITS.delayMsMax)) {
    return err(`delayMs: must be a whole number of milliseconds from 0 to ${TREASURY_LIMITS.delayMsMax}`);
  }
  if (!isWholeNumberIn(settings.failShareBps, 0, TREASURY_LIMITS.failShareBpsMax)) {
    return err(
      `failShareBps: must be a whole number of basis points from 0 to ${TREASURY_LIMITS.failShareBpsMax}`,
    );
  }
  if (
    typeof settings.seed !== 'string' ||
    settings.seed.length === 0 ||
    settings.seed.length > TREASURY_LIMITS.seedLengthMax
  ) {
    return err(`seed: must be 1 to ${TREASURY_LIMITS.seedLengthMax} characters`);
  }
  return ok(settings);
}

/** A share written as a decimal from 0 to 1 with at most four decimals: one basis point. */
const SHARE = /^(0|1)(\.(\d{1,4}))?$/;

/**
 * Reads a share such as `0.05` into basis points (500), exactly: the text is split at the
 * point instead of going through a float, so `0.0001` is 1 bp and never 0.99999.
 */
export function parseShareAsBps(text: string): Result<number, string> {
  const match = SHARE.exec(text.trim());
  if (match === null) {
    return err(`must be a share from 0 to 1 with at most four decimals (such as 0.05), got "${text}"`);
  }
  const units = Number(match[1]);
  const fraction = Number((match[3] ?? '').padEnd(4, '0'));
  const bps = units * BPS_PER_UNIT + fraction;
  if (bps > BPS_PER_UNIT) return err(`must be at most 1, got "${text}"`);
  return ok(bps);
}
