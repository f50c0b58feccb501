/**
 * The decisions page cursor: opaque to clients (base64url JSON), it names the last decision of
 * the page they have; the next page is the decisions older than it, in the same order. Keyed
 * on the decision, not an offset, so pages neither skip nor repeat while new decisions arrive.
 */
const CURSOR_VERSION = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const CURSOR_MAX_LENGTH = 200;

export function encodeDecisionCursor(lastDecisionId: string): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, after: lastDecisionId }), 'utf8').toString(
    'base64url',
  );
}

/** The decision id a cursor names, or undefined when it is not a cursor this API issued. */
export function decodeDecisionCursor(cursor: string): string | undefined {
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
