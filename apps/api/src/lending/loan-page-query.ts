import { z } from 'zod';
import { pageCursorParam, pageLimitParam } from '@lendstream/platform';
import { LOAN_PAGE_SIZE_MAX } from '@lendstream/lending';

export const LOANS_PAGE_SIZE_DEFAULT = 20;

/**
 * The loans page cursor: opaque to clients (base64url JSON), it names the last loan of the page
 * they have; the next page is the merchant's loans older than it. Keyed on the loan, not an
 * offset, so pages neither skip nor repeat while new loans arrive.
 */
const CURSOR_VERSION = 1;
const CURSOR_MAX_LENGTH = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeLoanCursor(lastLoanId: string): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, after: lastLoanId }), 'utf8').toString('base64url');
}

/** The loan id a cursor names, or undefined when it is not a cursor this API issued. */
export function decodeLoanCursor(cursor: string): string | undefined {
  if (cursor.length > CURSOR_MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      v?: unknown;
      after?: unknown;
    };
    if (parsed.v !== CURSOR_VERSION || typeof parsed.after !== 'string' || !UUID.test(parsed.after))
      return undefined;
    return parsed.after;
  } catch {
    return undefined;
  }
}

/** `?limit=20&cursor=…` of GET /v1/merchants/{merchantId}/loans; nothing else is accepted. */
export const LoanPageQuery = z.strictObject({
  limit: pageLimitParam(LOANS_PAGE_SIZE_DEFAULT, LOAN_PAGE_SIZE_MAX),
  cursor: pageCursorParam(decodeLoanCursor),
});

/** `cursor` is decoded: the id of the last loan of the previous page. */
export type LoanPageQuery = z.output<typeof LoanPageQuery>;
