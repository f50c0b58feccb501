/** A credit line's statuses, as `scf.credit-lines.v1` carries them. */
export type CreditLineStatus = 'ACTIVE' | 'FROZEN' | 'CLOSED';

/**
 * The credit line as lending sees it when a merchant draws on it: read (and locked) by the
 * adapter in the drawdown's transaction. The underwriter owns the line; lending only moves its
 * reserved and outstanding amounts (LineChange).
 */
export interface CreditLineView {
  readonly creditLineId: string;
  readonly merchantId: string;
  readonly status: CreditLineStatus;
  readonly currency: string;
  readonly limitMinor: bigint;
  /** max(0, limit − outstanding − reserved) while ACTIVE, 0 otherwise. */
  readonly availableMinor: bigint;
  /** The price of money drawn now; a loan keeps the rate it was drawn at. */
  readonly dailyRateBps: number;
}

/**
 * How a transition moves the line's amounts:
 * - drawdown: reserved += principal;
 * - disbursement settled: reserved −= principal, outstanding += principal;
 * - disbursement failed: reserved −= principal;
 * - repayment: outstanding −= the principal part (the line revolves: available grows back);
 * - write-off: outstanding −= the principal written off.
 * Interest never touches the line: the line lends principal.
 */
export interface LineChange {
  readonly creditLineId: string;
  readonly reservedDeltaMinor: bigint;
  readonly outstandingDeltaMinor: bigint;
}

export const noLineChange = (creditLineId: string): LineChange => ({
  creditLineId,
  reservedDeltaMinor: 0n,
  outstandingDeltaMinor: 0n,
});

export const isNoLineChange = (change: LineChange): boolean =>
  change.reservedDeltaMinor === 0n && change.outstandingDeltaMinor === 0n;

/** One change per line, in first-seen order, without the ones that cancel out to nothing. */
export function mergeLineChanges(changes: readonly LineChange[]): LineChange[] {
  const merged = new Map<string, LineChange>();
  for (const change of changes) {
    const before = merged.get(change.creditLineId) ?? noLineChange(change.creditLineId);
    merged.set(change.creditLineId, {
      creditLineId: change.creditLineId,
      reservedDeltaMinor: before.reservedDeltaMinor + change.reservedDeltaMinor,
      outstandingDeltaMinor: before.outstandingDeltaMinor + change.outstandingDeltaMinor,
    });
  }
  return [...merged.values()].filter((change) => !isNoLineChange(change));
}

/** What of a line lending's changes apply to. */
export interface LinePosition {
  readonly creditLineId: string;
  readonly status: CreditLineStatus;
  readonly limitMinor: bigint;
  readonly reservedMinor: bigint;
  readonly outstandingMinor: bigint;
}

/**
 * The same rule as the credit library's availableOf: an active line offers its limit less what
 * is lent or reserved, never below 0; a frozen or closed line offers nothing. A line may sit
 * above its limit (the underwriter cut it below what is lent): available is 0 until repayments
 * bring it back under.
 */
export const availableMinorOf = (line: LinePosition): bigint => {
  if (line.status !== 'ACTIVE') return 0n;
  const headroom = line.limitMinor - line.outstandingMinor - line.reservedMinor;
  return headroom > 0n ? headroom : 0n;
};

/**
 * Applies a change; the result is what the adapter writes. A negative reserved or outstanding
 * means the line and its loans disagree (a broken invariant): it throws rather than write it.
 */
export function applyLineChange(
  line: LinePosition,
  change: LineChange,
): LinePosition & { readonly availableMinor: bigint } {
  if (change.creditLineId !== line.creditLineId)
    throw new RangeError(`a change of line ${change.creditLineId} applied to line ${line.creditLineId}`);
  const reservedMinor = line.reservedMinor + change.reservedDeltaMinor;
  const outstandingMinor = line.outstandingMinor + change.outstandingDeltaMinor;
  if (reservedMinor < 0n || outstandingMinor < 0n)
    throw new RangeError(
      `line ${line.creditLineId} would go negative: reserved ${reservedMinor}, outstanding ${outstandingMinor} (minor units)`,
    );
  const next = { ...line, reservedMinor, outstandingMinor };
  return { ...next, availableMinor: availableMinorOf(next) };
}
