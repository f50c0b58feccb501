/**
 * The ops API as it runs (apps/api/src/main.ts in a child process, HS256 development tokens)
 * against a scratch database and the stack's Kafka and Redis: the role guard on every route,
 * the read routes end to end, the contract's error format, the HTTP conventions, health, and
 * a clean stop on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { encodeDecisionCursor } from '../../apps/api/src/merchants/decision-cursor';
import { signHs256Token } from '../../libs/platform/src/auth/adapters/development-token';
import { ApiProcess } from './support/api-process';
import { ApiTestDatabase } from './support/api-test-database';
import { insertDecision, SeededDecision, upsertLine } from './support/credit-rows';

jest.setTimeout(120_000);

const SECRET = `api-int-spec-${randomUUID()}`;
const BODY_LIMIT_BYTES = 2_048;
const MERCHANT = 'm-api-000001';
const OTHER_MERCHANT = 'm-api-000002';
const LINE_ID = randomUUID();

const token = (roles: string[], { secret = SECRET, ttlSeconds = 600, nowMs = Date.now() } = {}) =>
  signHs256Token({ subject: 'alice', roles, ttlSeconds }, secret, nowMs);

const errorOf = (body: unknown) => (body as { error: { code: string; message: string } }).error;

describe('the ops API (HS256, real Postgres, Kafka and Redis)', () => {
  let database: ApiTestDatabase;
  let db: DataSource;
  let api: ApiProcess;
  const decisions: SeededDecision[] = [];

  beforeAll(async () => {
    database = await ApiTestDatabase.create('routes');
    db = await database.connect('api-int-spec');
    // Five live decisions about MERCHANT, a shadow one and another merchant's: only the five are its history.
    for (let day = 1; day <= 5; day += 1)
      decisions.push(
        await insertDecision(db, MERCHANT, LINE_ID, `2026-11-0${day}T08:00:00.000Z`, `${day}00000`),
      );
    await insertDecision(db, MERCHANT, LINE_ID, '2026-11-09T08:00:00.000Z', '1', { shadow: true });
    await insertDecision(db, OTHER_MERCHANT, randomUUID(), '2026-11-09T08:00:00.000Z', '7');
    await upsertLine(db, MERCHANT, LINE_ID, decisions[4]!, '9007199254740993');
    api = await ApiProcess.start({
      DATABASE_URL: database.url,
      AUTH_JWT_SECRET: SECRET,
      API_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
    });
  });

  afterAll(async () => {
    await api?.stop().catch(() => undefined);
    await database?.cleanup();
  });

  describe('the role guard', () => {
    const routes = [`/v1/merchants/${MERCHANT}/credit-line`, `/v1/merchants/${MERCHANT}/decisions`];

    it.each(routes)('%s: no token → 401 with a Bearer challenge', async (path) => {
      const response = await api.request(path);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="lendstream"');
      expect(errorOf(response.body)).toEqual({
        code: 'UNAUTHENTICATED',
        message: 'this route needs a bearer token (Authorization: Bearer <jwt>)',
      });
    });

    it.each(routes)('%s: a token without ops:read → 403', async (path) => {
      const response = await api.request(path, { token: await token(['ops:write', 'lending:drawdown']) });
      expect(response.status).toBe(403);
      expect(errorOf(response.body)).toEqual({
        code: 'FORBIDDEN',
        message: 'this route needs the role ops:read; the token of alice holds ops:write, lending:drawdown',
      });
      expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    });

    it.each(routes)('%s: a token with ops:read → 200', async (path) => {
      const response = await api.request(path, { token: await token(['ops:read']) });
      expect(response.status).toBe(200);
    });

    const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    it.each<[string, () => Promise<string>, string]>([
      [
        'signed with another secret',
        () => token(['ops:read'], { secret: `${SECRET}-not` }),
        'signature does not verify',
      ],
      [
        'expired',
        () => token(['ops:read'], { nowMs: Date.now() - 3_600_000 }),
        'the bearer token expired at',
      ],
      [
        'unsigned (alg none)',
        async () =>
          `${segment({ alg: 'none' })}.${segment({ sub: 'mallory', roles: ['ops:read'], exp: Date.now() / 1_000 + 60 })}.`,
        'signed with "none"',
      ],
      [
        'without a roles claim',
        () =>
          new SignJWT({})
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('alice')
            .setExpirationTime('5m')
            .sign(new TextEncoder().encode(SECRET)),
        'has no roles claim',
      ],
      ['not a JWT', async () => 'not-a-jwt', 'not a JWT'],
    ])('a token %s → 401 invalid_token', async (_case, makeToken, message) => {
      const response = await api.request(routes[0]!, { token: await makeToken() });
      expect(response.status).toBe(401);
      expect(errorOf(response.body).code).toBe('UNAUTHENTICATED');
      expect(errorOf(response.body).message).toContain(message);
      expect(response.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="lendstream", error="invalid_token", error_description="/,
      );
    });

    it('another scheme → 401', async () => {
      const response = await api.request(routes[0]!, { headers: { authorization: 'Basic YWxpY2U6cHc=' } });
      expect(response.status).toBe(401);
      expect(errorOf(response.body).message).toBe('the Authorization header must be "Bearer <jwt>"');
    });

    it('checks the token before the request: an unauthenticated bad request is a 401, not a 400', async () => {
      expect((await api.request('/v1/merchants/bad%20id/decisions?limit=0')).status).toBe(401);
    });
  });

  describe('GET /v1/merchants/{merchantId}/credit-line', () => {
    it('gives the line, money as exact strings, with its last decision and reasons', async () => {
      const response = await api.request(`/v1/merchants/${MERCHANT}/credit-line`, {
        token: await token(['ops:read']),
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        merchantId: MERCHANT,
        creditLineId: LINE_ID,
        status: 'ACTIVE',
        currency: 'CNY',
        limitMinor: '9007199254740993',
        availableMinor: '9007199254740993',
        outstandingMinor: '0',
        dailyRateBps: 5,
        reasons: [{ code: 'LIMIT_BY_BORROWING_BASE', message: expect.any(String) }],
        lastDecision: {
          decisionId: decisions[4]!.decisionId,
          decidedAt: '2026-11-05T08:00:00.000Z',
          event: 'credit-line.adjusted',
          reasons: [{ code: 'LIMIT_BY_BORROWING_BASE', message: expect.any(String) }],
          line: { limitMinor: '500000', status: 'ACTIVE' },
          assessment: { grade: 'A', score: 800, eligible: true },
        },
      });
    });

    it('404 in the contract format for a merchant with no line', async () => {
      const response = await api.request('/v1/merchants/m-nobody/credit-line', {
        token: await token(['ops:read']),
      });
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        error: { code: 'CREDIT_LINE_NOT_FOUND', message: 'merchant m-nobody has no credit line' },
      });
    });

    it('400 naming merchantId for an id the contract does not allow', async () => {
      const response = await api.request('/v1/merchants/%7Bm-1%7D/credit-line', {
        token: await token(['ops:read']),
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: {
          code: 'VALIDATION_FAILED',
          message: 'merchantId: must be 1-64 characters of A-Z a-z 0-9 . _ : -',
        },
      });
    });
  });

  describe('GET /v1/merchants/{merchantId}/decisions', () => {
    const page = async (query: string) =>
      api.request(`/v1/merchants/${MERCHANT}/decisions${query}`, { token: await token(['ops:read']) });
    const idsOf = (body: unknown) =>
      (body as { items: Array<{ decisionId: string }> }).items.map((item) => item.decisionId);

    it('pages through the live decisions newest first, with no skip and no repeat', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await page(`?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
        expect(response.status).toBe(200);
        seen.push(...idsOf(response.body));
        cursor = (response.body as { nextCursor: string | null }).nextCursor;
        pages += 1;
      } while (cursor !== null);
      expect(pages).toBe(3);
      expect(seen).toEqual(decisions.map((decision) => decision.decisionId).reverse());
    });

    it('defaults to a page of 20', async () => {
      const response = await page('');
      expect(idsOf(response.body)).toHaveLength(5);
      expect((response.body as { nextCursor: unknown }).nextCursor).toBeNull();
    });

    it('is an empty page for a merchant with no decisions', async () => {
      const response = await api.request('/v1/merchants/m-quiet/decisions', {
        token: await token(['ops:read']),
      });
      expect(response.body).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['?limit=0', 'limit: must be a whole number from 1 to 100'],
      ['?limit=101', 'limit: must be a whole number from 1 to 100'],
      ['?limit=ten', 'limit: must be a whole number from 1 to 100'],
      ['?cursor=garbage', 'cursor: is not a cursor this API issued'],
      ['?sort=asc', 'sort: is not a field of this request'],
    ])('%s → 400 naming the field', async (query, message) => {
      const response = await page(query);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: { code: 'VALIDATION_FAILED', message: expect.stringContaining(message) },
      });
    });

    it("refuses another merchant's cursor", async () => {
      const first = await api.request(`/v1/merchants/${OTHER_MERCHANT}/decisions?limit=1`, {
        token: await token(['ops:read']),
      });
      expect(idsOf(first.body)).toHaveLength(1);
      const foreign = encodeDecisionCursor(idsOf(first.body)[0]!);
      const response = await page(`?cursor=${foreign}`);
      expect(response.status).toBe(400);
      expect(errorOf(response.body).message).toBe(`cursor: does not name a decision of merchant ${MERCHANT}`);
    });
  });

  describe('errors and HTTP conventions', () => {
    it('an unknown route is a 404 in the contract format', async () => {
      const response = await api.request('/v1/nothing-here');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        error: { code: 'NOT_FOUND', message: 'no route GET /v1/nothing-here' },
      });
    });

    it('a malformed JSON body is a 400 MALFORMED_JSON, not a 500', async () => {
      const response = await api.request('/v1/merchants/m-1/drawdowns', {
        method: 'POST',
        body: '{"amountMinor": ',
      });
      expect(response.status).toBe(400);
      expect(errorOf(response.body).code).toBe('MALFORMED_JSON');
      expect(errorOf(response.body).message).toMatch(/^body: not valid JSON/);
    });

    it('a body over API_BODY_LIMIT_BYTES is a 413', async () => {
      const response = await api.request('/v1/merchants/m-1/drawdowns', {
        method: 'POST',
        body: { note: 'x'.repeat(BODY_LIMIT_BYTES * 2) },
      });
      expect(response.status).toBe(413);
      expect(response.body).toEqual({
        error: {
          code: 'PAYLOAD_TOO_LARGE',
          message: `body: larger than the limit of ${BODY_LIMIT_BYTES} bytes`,
        },
      });
    });

    it('a body that is not JSON is a 415', async () => {
      const response = await api.request('/v1/merchants/m-1/drawdowns', {
        method: 'POST',
        body: 'amountMinor=100',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(response.status).toBe(415);
      expect(errorOf(response.body)).toEqual({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'Content-Type: expected application/json, got "application/x-www-form-urlencoded"',
      });
    });

    it('sends security headers and no-store, and no CORS headers when CORS is off', async () => {
      const response = await api.request('/health/live', { headers: { origin: 'https://evil.example.com' } });
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-powered-by')).toBeNull();
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await api.request('/v1/merchants/m-1/credit-line', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('health', () => {
    it('/health/live needs no token', async () => {
      expect(await api.request('/health/live')).toMatchObject({ status: 200, body: { status: 'live' } });
    });

    it('/health/ready checks Kafka, Postgres and Redis', async () => {
      expect(await api.request('/health/ready')).toMatchObject({
        status: 200,
        body: {
          status: 'ready',
          checks: { kafka: { status: 'up' }, postgres: { status: 'up' }, redis: { status: 'up' } },
        },
      });
    });
  });

  it('stops cleanly on SIGTERM (exit code 0)', async () => {
    await api.stop();
    expect(api.service.exit).toEqual({ code: 0, signal: null });
    expect(api.service.logged('failed')).toBe(false);
  });
});
