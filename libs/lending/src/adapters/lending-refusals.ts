import { ContractViolation, isDeadLetterReason } from '@lendstream/contracts';
import type { EntityManager } from 'typeorm';
import { assertInTransaction } from './transaction';

/** The inbox identity of an input: the consumer that refused it and the event's (source, id). */
export interface RefusedInputIdentity {
  readonly consumer: string;
  readonly source: string;
  readonly id: string;
}

/** A `lending_refusals` row as Postgres returns it. */
export interface RefusalRow {
  readonly reason: string;
  readonly field: string | null;
  readonly message: string;
}

/**
 * The violation a stored refusal was dead-lettered with, as it was. A reason the contract does
 * not know is thrown, never guessed: it can only come from a hand-edited row, and a redelivery
 * is better retried (and seen) than dead-lettered under a made-up code.
 */
export function violationOfRefusalRow(row: RefusalRow): ContractViolation {
  if (!isDeadLetterReason(row.reason))
    throw new Error(
      `lending_refusals holds a dlq-reason the contract does not know: ${JSON.stringify(row.reason)}`,
    );
  const reason = row.reason;
  return row.field === null
    ? { reason, message: row.message }
    : { reason, field: row.field, message: row.message };
}

/**
 * Records that an input was refused, inside the caller's transaction, after its inbox row (the
 * row references it): a redelivery then finds the inbox row and this violation, and is
 * dead-lettered again without being re-evaluated.
 */
export async function recordRefusal(
  manager: EntityManager,
  input: RefusedInputIdentity & { readonly type: string },
  violation: ContractViolation,
): Promise<void> {
  assertInTransaction(manager, 'recordRefusal');
  await manager.query(
    `INSERT INTO lending_refusals (consumer, source, event_id, event_type, reason, field, message)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      input.consumer,
      input.source,
      input.id,
      input.type,
      violation.reason,
      violation.field ?? null,
      violation.message,
    ],
  );
}

/** The violation an input was refused with, or null when it was not refused (applied, or never seen). */
export async function findRefusal(
  manager: EntityManager,
  input: RefusedInputIdentity,
): Promise<ContractViolation | null> {
  const rows: RefusalRow[] = await manager.query(
    `SELECT reason, field, message FROM lending_refusals
      WHERE consumer = $1 AND source = $2 AND event_id = $3`,
    [input.consumer, input.source, input.id],
  );
  const row = rows[0];
  return row === undefined ? null : violationOfRefusalRow(row);
}
