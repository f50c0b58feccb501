/**
 * Every request of the ops API has an id: the caller's `X-Request-Id` when it sends a sane one
 * (so that a trace crosses systems), a fresh UUID otherwise. It is echoed in the response and
 * written into the audit log beside the write. Pure.
 */
export const REQUEST_ID_HEADER = 'X-Request-Id';
export const REQUEST_ID_MAX_LENGTH = 128;
/** Safe in a header, a log line and a database column, without escaping. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The caller's request id, or undefined when there is none or it is not one we keep as it is. */
export function acceptedRequestId(raw: string | readonly string[] | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined;
  return REQUEST_ID_PATTERN.test(raw) ? raw : undefined;
}
