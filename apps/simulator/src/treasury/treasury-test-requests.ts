/**
 * `disbursement.requested` records for the treasury's unit tests, shaped like what Lendstream's
 * outbox relay writes.
 */
import { createEvent, encodeEvent, Topics } from '@lendstream/contracts';
import type { DisbursementRecord } from './disbursement-batch';

export const REQUESTS_TOPIC = `unit.${Topics.disbursements}`;

export function disbursementRequest(disbursementId: string, merchantId = 'm-000001') {
  return createEvent({
    type: 'disbursement.requested',
    id: `${disbursementId}:requested`,
    source: '/lendstream/lending',
    time: '2026-11-11T00:00:00.000Z',
    data: {
      merchantId,
      disbursementId,
      loanId: `loan-${disbursementId}`,
      creditLineId: `cl-${merchantId}`,
      amountMinor: 1_000_000n,
      currency: 'CNY',
      requestedAt: '2026-11-11T00:00:00.000Z',
    },
  });
}

/** A record holding a valid request, appended to the log at `appendedAtMs`. */
export function requestRecord(
  offset: number,
  appendedAtMs: number,
  merchantId = 'm-000001',
): DisbursementRecord {
  const event = disbursementRequest(`d-${offset}`, merchantId);
  return {
    offset: String(offset),
    key: Buffer.from(merchantId),
    value: Buffer.from(encodeEvent(event)),
    timestamp: String(appendedAtMs),
  };
}
