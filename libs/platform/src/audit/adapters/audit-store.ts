import type { EntityManager } from 'typeorm';
import { assertAuditEntry, AuditEntry, auditJson, AuditRecord } from '../audit-entry';

/**
 * Writes an entry into the audit log, in the caller's transaction: the transaction of the
 * write's effect (inside runIdempotent's work), so that the effect and its entry commit or
 * roll back together. Outside a transaction it refuses to run: the entry could then outlive
 * a write that failed, or a write could commit without its entry.
 */
export async function recordAuditEntry(manager: EntityManager, entry: AuditEntry): Promise<void> {
  if (manager.queryRunner?.isTransactionActive !== true)
    throw new Error(
      'recordAuditEntry must run inside the transaction of the write it records (runIdempotent work, or dataSource.transaction)',
    );
  assertAuditEntry(entry);
  await manager.query(
    `INSERT INTO audit_log (audit_id, subject, roles, action, route, target, request_id, idempotency_key,
       request, state_before, state_after)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb)`,
    [
      entry.auditId,
      entry.subject,
      JSON.stringify(entry.roles),
      entry.action,
      entry.route,
      entry.target,
      entry.requestId,
      entry.idempotencyKey,
      auditJson(entry.request, 'request'),
      auditJson(entry.before, 'before'),
      auditJson(entry.after, 'after'),
    ],
  );
}

export interface AuditQuery {
  /** Rows to return (the caller bounds it). */
  readonly limit: number;
  /** Only entries older than this position (the last one of the previous page). */
  readonly beforePosition?: string;
  readonly action?: string;
  readonly target?: string;
}

interface AuditRow {
  readonly position: string;
  readonly audit_id: string;
  readonly occurred_at: Date;
  readonly subject: string;
  readonly roles: string[];
  readonly action: string;
  readonly route: string;
  readonly target: string;
  readonly request_id: string;
  readonly idempotency_key: string | null;
  readonly request: unknown;
  readonly state_before: unknown;
  readonly state_after: unknown;
}

/**
 * Entries newest first, optionally of one action and/or one target, older than a position.
 * Keyed on the position (the log's identity column), exact and indexed, so pages neither skip
 * nor repeat while writes go on.
 */
export async function listAuditEntries(manager: EntityManager, query: AuditQuery): Promise<AuditRecord[]> {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 1_000)
    throw new RangeError(`an audit page is 1-1000 entries, got ${query.limit}`);
  const rows: AuditRow[] = await manager.query(
    `SELECT position::text AS position, audit_id, occurred_at, subject, roles, action, route, target,
            request_id, idempotency_key, request, state_before, state_after
     FROM audit_log
     WHERE ($1::bigint IS NULL OR position < $1::bigint)
       AND ($2::text IS NULL OR action = $2)
       AND ($3::text IS NULL OR target = $3)
     ORDER BY position DESC
     LIMIT $4`,
    [query.beforePosition ?? null, query.action ?? null, query.target ?? null, query.limit],
  );
  return rows.map((row) => ({
    position: row.position,
    auditId: row.audit_id,
    occurredAt: row.occurred_at.toISOString(),
    subject: row.subject,
    roles: row.roles,
    action: row.action,
    route: row.route,
    target: row.target,
    requestId: row.request_id,
    idempotencyKey: row.idempotency_key,
    request: row.request,
    before: row.state_before,
    after: row.state_after,
  }));
}
