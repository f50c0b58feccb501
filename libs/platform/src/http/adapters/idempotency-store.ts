import type { DataSource, EntityManager } from 'typeorm';
import { postgresErrorCode } from '../../database/adapters/connection';
import {
  assertIdempotencyScope,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  idempotencyKeyInProgress,
  idempotencyKeyReused,
} from '../idempotency';

export interface IdempotentRequest {
  /**
   * Whose keys these are: two callers may pick the same key without meeting. The route and
   * the caller make a good scope (`POST /v1/merchants/:merchantId/drawdowns|alice`); the
   * fingerprint already holds the path, so a key reused on another merchant is a 409.
   */
  readonly scope: string;
  /** The `Idempotency-Key` header, checked by parseIdempotencyKey. */
  readonly key: string;
  /** requestFingerprint(method, path, body). */
  readonly fingerprint: string;
}

/** The response a write gives: stored with its key and given back as it is to every retry. */
export interface IdempotentResponse {
  /** 200-599. A refusal the write decides on (a 422) is a response too, stored and replayed. */
  readonly status: number;
  /** JSON-safe: money as strings, no bigint, no undefined at the top. */
  readonly body: unknown;
}

export interface IdempotentOutcome extends IdempotentResponse {
  /** True when this is the stored response of an earlier request with the same key. */
  readonly replayed: boolean;
}

export interface RunIdempotentOptions {
  /**
   * How long a request waits for a concurrent one with the same key to finish (default
   * 10 000 ms, 1-60 000): it then answers with that one's response. Past the bound it gets a
   * 409 IDEMPOTENCY_KEY_IN_PROGRESS with Retry-After.
   */
  readonly concurrentWaitMs?: number;
}

export const DEFAULT_CONCURRENT_WAIT_MS = 10_000;
/** Two tries are enough: a key can vanish between the conflict and the read only through a purge. */
const CLAIM_ATTEMPTS_MAX = 3;
const LOCK_NOT_AVAILABLE = '55P03';

type ClaimResult =
  { readonly kind: 'done'; readonly outcome: IdempotentOutcome } | { readonly kind: 'vanished' };

/**
 * Runs `work` at most once per (scope, key), in one transaction with the key's row:
 *
 * 1. The key is claimed first (INSERT … ON CONFLICT DO NOTHING). A concurrent request with the
 *    same key blocks on that uncommitted row, so it never runs its work while the first runs.
 * 2. `work(manager)` makes its effects through `manager` (the same transaction) and returns
 *    the response; the response is written to the key's row; all of it commits together.
 * 3. A later (or the blocked concurrent) request with the same key and fingerprint gets the
 *    stored response (`replayed: true`) and no second effect; with another fingerprint, a
 *    409 IDEMPOTENCY_KEY_REUSED.
 *
 * When `work` throws, the transaction rolls back: no effect, no key; the error propagates
 * (so a transient failure can be retried with the same key). A refusal that must stay final
 * is returned as a response (e.g. `{ status: 422, body: … }`), not thrown.
 */
export async function runIdempotent(
  dataSource: DataSource,
  request: IdempotentRequest,
  work: (manager: EntityManager) => Promise<IdempotentResponse>,
  options: RunIdempotentOptions = {},
): Promise<IdempotentOutcome> {
  assertIdempotentRequest(request);
  const waitMs = options.concurrentWaitMs ?? DEFAULT_CONCURRENT_WAIT_MS;
  if (!Number.isInteger(waitMs) || waitMs < 1 || waitMs > 60_000)
    throw new RangeError(`concurrentWaitMs must be a whole number from 1 to 60000, got ${waitMs}`);

  for (let attempt = 1; attempt <= CLAIM_ATTEMPTS_MAX; attempt += 1) {
    let result: ClaimResult;
    try {
      result = await dataSource.transaction((manager) => claimAndRun(manager, request, work, waitMs));
    } catch (error) {
      if (postgresErrorCode(error) === LOCK_NOT_AVAILABLE)
        throw idempotencyKeyInProgress(Math.max(1, Math.ceil(waitMs / 1_000)));
      throw error;
    }
    if (result.kind === 'done') return result.outcome;
  }
  throw new Error(
    `idempotency key ${JSON.stringify(request.key)} in scope ${JSON.stringify(request.scope)} vanished ${CLAIM_ATTEMPTS_MAX} times between its conflict and its read`,
  );
}

