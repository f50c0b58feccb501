import { type AnyCloudEvent, decodeEvent, Topics } from '@lendstream/contracts';

/** A credit-line event as the live feed sends it: JSON-safe (money as strings of digits). */
export interface CreditLineFeedItem {
  readonly id: string;
  readonly type: string;
  readonly time: string;
  readonly merchantId: string;
  readonly creditLineId: string;
  readonly status: string;
  readonly currency: string;
  readonly limitMinor: string;
  readonly availableMinor: string;
  readonly outstandingMinor: string;
  readonly grade: string;
  readonly score: number;
  readonly reasons: ReadonlyArray<{ readonly code: string; readonly message: string }>;
  readonly policyVersion: string;
  readonly decisionId: string;
  readonly decidedAt: string;
}

/**
 * Reads one record of scf.credit-lines.v1 into a feed item, or null when it is not a
 * credit-line event of the contract (the feed shows what the contract says, nothing else; the
 * topic's producers are our own, so a null is a bug worth a log line, not a crash).
 */
export function creditLineFeedItemOf(record: {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}): CreditLineFeedItem | null {
  const decoded = decodeEvent({ topic: Topics.creditLines, key: record.key, value: record.value });
  if (!decoded.ok) return null;
  return feedItemOf(decoded.value);
}

function feedItemOf(event: AnyCloudEvent): CreditLineFeedItem | null {
  switch (event.type) {
    case 'credit-line.granted':
    case 'credit-line.adjusted':
    case 'credit-line.frozen':
    case 'credit-line.unfrozen':
    case 'credit-line.closed': {
      const { data } = event;
      return {
        id: event.id,
        type: event.type,
        time: String(event.time),
        merchantId: data.merchantId,
        creditLineId: data.creditLineId,
        status: data.status,
        currency: data.currency,
        limitMinor: String(data.limitMinor),
        availableMinor: String(data.availableMinor),
        outstandingMinor: String(data.outstandingMinor),
        grade: data.grade,
        score: data.score,
        reasons: data.reasons.map((reason) => ({ code: reason.code, message: reason.message })),
        policyVersion: data.policyVersion,
        decisionId: data.decisionId,
        decidedAt: String(data.decidedAt),
      };
    }
    default:
      return null;
  }
}

/** One Server-Sent Events message: `event:`, `id:` and one `data:` line of JSON (JSON never holds a raw newline). */
export function serverSentEvent(event: string, data: unknown, id?: string): string {
  const idLine = id === undefined ? '' : `id: ${id.replace(/[\r\n]/g, '')}\n`;
  return `event: ${event}\n${idLine}data: ${JSON.stringify(data)}\n\n`;
}
