import { BusinessDay, dayOfEpochDay, epochDayOf, epochDayOfInstant } from './business-day';
import { assertBasisPoints, BASIS_POINTS_PER_UNIT } from './integer-math';
import { LOAN_ACCRUAL_DAYS_MAX } from './lending-policy';

/**
 * Simple daily interest on outstanding principal, rounded so that it never drifts.
 *
 * A day's exact interest is principal × dailyRateBps / 10 000 minor units, usually a fraction.
 * The rule: after any number of days, the interest posted in total is
 *
 *   round-half-up( Σ over those days of principal × dailyRateBps / 10 000 )
 *
 * and each day posts the difference between that total and the one before. So the total is
 * never more than half a minor unit off the exact figure, however many days pass, and no day
 * posts a negative amount (the exact sum only grows).
 *
 * Rather than keep the whole sum (which outgrows a bigint column on a large, long loan), a
 * loan keeps the carry: the exact total minus the posted total, in ten-thousandths of a minor
 * unit. It is always in [−5 000, 5 000), and
 *
 *   day's interest = round-half-up((carry + principal × bps) / 10 000)
 *   new carry      = carry + principal × bps − 10 000 × day's interest
 *
 * which posts exactly the same amounts as the cumulative rule (the property tests check it).
 */
export const INTEREST_CARRY_MIN = -5_000n;
export const INTEREST_CARRY_MAX_EXCLUSIVE = 5_000n;

const HALF_UNIT = BASIS_POINTS_PER_UNIT / 2n;

export interface DayOfInterest {
  /** Minor units to post for the day; 0 when the carry has not reached half a unit yet. */
  readonly interestMinor: bigint;
  readonly carryTenThousandths: bigint;
}

/** One day's interest on `principalMinor` at `dailyRateBps`, from the carry left by the day before. */
export function accrueOneDay(
  carryTenThousandths: bigint,
  principalMinor: bigint,
  dailyRateBps: number,
): DayOfInterest {
  if (carryTenThousandths < INTEREST_CARRY_MIN || carryTenThousandths >= INTEREST_CARRY_MAX_EXCLUSIVE)
    throw new RangeError(`interest carry ${carryTenThousandths} outside [−5000, 5000)`);
  if (principalMinor < 0n) throw new RangeError(`principal must not be negative: ${principalMinor}`);
  assertBasisPoints('dailyRateBps', dailyRateBps, 10_000);
  const exactTenThousandths = carryTenThousandths + principalMinor * BigInt(dailyRateBps);
  // exactTenThousandths >= −5 000, so the shifted numerator is >= 0 and bigint division is a floor.
  const interestMinor = (exactTenThousandths + HALF_UNIT) / BASIS_POINTS_PER_UNIT;
  return { interestMinor, carryTenThousandths: exactTenThousandths - interestMinor * BASIS_POINTS_PER_UNIT };
}

/**
 * The days whose interest is due to be posted, oldest first: every day after `lastAccruedDay`
 * that has ended by `businessNow` (a day's interest is charged on the principal outstanding at
 * its end, so today is never due yet), and none after `lastAccruableDay` when one is given.
 * Empty when there is nothing to do, including when `businessNow` is earlier than
 * `lastAccruedDay` (a clock that went back never un-posts interest).
 */
export function accrualDaysDue(
  lastAccruedDay: BusinessDay,
  businessNow: string,
  lastAccruableDay?: BusinessDay,
): BusinessDay[] {
  const first = epochDayOf(lastAccruedDay) + 1;
  const yesterday = epochDayOfInstant('businessNow', businessNow) - 1;
  const last = lastAccruableDay === undefined ? yesterday : Math.min(yesterday, epochDayOf(lastAccruableDay));
  const count = last - first + 1;
  if (count <= 0) return [];
  // A loan accrues for at most its term plus the write-off horizon; more means a broken clock or loan.
  if (count > LOAN_ACCRUAL_DAYS_MAX)
    throw new RangeError(
      `${count} days of interest due after ${lastAccruedDay}; no loan accrues more than ${LOAN_ACCRUAL_DAYS_MAX}`,
    );
  return Array.from({ length: count }, (_unused, index) => dayOfEpochDay(first + index));
}

/**
 * Interest over `days` consecutive days at a constant principal, from a carry: the amount a
 * schedule shows for days not posted yet (the posting itself goes day by day, through accrueOneDay).
 */
export function interestOverDays(
  carryTenThousandths: bigint,
  principalMinor: bigint,
  dailyRateBps: number,
  days: number,
): DayOfInterest {
  if (!Number.isSafeInteger(days) || days < 0 || days > LOAN_ACCRUAL_DAYS_MAX)
    throw new RangeError(`days must be a whole number in 0..${LOAN_ACCRUAL_DAYS_MAX}, got ${days}`);
  let carry = carryTenThousandths;
  let interestMinor = 0n;
  for (let day = 0; day < days; day += 1) {
    const next = accrueOneDay(carry, principalMinor, dailyRateBps);
    interestMinor += next.interestMinor;
    carry = next.carryTenThousandths;
  }
  return { interestMinor, carryTenThousandths: carry };
}
