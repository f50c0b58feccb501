import type { MerchantProfile } from '@lendstream/profile';
import { z } from 'zod';
import { JsonValue, toJsonSafe } from './json-safe';

/**
 * The features a decision saw: the whole MerchantProfile in a JSON-safe form (bigint as
 * digit strings), and back, exactly. Strict: a field the schema does not know fails loudly,
 * so a profile that grows a field cannot be stored and silently replayed without it.
 */
export const bigintString = z
  .string()
  .regex(/^-?[0-9]{1,40}$/, 'must be a string of decimal digits')
  .transform((digits) => BigInt(digits));
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const ratio = z.strictObject({
  numerator: bigintString,
  denominator: bigintString,
  basisPoints: count.nullable(),
});

const windowTotals = <Days extends 1 | 7 | 30 | 90>(windowDays: Days) =>
  z.strictObject({
    windowDays: z.literal(windowDays),
    fromDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    throughDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    paidAmountMinor: bigintString,
    paidOrders: count,
    refundedAmountMinor: bigintString,
    refunds: count,
    cancellations: count,
    settledAmountMinor: bigintString,
    stockouts: count,
    shipmentsDispatched: count,
    shipmentsDelivered: count,
    shipmentsDeliveredOnTime: count,
    shipmentsDeliveredLate: count,
    shipmentsReturned: count,
    activeDays: count,
    rates: z.strictObject({
      refundRate: ratio,
      refundAmountRate: ratio,
      cancelRate: ratio,
      onTimeDeliveryRate: ratio,
      returnRate: ratio,
    }),
  });

const appliedPosition = z
  .strictObject({ partition: count, fromOffset: count, throughOffset: count })
  .nullable();

export const profileSnapshotSchema = z.strictObject({
  merchantId: z.string().min(1).max(64),
  asOf: z.string(),
  currency: z.string().nullable(),
  firstSeenAt: z.string(),
  newestEventAt: z.string(),
  windows: z.strictObject({
    1: windowTotals(1),
    7: windowTotals(7),
    30: windowTotals(30),
    90: windowTotals(90),
  }),
  receivablesOutstandingMinor: bigintString,
  inventory: z.strictObject({ valueMinor: bigintString, onHandUnits: bigintString, warehouses: count }),
  stockKeepingUnitsOutOfStock: count,
  coverage: z.strictObject({
    windowsExact: z.boolean(),
    receivablesExact: z.boolean(),
    overflowed: z.boolean(),
    appliedPositions: z.strictObject({
      orders: appliedPosition,
      warehouse: appliedPosition,
      logistics: appliedPosition,
    }),
  }),
});

// The compiler keeps the schema and the profile's type in step: a decoded snapshot is a MerchantProfile.
const decodes: (value: z.output<typeof profileSnapshotSchema>) => MerchantProfile = (value) => value;

/**
 * Snapshots already made, by profile object: the live decision and each challenger store the
 * same features, and a profile is never changed once read, so it is converted once. Weak: a
 * snapshot goes when its profile does.
 */
const snapshots = new WeakMap<MerchantProfile, JsonValue>();

export function encodeProfileSnapshot(profile: MerchantProfile): JsonValue {
  let snapshot = snapshots.get(profile);
  if (snapshot === undefined) {
    snapshot = toJsonSafe(profile);
    snapshots.set(profile, snapshot);
  }
  return snapshot;
}

/** Throws (naming the field) on a snapshot that is not a profile: stored data is checked just after it is read. */
export function decodeProfileSnapshot(snapshot: unknown): MerchantProfile {
  const result = profileSnapshotSchema.safeParse(snapshot);
  if (!result.success) {
    throw new RangeError(
      `not a profile snapshot: ${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  return decodes(result.data);
}
