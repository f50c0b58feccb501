import { err, isDeadLetterReason, ok, Result } from '@lendstream/contracts';
import type { RejectedMessage } from './inbound';

/**
 * Checks what a handler returned against the batch it was given. A handler that rejects an
 * offset it was not given, rejects one twice, or invents a reason code has a bug: the
 * transport must not commit past the batch on its word (it retries and logs an error).
 */
export function validateBatchOutcome(
  outcome: unknown,
  batchOffsets: ReadonlySet<string>,
): Result<readonly RejectedMessage[], string> {
  if (outcome === undefined || outcome === null) return ok([]);
  if (typeof outcome !== 'object') return err(`the handler returned ${typeof outcome}, not a BatchOutcome`);
  const rejected = (outcome as { rejected?: unknown }).rejected;
  if (rejected === undefined) return ok([]);
  if (!Array.isArray(rejected)) return err('BatchOutcome.rejected is not an array');

  const seen = new Set<string>();
  for (const [index, entry] of rejected.entries()) {
    const problem = problemWithRejection(entry, batchOffsets, seen);
    if (problem !== undefined) return err(`BatchOutcome.rejected[${index}]: ${problem}`);
    seen.add((entry as RejectedMessage).offset);
  }
  return ok(rejected as RejectedMessage[]);
}

function problemWithRejection(
  entry: unknown,
  batchOffsets: ReadonlySet<string>,
  seen: ReadonlySet<string>,
): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'is not an object';
  const { offset, violation } = entry as { offset?: unknown; violation?: unknown };
  if (typeof offset !== 'string') return 'offset is not a string';
  if (!batchOffsets.has(offset)) return `offset ${offset} is not in the batch`;
  if (seen.has(offset)) return `offset ${offset} is rejected twice`;
  if (typeof violation !== 'object' || violation === null) return 'violation is missing';
  const { reason, message } = violation as { reason?: unknown; message?: unknown };
  if (!isDeadLetterReason(reason)) return `reason ${String(reason)} is not a DeadLetterReason`;
  if (typeof message !== 'string') return 'violation.message is not a string';
  return undefined;
}
