/**
 * How a challenger's decision compares with the live one it ran beside, and the tallies a
 * policy diff keeps per group. Pure: no I/O, so the arithmetic is checked on its own.
 */

/** The part of a stored line (JSON, amounts as digit strings) a diff compares. */
export interface ComparedLine {
  readonly granted: boolean;
  /** What the line lends: its limit when granted, 0 otherwise (a frozen or closed line lends nothing). */
  readonly lendingLimitMinor: bigint;
  /** Daily rate in basis points; null when nothing is granted (a rate without a line means nothing). */
  readonly dailyRateBps: number | null;
  readonly currency: string | null;
}

const DIGITS = /^\d{1,40}$/;

/** A stored resulting_state as the diff sees it; throws on a line that is not one (checked just after reading). */
export function compareLineOf(line: Record<string, unknown> | null): ComparedLine {
  if (line === null) return { granted: false, lendingLimitMinor: 0n, dailyRateBps: null, currency: null };
  const { status, limitMinor, dailyRateBps, currency } = line;
  if (typeof limitMinor !== 'string' || !DIGITS.test(limitMinor))
    throw new RangeError(`stored line limitMinor is not a string of digits: ${String(limitMinor)}`);
  if (typeof dailyRateBps !== 'number' || !Number.isInteger(dailyRateBps))
    throw new RangeError(`stored line dailyRateBps is not an integer: ${String(dailyRateBps)}`);
  const limit = BigInt(limitMinor);
  const granted = status === 'ACTIVE' && limit > 0n;
  return {
    granted,
    lendingLimitMinor: granted ? limit : 0n,
    dailyRateBps: granted ? dailyRateBps : null,
    currency: typeof currency === 'string' ? currency : null,
  };
}

export interface GroupDiff {
  readonly group: string;
  readonly currency: string | null;
  /** Lines in more than one currency: the money columns then add unlike units and are not shown. */
  readonly mixedCurrencies: boolean;
  readonly pairs: number;
  readonly grantedByBoth: number;
  readonly declinedByBoth: number;
  /** Live declined, the challenger would grant. */
  readonly flipsToGranted: number;
  /** Live granted, the challenger would decline. */
  readonly flipsToDeclined: number;
  readonly limitsUp: number;
  readonly limitsDown: number;
  /** Sum of (challenger − live) lending limits, minor units. */
  readonly limitDeltaTotalMinor: bigint;
  /** Median of the non-zero deltas (lower-middle mean on an even count, truncated); 0 when none moved. */
  readonly limitDeltaMedianMinor: bigint;
  /** Both granted, the challenger prices higher / lower. */
  readonly ratesUp: number;
  readonly ratesDown: number;
}

/** Median of bigints: the middle one, or the mean of the two middle ones truncated toward zero. */
export function medianOf(values: readonly bigint[]): bigint {
  if (values.length === 0) return 0n;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2n;
}

/** Accumulates one group's diff pair by pair. */
export class GroupDiffTally {
  private pairs = 0;
  private grantedByBoth = 0;
  private declinedByBoth = 0;
  private flipsToGranted = 0;
  private flipsToDeclined = 0;
  private ratesUp = 0;
  private ratesDown = 0;
  private currency: string | null = null;
  private mixedCurrencies = false;
  // Kept to take the median; one bigint per moved limit.
  private readonly limitDeltas: bigint[] = [];

  constructor(private readonly group: string) {}

  add(live: ComparedLine, challenger: ComparedLine): void {
    this.pairs += 1;
    for (const currency of [live.currency, challenger.currency]) {
      if (currency === null) continue;
      this.currency ??= currency;
      if (currency !== this.currency) this.mixedCurrencies = true;
    }
    if (live.granted && challenger.granted) this.grantedByBoth += 1;
    else if (!live.granted && !challenger.granted) this.declinedByBoth += 1;
    else if (challenger.granted) this.flipsToGranted += 1;
    else this.flipsToDeclined += 1;
    const delta = challenger.lendingLimitMinor - live.lendingLimitMinor;
    if (delta !== 0n) this.limitDeltas.push(delta);
    if (live.dailyRateBps !== null && challenger.dailyRateBps !== null) {
      if (challenger.dailyRateBps > live.dailyRateBps) this.ratesUp += 1;
      if (challenger.dailyRateBps < live.dailyRateBps) this.ratesDown += 1;
    }
  }

  result(): GroupDiff {
    return {
      group: this.group,
      currency: this.currency,
      mixedCurrencies: this.mixedCurrencies,
      pairs: this.pairs,
      grantedByBoth: this.grantedByBoth,
      declinedByBoth: this.declinedByBoth,
      flipsToGranted: this.flipsToGranted,
      flipsToDeclined: this.flipsToDeclined,
      limitsUp: this.limitDeltas.filter((delta) => delta > 0n).length,
      limitsDown: this.limitDeltas.filter((delta) => delta < 0n).length,
      limitDeltaTotalMinor: this.limitDeltas.reduce((sum, delta) => sum + delta, 0n),
      limitDeltaMedianMinor: medianOf(this.limitDeltas),
      ratesUp: this.ratesUp,
      ratesDown: this.ratesDown,
    };
  }
}
