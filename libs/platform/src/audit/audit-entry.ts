/**
 * The audit log of the ops API (issue 5): every write that took effect, with who made it,
 * what it did to what, when, and the state before and after. Pure: the entry, its checks and
 * its JSON; the store is `adapters/audit-store.ts`.
 */

/** An action names what a write did, `<thing>.<verb>`: `credit-line.freeze`, `portfolio-budget.set`. */
const ACTION_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
export const AUDIT_ACTION_MAX_LENGTH = 64;
/** A target is `<kind>:<id>`: `merchant:m-000042`, `portfolio-budget:CNY`. */
const TARGET_PATTERN = /^[a-z][a-z0-9-]*:[\x21-\x7E]+$/;
export const AUDIT_TARGET_MAX_LENGTH = 160;
export const AUDIT_ROUTE_MAX_LENGTH = 255;
export const AUDIT_SUBJECT_MAX_LENGTH = 255;
export const AUDIT_REQUEST_ID_MAX_LENGTH = 128;

/** What a write records about itself, in the transaction of its effect. */
export interface AuditEntry {
  readonly auditId: string;
  /** The bearer token's `sub`. */
  readonly subject: string;
  /** The bearer token's `roles`, as they were when the write was made. */
  readonly roles: readonly string[];
  readonly action: string;
  /** The route as declared: `POST /v1/merchants/:merchantId/credit-line/freeze`. */
  readonly route: string;
  readonly target: string;
  readonly requestId: string;
  /** The write's Idempotency-Key. */
  readonly idempotencyKey: string | null;
  /** The request body as parsed (JSON). */
  readonly request: unknown;
  /** The state the write found, and the state it left (JSON, money as strings); null: none. */
  readonly before: unknown;
  readonly after: unknown;
}

/** An entry as the log holds it. */
export interface AuditRecord extends AuditEntry {
  /** Its place in the log: later writes have larger positions. */
  readonly position: string;
  /** When it was written (wall clock, ISO 8601). */
  readonly occurredAt: string;
}

/** `merchant:m-000042`: the kind of thing a write changed and its id. */
export const auditTarget = (kind: string, id: string): string => `${kind}:${id}`;

export const isAuditAction = (action: string): boolean =>
  action.length <= AUDIT_ACTION_MAX_LENGTH && ACTION_PATTERN.test(action);

export const isAuditTarget = (target: string): boolean =>
  target.length <= AUDIT_TARGET_MAX_LENGTH && TARGET_PATTERN.test(target);

/** Checks an entry before it is written: a malformed one is a bug of the write, thrown loudly. */
export function assertAuditEntry(entry: AuditEntry): void {
  const problems: string[] = [];
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(entry.auditId))
    problems.push('auditId is not a UUID');
  if (entry.subject.length < 1 || entry.subject.length > AUDIT_SUBJECT_MAX_LENGTH)
    problems.push(`subject is 1-${AUDIT_SUBJECT_MAX_LENGTH} characters`);
  if (!Array.isArray(entry.roles) || !entry.roles.every((role) => typeof role === 'string'))
    problems.push('roles is a list of strings');
  if (!isAuditAction(entry.action))
    problems.push(`action ${JSON.stringify(entry.action)} is not <thing>.<verb> in lower case`);
  if (entry.route.length < 1 || entry.route.length > AUDIT_ROUTE_MAX_LENGTH)
    problems.push(`route is 1-${AUDIT_ROUTE_MAX_LENGTH} characters`);
  if (!isAuditTarget(entry.target))
    problems.push(`target ${JSON.stringify(entry.target)} is not <kind>:<id>`);
  if (entry.requestId.length < 1 || entry.requestId.length > AUDIT_REQUEST_ID_MAX_LENGTH)
    problems.push(`requestId is 1-${AUDIT_REQUEST_ID_MAX_LENGTH} characters`);
  if (entry.idempotencyKey !== null && entry.idempotencyKey.length === 0)
    problems.push('idempotencyKey is null or not empty');
  if (problems.length > 0) throw new RangeError(`audit entry: ${problems.join('; ')}`);
}

/**
 * A state or request as JSON text for the log, or null. A bigint is refused (money goes as a
 * string of digits, as in every response): JSON.stringify would throw on it anyway, less clearly.
 */
export function auditJson(value: unknown, field: string): string | null {
  if (value === null || value === undefined) return null;
  const text = JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner === 'bigint')
      throw new TypeError(`audit ${field} holds a bigint: record money as a string of digits`);
    return inner;
  });
  if (text === undefined) throw new TypeError(`audit ${field} is not JSON`);
  return text;
}
