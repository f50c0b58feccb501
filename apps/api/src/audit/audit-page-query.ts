import { z } from 'zod';
import { isAuditAction, isAuditTarget, pageCursorParam, pageLimitParam } from '@lendstream/platform';

export const AUDIT_PAGE_SIZE_DEFAULT = 20;
export const AUDIT_PAGE_SIZE_MAX = 100;
const CURSOR_VERSION = 1;
const CURSOR_MAX_LENGTH = 100;

/** The audit page cursor: opaque to clients (base64url JSON), it names the last entry's position. */
export function encodeAuditCursor(position: string): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, before: position }), 'utf8').toString('base64url');
}

/** The position a cursor names, or undefined when it is not a cursor this API issued. */
export function decodeAuditCursor(cursor: string): string | undefined {
  if (cursor.length > CURSOR_MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      v?: unknown;
      before?: unknown;
    };
    if (
      parsed.v !== CURSOR_VERSION ||
      typeof parsed.before !== 'string' ||
      !/^[1-9]\d{0,18}$/.test(parsed.before)
    )
      return undefined;
    return parsed.before;
  } catch {
    return undefined;
  }
}

/** `?limit=20&cursor=…&action=credit-line.freeze&target=merchant:m-000042` of GET /v1/audit. */
export const AuditPageQuery = z.strictObject({
  limit: pageLimitParam(AUDIT_PAGE_SIZE_DEFAULT, AUDIT_PAGE_SIZE_MAX),
  cursor: pageCursorParam(decodeAuditCursor),
  action: z
    .string({ error: 'must be an action such as credit-line.freeze' })
    .refine(isAuditAction, 'must be an action such as credit-line.freeze or portfolio-budget.set')
    .optional(),
  target: z
    .string({ error: 'must be a target such as merchant:m-000042' })
    .refine(isAuditTarget, 'must be a target such as merchant:m-000042 or portfolio-budget:CNY')
    .optional(),
});
/** `cursor` is decoded: the position of the last entry of the previous page. */
export type AuditPageQuery = z.output<typeof AuditPageQuery>;
