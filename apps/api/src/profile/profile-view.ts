import { z } from 'zod';
import {
  MerchantProfile,
  PROFILE_SOURCES,
  PROFILE_WINDOW_DAYS,
  type ProfileSource,
  type Ratio,
  type WindowTotals,
} from '@lendstream/profile';

/**
 * GET /v1/merchants/{merchantId}/profile: the rolling risk profile as the underwriter reads it,
 * every window (1, 7, 30 and 90 event-time days), as JSON for people and tools. Money and
 * other 64-bit sums are strings of digits (a receivable may be negative: `-1200`); rates are
 * exact fractions with their basis points. Pure.
 */
export interface RatioView {
  readonly numerator: string;
  readonly denominator: string;
  /** floor(numerator × 10 000 / denominator); null when the denominator is 0. */
  readonly basisPoints: number | null;
}

export interface WindowView {
  readonly windowDays: number;
  readonly fromDay: string;
  readonly throughDay: string;
  readonly paidAmountMinor: string;
  readonly paidOrders: number;
  readonly refundedAmountMinor: string;
  readonly refunds: number;
  readonly cancellations: number;
  readonly settledAmountMinor: string;
  readonly stockouts: number;
  readonly shipmentsDispatched: number;
  readonly shipmentsDelivered: number;
  readonly shipmentsDeliveredOnTime: number;
  readonly shipmentsDeliveredLate: number;
  readonly shipmentsReturned: number;
  readonly activeDays: number;
  readonly rates: {
    readonly refundRate: RatioView;
    readonly refundAmountRate: RatioView;
    readonly cancelRate: RatioView;
    readonly onTimeDeliveryRate: RatioView;
    readonly returnRate: RatioView;
  };
}

export interface AppliedPositionView {
  readonly partition: number;
  readonly fromOffset: number;
  readonly throughOffset: number;
}

export interface ProfileView {
  readonly merchantId: string;
  /** The instant the windows end on; the whole UTC day of asOf is included. */
  readonly asOf: string;
  readonly currency: string | null;
  readonly firstSeenAt: string;
  readonly newestEventAt: string;
  /** Shortest window first. */
  readonly windows: readonly WindowView[];
  readonly receivablesOutstandingMinor: string;
  readonly inventory: {
    readonly valueMinor: string;
    readonly onHandUnits: string;
    readonly warehouses: number;
  };
  readonly stockKeepingUnitsOutOfStock: number;
  readonly coverage: {
    readonly windowsExact: boolean;
    readonly receivablesExact: boolean;
    readonly overflowed: boolean;
    readonly appliedPositions: Readonly<Record<ProfileSource, AppliedPositionView | null>>;
  };
}

const ratioView = (ratio: Ratio): RatioView => ({
  numerator: ratio.numerator.toString(),
  denominator: ratio.denominator.toString(),
  basisPoints: ratio.basisPoints,
});

const windowView = (totals: WindowTotals): WindowView => ({
  windowDays: totals.windowDays,
  fromDay: totals.fromDay,
  throughDay: totals.throughDay,
  paidAmountMinor: totals.paidAmountMinor.toString(),
  paidOrders: totals.paidOrders,
  refundedAmountMinor: totals.refundedAmountMinor.toString(),
  refunds: totals.refunds,
  cancellations: totals.cancellations,
  settledAmountMinor: totals.settledAmountMinor.toString(),
  stockouts: totals.stockouts,
  shipmentsDispatched: totals.shipmentsDispatched,
  shipmentsDelivered: totals.shipmentsDelivered,
  shipmentsDeliveredOnTime: totals.shipmentsDeliveredOnTime,
  shipmentsDeliveredLate: totals.shipmentsDeliveredLate,
  shipmentsReturned: totals.shipmentsReturned,
  activeDays: totals.activeDays,
  rates: {
    refundRate: ratioView(totals.rates.refundRate),
    refundAmountRate: ratioView(totals.rates.refundAmountRate),
    cancelRate: ratioView(totals.rates.cancelRate),
    onTimeDeliveryRate: ratioView(totals.rates.onTimeDeliveryRate),
    returnRate: ratioView(totals.rates.returnRate),
  },
});

