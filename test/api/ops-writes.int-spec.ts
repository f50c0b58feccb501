/**
 * The ops API's writes and the reads that go with them, as they run (apps/api/src/main.ts in a
 * child process) on real lines granted by the real underwriter from real Redis profiles:
 * manual freeze and unfreeze, the portfolio budget, the profile, the audit log, and the OpenAPI
 * document of every route. For each route: the role matrix; for each write: validation that
 * names the field, idempotency, and an audit entry exactly when it took effect.
 */
import { randomUUID } from 'node:crypto';
import {
  CreditDecisionRow,
  DECISION_PAGE_SIZE_MAX,
  readDecisionPageById,
  recomputeDecision,
  storedDecisionOfRow,
} from '@lendstream/credit';
import { signHs256Token } from '../../libs/platform/src/auth/adapters/development-token';
import { ApiProcess, ApiRequest, ApiResponse, mappedRoutes } from './support/api-process';
import { OpsWorld } from './support/ops-world';

jest.setTimeout(180_000);

const SECRET = `ops-writes-${randomUUID()}`;
const BUDGET_500M_YUAN = 50_000_000_000n;
const UNKNOWN_MERCHANT = 'm-nobody-000000';

const token = (roles: string[], subject = 'alice') =>
  signHs256Token({ subject, roles, ttlSeconds: 900 }, SECRET, Date.now());
const errorOf = (body: unknown) => (body as { error: { code: string; message: string } }).error;
const newKey = () => randomUUID();

interface RouteCase {
  readonly name: string;
  readonly role: string;
  /** A request the right role gets a 2xx for (called once per test that needs it). */
  readonly request: () => { path: string } & ApiRequest;
}

