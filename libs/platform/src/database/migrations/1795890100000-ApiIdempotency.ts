import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ops API's idempotency keys (issue 5): one row per (scope, key) with the request it was
 * first used for (a fingerprint) and the response given, so that a retry with the same key
 * gets the same response and no second effect, and a key reused for another request gets a
 * 409. The row is written in the same transaction as the write's effects (runIdempotent), so
 * a committed row always has its response, and a rolled-back write leaves no key behind.
 *
 * The response is `json`, not `jsonb`: it is given back byte for byte, in its original key
 * order. Keys are kept 30 days (the contract's dedupe horizon for money), then purged in
 * bounded chunks by created_at (purgeIdempotencyKeys).
 */
export class ApiIdempotency1795890100000 implements MigrationInterface {
  name = 'ApiIdempotency1795890100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE api_idempotency_keys (
        scope               text        NOT NULL CHECK (length(scope) BETWEEN 1 AND 512),
        idempotency_key     text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
        request_fingerprint char(64)    NOT NULL,
        response_status     smallint    NULL CHECK (response_status BETWEEN 200 AND 599),
        response_body       json        NULL,
        created_at          timestamptz NOT NULL DEFAULT now(),
        completed_at        timestamptz NULL,
        PRIMARY KEY (scope, idempotency_key),
        CHECK ((response_status IS NULL) = (response_body IS NULL)
           AND (response_status IS NULL) = (completed_at IS NULL))
      )`);
    await db.query(`
      COMMENT ON TABLE api_idempotency_keys IS
        'The ops API''s Idempotency-Key of every write, per scope (the route and its caller), with a '
        'SHA-256 fingerprint of the request (method, path, canonical JSON body) and the response given. '
        'A row is inserted when a write starts and completed (response_status, response_body, completed_at) '
        'in the same transaction as the write''s effects, so no committed row lacks its response. '
        'Kept 30 days, then purged by created_at.'`);
    await db.query(`CREATE INDEX api_idempotency_keys_by_created_at ON api_idempotency_keys (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS api_idempotency_keys`);
  }
}