export function profileView(profile: MerchantProfile): ProfileView {
  const positions = Object.fromEntries(
    PROFILE_SOURCES.map((source) => {
      const position = profile.coverage.appliedPositions[source];
      return [
        source,
        position === null
          ? null
          : {
              partition: position.partition,
              fromOffset: position.fromOffset,
              throughOffset: position.throughOffset,
            },
      ];
    }),
  ) as Record<ProfileSource, AppliedPositionView | null>;
  return {
    merchantId: profile.merchantId,
    asOf: profile.asOf,
    currency: profile.currency,
    firstSeenAt: profile.firstSeenAt,
    newestEventAt: profile.newestEventAt,
    windows: PROFILE_WINDOW_DAYS.map((days) => windowView(profile.windows[days])),
    receivablesOutstandingMinor: profile.receivablesOutstandingMinor.toString(),
    inventory: {
      valueMinor: profile.inventory.valueMinor.toString(),
      onHandUnits: profile.inventory.onHandUnits.toString(),
      warehouses: profile.inventory.warehouses,
    },
    stockKeepingUnitsOutOfStock: profile.stockKeepingUnitsOutOfStock,
    coverage: {
      windowsExact: profile.coverage.windowsExact,
      receivablesExact: profile.coverage.receivablesExact,
      overflowed: profile.coverage.overflowed,
      appliedPositions: positions,
    },
  };
}

/** The later of the wall clock and the profile's newest event: the profile as it stands now. */
export const profileAsOf = (nowMs: number, newestEventMs: number): Date =>
  new Date(Math.max(nowMs, newestEventMs));

const Sum = z
  .string()
  .regex(/^-?\d+$/)
  .describe('An integer as a string of digits');
const RatioSchema = z.object({ numerator: Sum, denominator: Sum, basisPoints: z.number().int().nullable() });
const PositionSchema = z.object({
  partition: z.number().int(),
  fromOffset: z.number().int(),
  throughOffset: z.number().int(),
});

export const ProfileViewSchema: z.ZodType<ProfileView> = z.object({
  merchantId: z.string(),
  asOf: z.string(),
  currency: z.string().nullable(),
  firstSeenAt: z.string(),
  newestEventAt: z.string(),
  windows: z.array(
    z.object({
      windowDays: z.number().int().describe('1, 7, 30 or 90'),
      fromDay: z.string(),
      throughDay: z.string(),
      paidAmountMinor: Sum,
      paidOrders: z.number().int(),
      refundedAmountMinor: Sum,
      refunds: z.number().int(),
      cancellations: z.number().int(),
      settledAmountMinor: Sum,
      stockouts: z.number().int(),
      shipmentsDispatched: z.number().int(),
      shipmentsDelivered: z.number().int(),
      shipmentsDeliveredOnTime: z.number().int(),
      shipmentsDeliveredLate: z.number().int(),
      shipmentsReturned: z.number().int(),
      activeDays: z.number().int(),
      rates: z.object({
        refundRate: RatioSchema,
        refundAmountRate: RatioSchema,
        cancelRate: RatioSchema,
        onTimeDeliveryRate: RatioSchema,
        returnRate: RatioSchema,
      }),
    }),
  ),
  receivablesOutstandingMinor: Sum.describe('Paid − refunded − settled over all time; may be negative'),
  inventory: z.object({ valueMinor: Sum, onHandUnits: Sum, warehouses: z.number().int() }),
  stockKeepingUnitsOutOfStock: z.number().int(),
  coverage: z.object({
    windowsExact: z.boolean(),
    receivablesExact: z.boolean(),
    overflowed: z.boolean(),
    appliedPositions: z.object({
      orders: PositionSchema.nullable(),
      warehouse: PositionSchema.nullable(),
      logistics: PositionSchema.nullable(),
    }),
  }),
});
