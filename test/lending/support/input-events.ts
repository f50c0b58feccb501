/** Input events as the platform, treasury and the portal publish them (contract-shaped CloudEvents). */
import { randomUUID } from 'node:crypto';
import { AnyCloudEvent, createEvent } from '@lendstream/contracts';

export function settledEvent(
  merchantId: string,
  disbursementId: string,
  time: string,
  treasuryRef = `tr-${disbursementId.slice(0, 8)}`,
  id: string = randomUUID(),
): AnyCloudEvent {
  return createEvent({
    type: 'disbursement.settled',
    id,
    source: '/treasury',
    time,
    data: { merchantId, disbursementId, treasuryRef },
  }) as AnyCloudEvent;
}

export function failedEvent(
  merchantId: string,
  disbursementId: string,
  time: string,
  reason = 'BANK_REJECTED',
  id: string = randomUUID(),
): AnyCloudEvent {
  return createEvent({
    type: 'disbursement.failed',
    id,
    source: '/treasury',
    time,
    data: { merchantId, disbursementId, reason },
  }) as AnyCloudEvent;
}

export function drawdownRequestedEvent(
  merchantId: string,
  requestId: string,
  amountMinor: bigint,
  time: string,
  overrides: { currency?: string; termDays?: number } = {},
  id: string = randomUUID(),
): AnyCloudEvent {
  return createEvent({
    type: 'drawdown.requested',
    id,
    source: '/platform/portal',
    time,
    data: {
      merchantId,
      requestId,
      amountMinor,
      currency: overrides.currency ?? 'CNY',
      termDays: overrides.termDays ?? 30,
    },
  }) as AnyCloudEvent;
}

export function orderSettledEvent(
  merchantId: string,
  settlementId: string,
  amountMinor: bigint,
  time: string,
  overrides: { currency?: string; orderId?: string } = {},
  id: string = randomUUID(),
): AnyCloudEvent {
  return createEvent({
    type: 'order.settled',
    id,
    source: '/platform/orders',
    time,
    data: {
      merchantId,
      orderId: overrides.orderId ?? `o-${settlementId}`,
      settlementId,
      amountMinor,
      currency: overrides.currency ?? 'CNY',
    },
  }) as AnyCloudEvent;
}