async function claimAndRun(
  manager: EntityManager,
  request: IdempotentRequest,
  work: (manager: EntityManager) => Promise<IdempotentResponse>,
  waitMs: number,
): Promise<ClaimResult> {
  // Bound the wait on a concurrent request's uncommitted claim, for the claim only.
  const [setting]: Array<{ previous: string }> = await manager.query(
    `SELECT before.previous, set_config('lock_timeout', $1, true)
     FROM (SELECT current_setting('lock_timeout') AS previous) AS before`,
    [`${waitMs}ms`],
  );
  const claimed: unknown[] = await manager.query(
    `INSERT INTO api_idempotency_keys (scope, idempotency_key, request_fingerprint)
     VALUES ($1, $2, $3)
     ON CONFLICT (scope, idempotency_key) DO NOTHING
     RETURNING 1`,
    [request.scope, request.key, request.fingerprint],
  );
  await manager.query(`SELECT set_config('lock_timeout', $1, true)`, [setting?.previous ?? '0']);

  if (claimed.length === 1) {
    const response = await work(manager);
    const serialisedBody = serialiseResponse(response);
    await manager.query(
      `UPDATE api_idempotency_keys
       SET response_status = $3, response_body = $4::json, completed_at = now()
       WHERE scope = $1 AND idempotency_key = $2`,
      [request.scope, request.key, response.status, serialisedBody],
    );
    return { kind: 'done', outcome: { status: response.status, body: response.body, replayed: false } };
  }

  // Someone committed this key before us (we may have waited for them): their answer is ours.
  const [stored]: Array<{
    request_fingerprint: string;
    response_status: number | null;
    response_body: unknown;
  }> = await manager.query(
    `SELECT request_fingerprint, response_status, response_body
     FROM api_idempotency_keys WHERE scope = $1 AND idempotency_key = $2`,
    [request.scope, request.key],
  );
  if (stored === undefined) return { kind: 'vanished' };
  if (stored.request_fingerprint !== request.fingerprint) throw idempotencyKeyReused();
  // Never seen committed (the response is written in the claim's own transaction); kept safe anyway.
  if (stored.response_status === null) throw idempotencyKeyInProgress(1);
  return {
    kind: 'done',
    outcome: { status: stored.response_status, body: stored.response_body, replayed: true },
  };
}

function assertIdempotentRequest(request: IdempotentRequest): void {
  assertIdempotencyScope(request.scope);
  if (
    typeof request.key !== 'string' ||
    request.key.length === 0 ||
    request.key.length > IDEMPOTENCY_KEY_MAX_LENGTH
  )
    throw new RangeError(`an idempotency key is 1-${IDEMPOTENCY_KEY_MAX_LENGTH} characters`);
  if (typeof request.fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(request.fingerprint))
    throw new RangeError('an idempotency fingerprint is a SHA-256 in lowercase hex (requestFingerprint)');
}

function serialiseResponse(response: IdempotentResponse): string {
  if (!Number.isInteger(response.status) || response.status < 200 || response.status > 599)
    throw new RangeError(`an idempotent write's response status is 200-599, got ${response.status}`);
  const text = JSON.stringify(response.body, (_key, value: unknown) => {
    if (typeof value === 'bigint')
      throw new TypeError('an idempotent response body holds a bigint: send money as a string of digits');
    return value;
  });
  if (text === undefined) throw new TypeError('an idempotent response body must be JSON (got undefined)');
  return text;
}

export interface IdempotencyPurgeOptions {
  /** Rows deleted per statement (default 5 000). */
  readonly chunkSize?: number;
  /** Statements per call (default 100); call again to go on. */
  readonly maxChunks?: number;
}

/**
 * Deletes keys created before `olderThan` (idempotencyPurgeCutoff(now): 30 days), in bounded
 * chunks, each its own statement; rows another purge holds are skipped, so replicas can purge
 * at once. Returns how many it deleted. Use a manager outside any transaction.
 */
export async function purgeIdempotencyKeys(
  manager: EntityManager,
  olderThan: Date,
  options: IdempotencyPurgeOptions = {},
): Promise<number> {
  const chunkSize = options.chunkSize ?? 5_000;
  const maxChunks = options.maxChunks ?? 100;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 100_000)
    throw new RangeError(`chunkSize must be a whole number from 1 to 100000, got ${chunkSize}`);
  if (!Number.isInteger(maxChunks) || maxChunks < 1 || maxChunks > 10_000)
    throw new RangeError(`maxChunks must be a whole number from 1 to 10000, got ${maxChunks}`);
  let deleted = 0;
  for (let chunk = 0; chunk < maxChunks; chunk += 1) {
    const [result]: Array<{ deleted: number }> = await manager.query(
      `WITH doomed AS (
         SELECT scope, idempotency_key FROM api_idempotency_keys
         WHERE created_at < $1 ORDER BY created_at LIMIT $2
         FOR UPDATE SKIP LOCKED),
       gone AS (
         DELETE FROM api_idempotency_keys AS k USING doomed AS d
         WHERE k.scope = d.scope AND k.idempotency_key = d.idempotency_key
         RETURNING 1)
       SELECT count(*)::int AS deleted FROM gone`,
      [olderThan.toISOString(), chunkSize],
    );
    const deletedNow = result?.deleted ?? 0;
    deleted += deletedNow;
    if (deletedNow < chunkSize) break;
  }
  return deleted;
}
