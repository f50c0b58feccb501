/**
 * runIdempotent on the real Postgres (a scratch database migrated by the real migrations):
 * the work's effect (a row in a table of the test's own) and the stored response commit
 * together, once per key, under retries, conflicts and races.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../../libs/platform/src/http/api-error';
import {
  purgeIdempotencyKeys,
  runIdempotent,
  type IdempotentRequest,
  type IdempotentResponse,
} from '../../libs/platform/src/http/adapters/idempotency-store';
import { idempotencyPurgeCutoff, requestFingerprint } from '../../libs/platform/src/http/idempotency';
import { ApiTestDatabase } from './support/api-test-database';

jest.setTimeout(60_000);

const CONCURRENT_REQUESTS = 10;

describe('runIdempotent (real Postgres)', () => {
  let database: ApiTestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await ApiTestDatabase.create('idempotency');
    db = await database.connect('idempotency-int-spec', CONCURRENT_REQUESTS + 2);
    await db.query(
      `CREATE TABLE test_effects (id serial PRIMARY KEY, idempotency_key text NOT NULL, amount_minor bigint NOT NULL)`,
    );
  });
  afterAll(() => database?.cleanup());

  const fingerprintOf = (amountMinor: string, merchantId = 'm-1') =>
    requestFingerprint({
      method: 'POST',
      path: `/v1/merchants/${merchantId}/drawdowns`,
      body: { amountMinor, currency: 'CNY' },
    });
  const requestFor = (
    key: string,
    amountMinor = '100',
    scope = 'POST /v1/merchants/:merchantId/drawdowns|alice',
  ): IdempotentRequest => ({
    scope,
    key,
    fingerprint: fingerprintOf(amountMinor),
  });
  /** The effect: one row; the response names it. `delayMs` holds the transaction open, as a slow write would. */
  const insertEffect =
    (key: string, amountMinor = '100', delayMs = 0) =>
    async (manager: EntityManager): Promise<IdempotentResponse> => {
      const [row]: Array<{ id: number }> = await manager.query(
        `INSERT INTO test_effects (idempotency_key, amount_minor) VALUES ($1, $2) RETURNING id`,
        [key, amountMinor],
      );
      if (delayMs > 0) await manager.query(`SELECT pg_sleep($1)`, [delayMs / 1_000]);
      return { status: 201, body: { effectId: row!.id, amountMinor, status: 'REQUESTED' } };
    };
  const effectsOf = async (key: string): Promise<number> => {
    const [row]: Array<{ count: number }> = await db.query(
      `SELECT count(*)::int AS count FROM test_effects WHERE idempotency_key = $1`,
      [key],
    );
    return row!.count;
  };
  const keysOf = async (key: string): Promise<number> => {
    const [row]: Array<{ count: number }> = await db.query(
      `SELECT count(*)::int AS count FROM api_idempotency_keys WHERE idempotency_key = $1`,
      [key],
    );
    return row!.count;
  };
  const rejectionOf = async (promise: Promise<unknown>): Promise<ApiError> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof ApiError) return error;
      throw error;
    }
    throw new Error('expected an ApiError');
  };

  it('the same key and request: the same response, replayed, and one effect', async () => {
    const key = randomUUID();
    const first = await runIdempotent(db, requestFor(key), insertEffect(key));
    expect(first).toMatchObject({ status: 201, replayed: false, body: { amountMinor: '100' } });
    const again = await runIdempotent(db, requestFor(key), insertEffect(key));
    expect(again).toEqual({ ...first, replayed: true });
    expect(JSON.stringify(again.body)).toBe(JSON.stringify(first.body)); // the same bytes, keys in their order
    expect(await effectsOf(key)).toBe(1);
  });

  it('the same key with another request: 409 IDEMPOTENCY_KEY_REUSED, no second effect', async () => {
    const key = randomUUID();
    await runIdempotent(db, requestFor(key, '100'), insertEffect(key, '100'));
    const error = await rejectionOf(runIdempotent(db, requestFor(key, '999'), insertEffect(key, '999')));
    expect(error).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(error.message).toContain('Idempotency-Key: already used for a different request');
    expect(await effectsOf(key)).toBe(1);
  });

  it('keys are per scope: the same key in another scope is another operation', async () => {
    const key = randomUUID();
    await runIdempotent(db, requestFor(key, '100', 'scope-a'), insertEffect(key));
    const other = await runIdempotent(db, requestFor(key, '100', 'scope-b'), insertEffect(key));
    expect(other.replayed).toBe(false);
    expect(await effectsOf(key)).toBe(2);
  });

  it(`${CONCURRENT_REQUESTS} concurrent requests with one key: one effect, every one gets its response`, async () => {
    const key = randomUUID();
    const outcomes = await Promise.all(
      Array.from({ length: CONCURRENT_REQUESTS }, () =>
        runIdempotent(db, requestFor(key), insertEffect(key, '100', 300)),
      ),
    );
    expect(await effectsOf(key)).toBe(1);
    expect(outcomes.filter((outcome) => !outcome.replayed)).toHaveLength(1);
    for (const outcome of outcomes) expect(outcome.body).toEqual(outcomes[0]!.body);
  });

  it('concurrent requests with one key and different bodies: one effect, the others 409', async () => {
    const key = randomUUID();
    const settled = await Promise.allSettled(
      ['100', '200', '300', '400'].map((amount) =>
        runIdempotent(db, requestFor(key, amount), insertEffect(key, amount, 200)),
      ),
    );
    expect(await effectsOf(key)).toBe(1);
    expect(settled.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of settled.filter((entry) => entry.status === 'rejected'))
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('a request that waits past the bound for a concurrent one gets 409 IN_PROGRESS, and its response once it is done', async () => {
    const key = randomUUID();
    const slow = runIdempotent(db, requestFor(key), insertEffect(key, '100', 1_500));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const error = await rejectionOf(
      runIdempotent(db, requestFor(key), insertEffect(key), { concurrentWaitMs: 200 }),
    );
    expect(error).toMatchObject({
      status: 409,
      code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
      headers: { 'Retry-After': '1' },
    });
    const first = await slow;
    expect(await runIdempotent(db, requestFor(key), insertEffect(key))).toEqual({ ...first, replayed: true });
    expect(await effectsOf(key)).toBe(1);
  });

  it('a failed write leaves no effect and no key, so a retry with the key runs it', async () => {
    const key = randomUUID();
    const failing = async (manager: EntityManager): Promise<IdempotentResponse> => {
      await insertEffect(key)(manager);
      throw new Error('treasury unreachable');
    };
    await expect(runIdempotent(db, requestFor(key), failing)).rejects.toThrow('treasury unreachable');
    expect(await effectsOf(key)).toBe(0);
    expect(await keysOf(key)).toBe(0);
    expect(await runIdempotent(db, requestFor(key), insertEffect(key))).toMatchObject({ replayed: false });
    expect(await effectsOf(key)).toBe(1);
  });

  it('the response is stored in the transaction of the effect: one that cannot be stored undoes the effect', async () => {
    const key = randomUUID();
    const unstorable = async (manager: EntityManager): Promise<IdempotentResponse> => {
      await insertEffect(key)(manager);
      return { status: 201, body: { amountMinor: 100n } };
    };
    await expect(runIdempotent(db, requestFor(key), unstorable)).rejects.toThrow(
      'send money as a string of digits',
    );
    expect(await effectsOf(key)).toBe(0);
    expect(await keysOf(key)).toBe(0);
  });

  it('a refusal returned as a response (422) is final: replayed as it was', async () => {
    const key = randomUUID();
    const refuse = async (): Promise<IdempotentResponse> => ({
      status: 422,
      body: { error: { code: 'INSUFFICIENT_AVAILABLE', message: 'the line has 0 available' } },
    });
    const first = await runIdempotent(db, requestFor(key), refuse);
    expect(await runIdempotent(db, requestFor(key), insertEffect(key))).toEqual({ ...first, replayed: true });
    expect(await effectsOf(key)).toBe(0);
  });

  it('refuses a request it cannot store: a bad fingerprint, an empty scope', async () => {
    await expect(
      runIdempotent(db, { ...requestFor('k'), fingerprint: 'abc' }, insertEffect('k')),
    ).rejects.toThrow('SHA-256');
    await expect(runIdempotent(db, { ...requestFor('k'), scope: '' }, insertEffect('k'))).rejects.toThrow(
      'scope',
    );
  });

  it('purgeIdempotencyKeys deletes keys past their 30 days and keeps younger ones', async () => {
    const old = randomUUID();
    const young = randomUUID();
    await runIdempotent(db, requestFor(old, '1', 'purge'), insertEffect(old, '1'));
    await runIdempotent(db, requestFor(young, '1', 'purge'), insertEffect(young, '1'));
    await db.query(
      `UPDATE api_idempotency_keys SET created_at = now() - interval '31 days' WHERE idempotency_key = $1`,
      [old],
    );
    const deleted = await purgeIdempotencyKeys(db.manager, idempotencyPurgeCutoff(new Date()), {
      chunkSize: 1,
    });
    expect(deleted).toBe(1);
    expect(await keysOf(old)).toBe(0);
    expect(await keysOf(young)).toBe(1);
  });
});