describe('the ops API writes (real Postgres, Redis and underwriter)', () => {
  let world: OpsWorld;
  let api: ApiProcess;
  /** Merchants with a live line: [0] the freeze/unfreeze subject, [1] idempotency, [2] refusals. */
  let lined: string[];
  /** A merchant with a profile but no line yet, for the budget's effect on the next decision. */
  let unlined: string;

  const call = async (path: string, request: ApiRequest = {}): Promise<ApiResponse> =>
    api.request(path, request);
  const write = async (
    method: string,
    path: string,
    roles: string[],
    body: unknown,
    key: string = newKey(),
  ): Promise<ApiResponse> =>
    call(path, { method, token: await token(roles), headers: { 'idempotency-key': key }, body });

  beforeAll(async () => {
    world = await OpsWorld.create('opswrites', 4, BUDGET_500M_YUAN);
    const [a, b, c, d] = world.merchants;
    const outcomes = await world.underwriting.underwriteSignals([a!, b!, c!].map((m) => world.signalFor(m)));
    expect(outcomes.map((outcome) => outcome.kind === 'decided' && outcome.event)).toEqual([
      'credit-line.granted',
      'credit-line.granted',
      'credit-line.granted',
    ]);
    lined = [a!, b!, c!];
    unlined = d!;
    api = await ApiProcess.start({
      DATABASE_URL: world.database.url,
      AUTH_JWT_SECRET: SECRET,
      PROFILE_KEY_PREFIX: world.profileKeyPrefix,
      API_RATE_LIMIT_READS: '10000',
      API_RATE_LIMIT_WRITES: '10000',
      API_RATE_LIMIT_ANONYMOUS: '10000',
    });
  });

  afterAll(async () => {
    await api?.stop().catch(() => undefined);
    await world?.cleanup();
  });

  describe('the role matrix: no token 401, a wrong role 403, the right role 2xx', () => {
    const routes: RouteCase[] = [
      {
        name: 'GET profile',
        role: 'ops:read',
        request: () => ({ path: `/v1/merchants/${lined[0]}/profile` }),
      },
      { name: 'GET audit', role: 'ops:read', request: () => ({ path: '/v1/audit' }) },
      { name: 'GET budget', role: 'treasury', request: () => ({ path: '/v1/portfolio/budget' }) },
      {
        name: 'PUT budget',
        role: 'treasury',
        request: () => ({
          path: '/v1/portfolio/budget',
          method: 'PUT',
          headers: { 'idempotency-key': newKey() },
          body: { currency: 'CNY', budgetMinor: BUDGET_500M_YUAN.toString() },
        }),
      },
      {
        name: 'POST freeze',
        role: 'ops:write',
        request: () => ({
          path: `/v1/merchants/${lined[2]}/credit-line/freeze`,
          method: 'POST',
          headers: { 'idempotency-key': 'matrix-freeze' },
          body: { reason: 'role matrix' },
        }),
      },
      {
        name: 'POST unfreeze',
        role: 'ops:write',
        request: () => ({
          path: `/v1/merchants/${lined[2]}/credit-line/unfreeze`,
          method: 'POST',
          headers: { 'idempotency-key': 'matrix-unfreeze' },
          body: { reason: 'role matrix' },
        }),
      },
    ];

    it.each(routes)('$name ($role)', async ({ role, request }) => {
      const auditBefore = await world.auditCount();
      const { path, ...rest } = request();
      const none = await call(path, rest);
      expect(none.status).toBe(401);
      expect(errorOf(none.body).code).toBe('UNAUTHENTICATED');
      const everyOtherRole = [
        'ops:read',
        'ops:write',
        'treasury',
        'lending:drawdown',
        'lending:repay',
      ].filter((other) => other !== role);
      const wrong = await call(path, { ...rest, token: await token(everyOtherRole) });
      expect(wrong.status).toBe(403);
      expect(errorOf(wrong.body)).toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining(role),
      });
      // Refused requests leave no trace in the audit log.
      expect(await world.auditCount()).toBe(auditBefore);
      const right = await call(path, { ...rest, token: await token([role]) });
      expect(right.status).toBeGreaterThanOrEqual(200);
      expect(right.status).toBeLessThan(300);
    });
  });

  describe('validation: a 400 naming the field on every write, with no effect', () => {
    it.each<[string, string, string, unknown, string]>([
      ['freeze without a reason', 'POST', 'freeze', {}, 'reason: must be a string'],
      ['freeze with an empty reason', 'POST', 'freeze', { reason: '   ' }, 'reason: must not be empty'],
      [
        'freeze with a long reason',
        'POST',
        'freeze',
        { reason: 'x'.repeat(513) },
        'reason: must be at most 512 characters',
      ],
      ['freeze with a control character', 'POST', 'freeze', { reason: 'a\nb' }, 'reason: must be one line'],
      [
        'unfreeze with an unknown field',
        'POST',
        'unfreeze',
        { reason: 'ok', by: 'me' },
        'by: is not a field of this request',
      ],
      ['unfreeze with a reason not a string', 'POST', 'unfreeze', { reason: 42 }, 'reason: must be a string'],
    ])('%s', async (_case, method, action, body, message) => {
      const auditBefore = await world.auditCount();
      const response = await write(
        method,
        `/v1/merchants/${lined[0]}/credit-line/${action}`,
        ['ops:write'],
        body,
      );
      expect(response.status).toBe(400);
      expect(errorOf(response.body)).toEqual({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining(message),
      });
      expect(await world.auditCount()).toBe(auditBefore);
    });

    it.each<[string, unknown, string]>([
      [
        'a currency the policy does not lend in',
        { currency: 'EUR', budgetMinor: '1' },
        'currency: must be a currency the credit policy lends in',
      ],
      ['not an ISO code', { currency: 'cny', budgetMinor: '1' }, 'currency: must be an ISO 4217 code'],
      ['a negative budget', { currency: 'CNY', budgetMinor: '-5' }, 'budgetMinor: amount is negative'],
      ['a fractional budget', { currency: 'CNY', budgetMinor: 1.5 }, 'budgetMinor: amount is fractional'],
      [
        'a budget beyond a bigint',
        { currency: 'CNY', budgetMinor: '9223372036854775808' },
        'budgetMinor: amount exceeds 2^63 - 1',
      ],
      ['no budget', { currency: 'CNY' }, 'budgetMinor:'],
    ])('PUT budget with %s', async (_case, body, message) => {
      const auditBefore = await world.auditCount();
      const response = await write('PUT', '/v1/portfolio/budget', ['treasury'], body);
      expect(response.status).toBe(400);
      expect(errorOf(response.body)).toEqual({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining(message),
      });
      expect(await world.auditCount()).toBe(auditBefore);
    });

    it.each([
      ['POST', `/credit-line/freeze`, 'ops:write', { reason: 'no key' }],
      ['PUT', '/portfolio/budget', 'treasury', { currency: 'CNY', budgetMinor: '1' }],
    ])('%s …%s without an Idempotency-Key', async (method, suffix, role, body) => {
      const path = suffix.startsWith('/credit-line') ? `/v1/merchants/${lined[0]}${suffix}` : `/v1${suffix}`;
      const response = await call(path, { method, token: await token([role]), body });
      expect(response.status).toBe(400);
      expect(errorOf(response.body).message).toContain('Idempotency-Key: required on this write');
    });

    it('a merchant id that is not one is a 400 naming it', async () => {
      const response = await write('POST', '/v1/merchants/bad%20id/credit-line/freeze', ['ops:write'], {
        reason: 'x',
      });
      expect(response.status).toBe(400);
      expect(errorOf(response.body).message).toContain('merchantId: must be 1-64 characters');
    });
  });

  describe('manual freeze and unfreeze', () => {
    it('freezes: a stored manual decision, a credit-line.frozen event, and an audit entry with before and after', async () => {
      const merchant = lined[0]!;
      const key = newKey();
      const response = await write(
        'POST',
        `/v1/merchants/${merchant}/credit-line/freeze`,
        ['ops:write'],
        {
          reason: 'chargeback fraud under review',
        },
        key,
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('idempotent-replayed')).toBe('false');
      const body = response.body as { decisionId: string; event: string; line: Record<string, unknown> };
      expect(body).toMatchObject({
        merchantId: merchant,
        event: 'credit-line.frozen',
        line: {
          status: 'FROZEN',
          availableMinor: '0',
          manualFreeze: true,
          reasons: [{ code: 'MANUAL_FREEZE', message: 'chargeback fraud under review' }],
        },
      });
      expect(await world.outboxTypes(merchant)).toEqual(['credit-line.granted', 'credit-line.frozen']);
      const [decision] = await world.db.query(
        `SELECT trigger_kind, trigger_source, event_type, inputs->'command' AS command FROM credit_decisions WHERE decision_id = $1`,
        [body.decisionId],
      );
      expect(decision).toEqual({
        trigger_kind: 'manual',
        trigger_source: '/lendstream/api',
        event_type: 'credit-line.frozen',
        command: { kind: 'manual-freeze', message: 'chargeback fraud under review' },
      });
      const [line] = await world.db.query(
        `SELECT status, manual_freeze, available_minor FROM credit_lines WHERE merchant_id = $1`,
        [merchant],
      );
      expect(line).toEqual({ status: 'FROZEN', manual_freeze: true, available_minor: '0' });

      const audit = await call(`/v1/audit?target=merchant:${merchant}&action=credit-line.freeze`, {
        token: await token(['ops:read']),
      });
      expect(audit.status).toBe(200);
      const [entry] = (audit.body as { items: Array<Record<string, unknown>> }).items;
      expect(entry).toMatchObject({
        subject: 'alice',
        roles: ['ops:write'],
        action: 'credit-line.freeze',
        route: 'POST /v1/merchants/:merchantId/credit-line/freeze',
        target: `merchant:${merchant}`,
        requestId: response.headers.get('x-request-id'),
        idempotencyKey: key,
        request: { reason: 'chargeback fraud under review' },
        before: { status: 'ACTIVE', manualFreeze: false },
        after: { status: 'FROZEN', manualFreeze: true, availableMinor: '0' },
      });
      // The decision's trigger names the audit entry: the two explain each other.
      expect(
        (
          await world.db.query(`SELECT trigger_id FROM credit_decisions WHERE decision_id = $1`, [
            body.decisionId,
          ])
        )[0].trigger_id,
      ).toBe(entry!.auditId);
    });

    it('freezing a manually frozen line again changes nothing: event null, no second event', async () => {
      const merchant = lined[0]!;
      const response = await write('POST', `/v1/merchants/${merchant}/credit-line/freeze`, ['ops:write'], {
        reason: 'again',
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ event: null, line: { status: 'FROZEN', manualFreeze: true } });
      expect(await world.outboxTypes(merchant)).toEqual(['credit-line.granted', 'credit-line.frozen']);
    });

    it('unfreezes: the policy reopens the line on the live profile, a credit-line.unfrozen event', async () => {
      const merchant = lined[0]!;
      const auditBefore = await world.auditCount();
      const response = await write('POST', `/v1/merchants/${merchant}/credit-line/unfreeze`, ['ops:write'], {
        reason: 'cleared by risk',
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        event: 'credit-line.unfrozen',
        line: {
          status: 'ACTIVE',
          manualFreeze: false,
          reasons: expect.arrayContaining([expect.objectContaining({ code: 'RECOVERED' })]),
        },
      });
      expect(await world.outboxTypes(merchant)).toEqual([
        'credit-line.granted',
        'credit-line.frozen',
        'credit-line.unfrozen',
      ]);
      expect(await world.auditCount()).toBe(auditBefore + 1);
      const [decision] = await world.db.query(
        `SELECT profile_found, features IS NOT NULL AS has_features FROM credit_decisions WHERE decision_id = $1`,
        [(response.body as { decisionId: string }).decisionId],
      );
      expect(decision).toEqual({ profile_found: true, has_features: true });
    });

    it('refuses an unfreeze of a line operations did not freeze: 409, no decision, no event, no audit entry', async () => {
      const merchant = lined[0]!; // ACTIVE again
      const decisionsBefore = await world.db.query(
        `SELECT count(*)::int AS n FROM credit_decisions WHERE merchant_id = $1`,
        [merchant],
      );
      const auditBefore = await world.auditCount();
      const key = newKey();
      const response = await write(
        'POST',
        `/v1/merchants/${merchant}/credit-line/unfreeze`,
        ['ops:write'],
        { reason: 'why not' },
        key,
      );
      expect(response.status).toBe(409);
      expect(errorOf(response.body)).toMatchObject({
        code: 'CREDIT_LINE_NOT_MANUALLY_FROZEN',
        message: expect.stringContaining('ACTIVE'),
      });
      expect(
        await world.db.query(`SELECT count(*)::int AS n FROM credit_decisions WHERE merchant_id = $1`, [
          merchant,
        ]),
      ).toEqual(decisionsBefore);
      expect(await world.outboxTypes(merchant)).toHaveLength(3);
      expect(await world.auditCount()).toBe(auditBefore);
      // A refusal is an answer like any other: the same key gives it again.
      const again = await write(
        'POST',
        `/v1/merchants/${merchant}/credit-line/unfreeze`,
        ['ops:write'],
        { reason: 'why not' },
        key,
      );
      expect(again.status).toBe(409);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    });

    it('refuses a freeze of a merchant without a line: 404, no audit entry', async () => {
      const auditBefore = await world.auditCount();
      const response = await write(
        'POST',
        `/v1/merchants/${UNKNOWN_MERCHANT}/credit-line/freeze`,
        ['ops:write'],
        { reason: 'x' },
      );
      expect(response.status).toBe(404);
      expect(errorOf(response.body)).toEqual({
        code: 'CREDIT_LINE_NOT_FOUND',
        message: `merchant ${UNKNOWN_MERCHANT} has no credit line`,
      });
      expect(await world.auditCount()).toBe(auditBefore);
    });

    it('idempotency: the same key and body answer once with one effect; another body is a 409 with none', async () => {
      const merchant = lined[1]!;
      const key = newKey();
      const path = `/v1/merchants/${merchant}/credit-line/freeze`;
      const auditBefore = await world.auditCount();
      const first = await write('POST', path, ['ops:write'], { reason: 'first' }, key);
      const second = await write('POST', path, ['ops:write'], { reason: 'first' }, key);
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      const other = await write('POST', path, ['ops:write'], { reason: 'second thoughts' }, key);
      expect(other.status).toBe(409);
      expect(errorOf(other.body).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await world.outboxTypes(merchant)).toEqual(['credit-line.granted', 'credit-line.frozen']);
      expect(await world.auditCount()).toBe(auditBefore + 1);
    });

    it('every stored decision, manual ones included, recomputes exactly (replay -- decisions)', async () => {
      const rows: CreditDecisionRow[] = await readDecisionPageById(
        world.db.manager,
        null,
        DECISION_PAGE_SIZE_MAX,
      );
      const manual = rows.filter((row) => (row.trigger_kind as string) === 'manual');
      expect(manual.length).toBeGreaterThanOrEqual(4);
      for (const row of rows) expect(recomputeDecision(storedDecisionOfRow(row)).mismatches).toEqual([]);
    });
  });

  describe('the portfolio budget', () => {
    it('PUT changes the row, is audited before and after, is idempotent, and the next decision stands against it', async () => {
      const key = newKey();
      const small = '1000000';
      const auditBefore = await world.auditCount();
      const response = await write(
        'PUT',
        '/v1/portfolio/budget',
        ['treasury'],
        { currency: 'CNY', budgetMinor: small },
        key,
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        currency: 'CNY',
        budgetMinor: small,
        previousBudgetMinor: BUDGET_500M_YUAN.toString(),
        updatedBy: 'alice',
      });
      const again = await write(
        'PUT',
        '/v1/portfolio/budget',
        ['treasury'],
        { budgetMinor: small, currency: 'CNY' },
        key,
      );
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      const conflict = await write(
        'PUT',
        '/v1/portfolio/budget',
        ['treasury'],
        { currency: 'CNY', budgetMinor: '7' },
        key,
      );
      expect(conflict.status).toBe(409);
      expect(await world.auditCount()).toBe(auditBefore + 1);
      const [row] = await world.db.query(
        `SELECT budget_minor, updated_by FROM portfolio_budget WHERE currency = 'CNY'`,
      );
      expect(row).toEqual({ budget_minor: small, updated_by: 'alice' });

      const read = await call('/v1/portfolio/budget', { token: await token(['treasury']) });
      expect(read.body).toEqual({
        items: [expect.objectContaining({ currency: 'CNY', budgetMinor: small, updatedBy: 'alice' })],
      });

      const audit = await call('/v1/audit?action=portfolio-budget.set&limit=1', {
        token: await token(['ops:read']),
      });
      expect((audit.body as { items: unknown[] }).items[0]).toMatchObject({
        target: 'portfolio-budget:CNY',
        before: { budgetMinor: BUDGET_500M_YUAN.toString() },
        after: { budgetMinor: small, updatedBy: 'alice' },
      });

      // The underwriter's next decision reads the new budget (per batch, under its lock).
      const [outcome] = await world.underwriting.underwriteSignals([world.signalFor(unlined)]);
      expect(outcome).toMatchObject({ kind: 'decided' });
      const [decision] = await world.db.query(
        `SELECT inputs->'budget'->>'budgetMinor' AS budget, resulting_state->>'limitMinor' AS limit
         FROM credit_decisions WHERE merchant_id = $1 AND NOT shadow`,
        [unlined],
      );
      expect(decision.budget).toBe(small);
      expect(BigInt(decision.limit ?? '0')).toBeLessThanOrEqual(BigInt(small));
    });
  });

  describe('GET /v1/merchants/{merchantId}/profile', () => {
    it('gives every window, money as strings', async () => {
      const merchant = lined[1]!;
      const response = await call(`/v1/merchants/${merchant}/profile`, { token: await token(['ops:read']) });
      expect(response.status).toBe(200);
      const body = response.body as {
        windows: Array<{ windowDays: number; paidAmountMinor: string; paidOrders: number }>;
        newestEventAt: string;
      };
      expect(body).toMatchObject({
        merchantId: merchant,
        currency: 'CNY',
        newestEventAt: world.newestEventAt.get(merchant),
      });
      expect(body.windows.map((window) => window.windowDays)).toEqual([1, 7, 30, 90]);
      expect(body.windows[3]!.paidOrders).toBeGreaterThan(0);
      expect(body.windows[3]!.paidAmountMinor).toMatch(/^\d+$/);
    });

    it('as of an instant given: windows end on its day', async () => {
      const response = await call(`/v1/merchants/${lined[1]}/profile?asOf=2020-01-01T00:00:00Z`, {
        token: await token(['ops:read']),
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        asOf: '2020-01-01T00:00:00.000Z',
        windows: expect.arrayContaining([expect.objectContaining({ windowDays: 90, paidOrders: 0 })]),
      });
    });

    it('404 when there is none, saying why there may be none; 400 for a bad asOf', async () => {
      const missing = await call(`/v1/merchants/${UNKNOWN_MERCHANT}/profile`, {
        token: await token(['ops:read']),
      });
      expect(missing.status).toBe(404);
      expect(errorOf(missing.body)).toMatchObject({
        code: 'PROFILE_NOT_FOUND',
        message: expect.stringContaining('unknown merchant or not yet rebuilt'),
      });
      const bad = await call(`/v1/merchants/${lined[1]}/profile?asOf=yesterday`, {
        token: await token(['ops:read']),
      });
      expect(bad.status).toBe(400);
      expect(errorOf(bad.body).message).toContain('asOf: must be an RFC 3339 timestamp');
    });
  });

  describe('GET /v1/audit', () => {
    it('is newest first, a page at a time, filterable; 400 for a bad filter or cursor', async () => {
      const reader = await token(['ops:read']);
      const all = (await call('/v1/audit?limit=100', { token: reader })).body as {
        items: Array<{ position: string; action: string }>;
      };
      const positions = all.items.map((item) => BigInt(item.position));
      expect(positions).toEqual([...positions].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
      expect(all.items.length).toBe(await world.auditCount());

      const first = (await call('/v1/audit?limit=2', { token: reader })).body as {
        items: Array<{ position: string }>;
        nextCursor: string;
      };
      const second = (await call(`/v1/audit?limit=2&cursor=${first.nextCursor}`, { token: reader })).body as {
        items: Array<{ position: string }>;
      };
      expect([...first.items, ...second.items].map((item) => item.position)).toEqual(
        all.items.slice(0, 4).map((item) => item.position),
      );

      const unfreezes = (await call('/v1/audit?action=credit-line.unfreeze', { token: reader })).body as {
        items: Array<{ action: string }>;
      };
      expect(unfreezes.items.length).toBeGreaterThan(0);
      expect(unfreezes.items.every((item) => item.action === 'credit-line.unfreeze')).toBe(true);

      for (const [query, message] of [
        ['limit=0', 'limit: must be a whole number from 1 to 100'],
        ['cursor=nope', 'cursor: is not a cursor this API issued'],
        ['action=DROP TABLE', 'action: must be an action such as'],
        ['target=m-1', 'target: must be a target such as'],
        ['since=yesterday', 'since: is not a field of this request'],
      ]) {
        const response = await call(`/v1/audit?${query}`, { token: reader });
        expect(response.status).toBe(400);
        expect(errorOf(response.body).message).toContain(message);
      }
    });

    it('is append-only: the database refuses to change or delete an entry', async () => {
      await expect(world.db.query(`UPDATE audit_log SET subject = 'mallory'`)).rejects.toThrow(
        'audit_log is append-only: UPDATE',
      );
      await expect(world.db.query(`DELETE FROM audit_log`)).rejects.toThrow(
        'audit_log is append-only: DELETE',
      );
      await expect(world.db.query(`TRUNCATE audit_log`)).rejects.toThrow(
        'audit_log is append-only: TRUNCATE',
      );
    });
  });

  describe('the OpenAPI document and the docs page', () => {
    it('documents every registered route with its security requirement', async () => {
      const registered = mappedRoutes(api.service.output);
      expect(registered.length).toBeGreaterThanOrEqual(12);
      const response = await call('/docs/openapi.json');
      expect(response.status).toBe(200);
      const document = response.body as {
        openapi: string;
        paths: Record<
          string,
          Record<
            string,
            {
              security: Array<Record<string, string[]>>;
              summary: string;
              responses: Record<string, unknown>;
              'x-required-roles': string[];
            }
          >
        >;
        components: { securitySchemes: Record<string, { type: string; scheme: string }> };
      };
      expect(document.openapi).toBe('3.1.0');
      expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      const publicPaths = new Set([
        '/health/live',
        '/health/ready',
        '/docs',
        '/docs/openapi.json',
        '/docs/assets/:file',
        '/metrics',
        // The dashboard's static files: they hold no data (the page reads /v1 with the operator's token).
        '/dashboard',
        '/dashboard/assets/:file',
      ]);
      for (const { method, path } of registered) {
        const operation = document.paths[path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[method.toLowerCase()];
        expect({ route: `${method} ${path}`, documented: operation !== undefined }).toEqual({
          route: `${method} ${path}`,
          documented: true,
        });
        expect(operation!.summary.length).toBeGreaterThan(0);
        expect(Object.keys(operation!.responses).some((status) => status.startsWith('2'))).toBe(true);
        if (publicPaths.has(path)) expect(operation!.security).toEqual([]);
        else {
          expect(operation!.security.length).toBeGreaterThan(0);
          expect(operation!.security).toEqual(
            operation!['x-required-roles'].map((role) => ({ bearer: [role] })),
          );
          expect(operation!.responses).toHaveProperty('401');
          expect(operation!.responses).toHaveProperty('403');
        }
      }
      // The contract's roles, where this API already serves the route.
      const roleOf = (method: string, path: string) => document.paths[path]?.[method]?.['x-required-roles'];
      expect(roleOf('get', '/v1/merchants/{merchantId}/profile')).toEqual(['ops:read']);
      expect(roleOf('post', '/v1/merchants/{merchantId}/credit-line/freeze')).toEqual(['ops:write']);
      expect(roleOf('post', '/v1/merchants/{merchantId}/credit-line/unfreeze')).toEqual(['ops:write']);
      expect(roleOf('put', '/v1/portfolio/budget')).toEqual(['treasury']);
      expect(roleOf('get', '/v1/portfolio/budget')).toEqual(['treasury']);
      expect(roleOf('get', '/v1/audit')).toEqual(['ops:read']);
      expect(roleOf('get', '/v1/dead-letters')).toEqual(['ops:read']);
      expect(roleOf('get', '/v1/credit-line-events/stream')).toEqual(['ops:read']);
    });

    it('serves Swagger UI from the API itself: nothing from a CDN', async () => {
      const page = await fetch(`${api.baseUrl}/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
      expect(sources.length).toBeGreaterThanOrEqual(4);
      for (const source of sources) {
        expect(source.startsWith('/docs/')).toBe(true);
        const asset = await fetch(`${api.baseUrl}${source}`);
        expect({ source, status: asset.status }).toEqual({ source, status: 200 });
      }
      const init = await (await fetch(`${api.baseUrl}/docs/assets/docs-init.js`)).text();
      expect(init).toContain('validatorUrl: null');
      expect((await fetch(`${api.baseUrl}/docs/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
    });
  });
});
