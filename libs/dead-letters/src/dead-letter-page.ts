/**
 * Keyset pages of the dead-letter index, newest first: a page's position is the last entry's
 * (deadLetteredAt, position), so pages neither skip nor repeat entries while new ones arrive.
 */

/** Where the previous page ended: its last entry's dead-lettered time and index position. */
export interface DeadLetterPagePosition {
  /** An ISO instant with microseconds, as Postgres keeps timestamps. */
  readonly deadLetteredAt: string;
  /** The entry's position in the index, a decimal string (bigint). */
  readonly position: string;
}

export interface DeadLetterQuery {
  /** Rows to return (1–1000; the caller bounds it further). */
  readonly limit: number;
  /** Only entries older than this, in the page's order. */
  readonly after?: DeadLetterPagePosition;
  /** Only this `dlq-reason`. */
  readonly reason?: string;
  /** Only dead letters from this source topic (as named on the broker). */
  readonly sourceTopic?: string;
}

const CURSOR_VERSION = 1;
const CURSOR_MAX_LENGTH = 200;
const POSITION_PATTERN = /^[1-9]\d{0,18}$/;
const MICROSECOND_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The page cursor: opaque to clients (base64url JSON). */
export function encodeDeadLetterCursor(position: DeadLetterPagePosition): string {
  return Buffer.from(
    JSON.stringify({ v: CURSOR_VERSION, at: position.deadLetteredAt, before: position.position }),
    'utf8',
  ).toString('base64url');
}

/** The position a cursor names, or undefined when it is not a cursor this API issued. */
export function decodeDeadLetterCursor(cursor: string): DeadLetterPagePosition | undefined {
  if (cursor.length > CURSOR_MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let parsed: { v?: unknown; at?: unknown; before?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    return undefined;
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    parsed.v !== CURSOR_VERSION ||
    typeof parsed.at !== 'string' ||
    !MICROSECOND_INSTANT.test(parsed.at) ||
    Number.isNaN(Date.parse(parsed.at)) ||
    typeof parsed.before !== 'string' ||
    !POSITION_PATTERN.test(parsed.before) ||
    BigInt(parsed.before) > 9_223_372_036_854_775_807n
  )
    return undefined;
  return { deadLetteredAt: parsed.at, position: parsed.before };
}
