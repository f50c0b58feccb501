import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, RFC 9562 "custom") derived from a name: the same name always gives the
 * same id. Loans, disbursements, repayments and events take ids derived from the business keys
 * that made them, so a transaction retried after a failure (or a request retried by its
 * caller) writes the very same ids, and the unique constraints and the journal's idempotency
 * keys recognise it instead of making it twice. (The same construction as the credit
 * library's; copied, not imported: a library's adapters are its own.)
 */
export function uuidFromName(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const text = hex.join('');
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

/**
 * Every id lending makes, from the business key it stands for. The name is a JSON array of the
 * kind of id and the key's parts, so two different keys never share a name whatever characters
 * the parts hold (the contract's identifiers are any 1-128 characters).
 */
const named = (...parts: readonly string[]): string => uuidFromName(JSON.stringify(['lending', ...parts]));

export const lendingIds = {
  /** The loan a drawdown request makes: one per (merchant, requestId), forever. */
  loan: (merchantId: string, requestId: string): string => named('loan', merchantId, requestId),
  /** Treasury's handle on the loan's payout. */
  disbursement: (merchantId: string, requestId: string): string =>
    named('disbursement', merchantId, requestId),
  /** A holdback's repayment of one loan: one per (settlement, loan). */
  holdbackRepayment: (settlementId: string, loanId: string): string =>
    named('holdback-repayment', settlementId, loanId),
  /** A manual repayment: one per (loan, idempotency key of the request). */
  manualRepayment: (loanId: string, idempotencyKey: string): string =>
    named('manual-repayment', loanId, idempotencyKey),
  /** An output event: one per (type, the business fact it reports). */
  event: (type: string, ...businessKey: readonly string[]): string => named('event', type, ...businessKey),
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a UUID: ids from outside (a treasury event, a URL) are checked before they reach a uuid column. */
export const isUuid = (value: string): boolean => UUID.test(value);
