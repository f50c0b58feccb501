/**
 * Lending's routes of the ops API as it runs (apps/api/src/main.ts in a child process): the
 * role matrix of every lending route, the loans of a merchant a page at a time, one loan with
 * its schedule, interest and days past due, the portfolio against the budget, the trial
 * balance, and the OpenAPI document of these routes. Loans are made as lending makes them
 * (requestDrawdown, then treasury's answer) at business times in the past, so they have
 * interest to show and can be late.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { seedPortfolioBudget } from '@lendstream/credit';
import {
  failDisbursementById,
  LENDING_POLICY_V1,
  requestDrawdown,
  settleDisbursementById,
} from '@lendstream/lending';
import { encodeLoanCursor } from '../../apps/api/src/lending/loan-page-query';
import { signHs256Token } from '../../libs/platform/src/auth/adapters/development-token';
import { ApiProcess, ApiRequest, ApiResponse } from './support/api-process';
import { ApiTestDatabase } from './support/api-test-database';
import { insertDecision, upsertLine } from './support/credit-rows';

jest.setTimeout(180_000);

const SECRET = `lending-reads-${randomUUID()}`;
const DAY_MS = 86_400_000;
const BUDGET_MINOR = 20_000_000n;
const ROLES = ['ops:read', 'ops:write', 'treasury', 'lending:drawdown', 'lending:repay'];

const token = (roles: string[], subject = 'ops-alice') =>
  signHs256Token({ subject, roles, ttlSeconds: 900 }, SECRET, Date.now());
const errorOf = (body: unknown) => (body as { error: { code: string; message: string } }).error;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

interface LoanSeed {
  readonly merchantId: string;
  readonly principalMinor: bigint;
  readonly termDays: number;
  readonly requestedDaysAgo: number;
  readonly outcome: 'pending' | 'settled' | 'failed';
}

interface PageBody {
  readonly asOf: string;
  readonly items: Array<Record<string, unknown> & { loanId: string }>;
  readonly nextCursor: string | null;
}

describe('lending reads and the role matrix of every lending route (real Postgres, child-process API)', () => {
  let database: ApiTestDatabase;
  let db: DataSource;
  let api: ApiProcess;
  const MERCHANT = 'm-lr-000001';
  const FROZEN_MERCHANT = 'm-lr-000002';
  const EMPTY_MERCHANT = 'm-lr-000003';
  /** MERCHANT's loans: pending (newest), current, cancelled, 33 days past due (oldest). */
  const loans: Record<'pending' | 'current' | 'cancelled' | 'late', string> = {
    pending: '',
    current: '',
    cancelled: '',
    late: '',
  };
  let frozenMerchantLoan: string;

  async function grantLine(merchantId: string, limitMinor: bigint): Promise<void> {
    const creditLineId = randomUUID();
    const decision = await insertDecision(db, merchantId, creditLineId, daysAgo(60), limitMinor.toString());
    await upsertLine(db, merchantId, creditLineId, decision, limitMinor.toString());
  }

  async function makeLoan(seed: LoanSeed): Promise<string> {
    const at = daysAgo(seed.requestedDaysAgo);
    return db.transaction(async (manager) => {
      const drawn = await requestDrawdown(
        manager,
        {
          merchantId: seed.merchantId,
          requestId: `seed-${randomUUID()}`,
          request: { amountMinor: seed.principalMinor, currency: 'CNY', termDays: seed.termDays },
          requestedAt: at,
        },
        LENDING_POLICY_V1,
      );
      if (drawn.kind !== 'created') throw new Error(`seed drawdown ${drawn.kind}`);
      const { merchantId, disbursementId } = drawn.loan;
      if (seed.outcome === 'settled') {
        const settled = await settleDisbursementById(manager, {
          merchantId,
          disbursementId,
          treasuryRef: `tr-${disbursementId}`,
          settledAt: at,
        });
        if (settled.kind !== 'applied') throw new Error(`seed settlement ${settled.kind}`);
      }
      if (seed.outcome === 'failed') {
        const failed = await failDisbursementById(manager, {
          merchantId,
          disbursementId,
          reason: 'BANK_REJECTED',
          failedAt: at,
        });
        if (failed.kind !== 'applied') throw new Error(`seed failure ${failed.kind}`);
      }
      return drawn.loan.loanId;
    });
  }

  const read = async (path: string, roles = ['ops:read']): Promise<ApiResponse> =>
    api.request(path, { token: await token(roles) });

  beforeAll(async () => {
    database = await ApiTestDatabase.create('lending_reads');
    db = await database.connect('lending-reads-spec', 4);
    await seedPortfolioBudget(db.manager, 'CNY', BUDGET_MINOR);
    await grantLine(MERCHANT, 5_000_000n);
    await grantLine(FROZEN_MERCHANT, 2_000_000n);
    await grantLine(EMPTY_MERCHANT, 3_000_000n);
    // 2 000 yuan at 5 bps: 100 fen a day. Paid out 40 days ago for 7 days: due 33 days ago.
    loans.late = await makeLoan({
      merchantId: MERCHANT,
      principalMinor: 200_000n,
      termDays: 7,
      requestedDaysAgo: 40,
      outcome: 'settled',
    });
    loans.cancelled = await makeLoan({
      merchantId: MERCHANT,
      principalMinor: 300_000n,
      termDays: 30,
      requestedDaysAgo: 5,
      outcome: 'failed',
    });
    loans.current = await makeLoan({
      merchantId: MERCHANT,
      principalMinor: 1_000_000n,
      termDays: 30,
      requestedDaysAgo: 3,
      outcome: 'settled',
    });
    loans.pending = await makeLoan({
      merchantId: MERCHANT,
      principalMinor: 400_000n,
      termDays: 14,
      requestedDaysAgo: 0,
      outcome: 'pending',
    });
    frozenMerchantLoan = await makeLoan({
      merchantId: FROZEN_MERCHANT,
      principalMinor: 500_000n,
      termDays: 30,
      requestedDaysAgo: 1,
      outcome: 'settled',
    });
    // Operations froze it after the loan: it still owes, it can draw nothing.
    await db.query(`UPDATE credit_lines SET status = 'FROZEN', available_minor = 0 WHERE merchant_id = $1`, [
      FROZEN_MERCHANT,
    ]);
    api = await ApiProcess.start({
      DATABASE_URL: database.url,
      AUTH_JWT_SECRET: SECRET,
      API_RATE_LIMIT_READS: '100000',
      API_RATE_LIMIT_WRITES: '100000',
      API_RATE_LIMIT_ANONYMOUS: '100000',
    });
  });

  afterAll(async () => {
    await api?.stop().catch(() => undefined);
    await database?.cleanup();
  });

  describe('GET /v1/merchants/{merchantId}/loans', () => {
    it('pages the loans newest first, each with its schedule, interest and days past due', async () => {
      const first = await read(`/v1/merchants/${MERCHANT}/loans?limit=2`);
      expect(first.status).toBe(200);
      const page1 = first.body as PageBody;
      expect(page1.items.map((loan) => loan.loanId)).toEqual([loans.pending, loans.current]);
      expect(page1.nextCursor).not.toBeNull();
      expect(page1.items[0]).toMatchObject({
        status: 'PENDING_DISBURSEMENT',
        principalMinor: '400000',
        schedule: null,
        daysPastDue: null,
      });
      expect(page1.items[1]).toMatchObject({
        status: 'ACTIVE',
        outstandingPrincipalMinor: '1000000',
        daysPastDue: 0,
        delinquencyBucket: 'CURRENT',
        // Paid out three days ago: three ended days at 500 fen, none posted yet (no review ran).
        interest: { postedMinor: '0', unpostedMinor: '1500' },
        schedule: { termDays: 30, dailyRateBps: 5, payoffTodayMinor: '1001500' },
      });

      const second = await read(`/v1/merchants/${MERCHANT}/loans?limit=2&cursor=${page1.nextCursor}`);
      const page2 = second.body as PageBody;
      expect(page2.items.map((loan) => loan.loanId)).toEqual([loans.cancelled, loans.late]);
      expect(page2.nextCursor).toBeNull();

      const all = (await read(`/v1/merchants/${MERCHANT}/loans`)).body as PageBody;
      expect(all.items.map((loan) => loan.loanId)).toEqual([
        loans.pending,
        loans.current,
        loans.cancelled,
        loans.late,
      ]);
    });

    it('an empty page for a merchant without loans; 400 naming a bad limit, cursor or parameter', async () => {
      const empty = await read(`/v1/merchants/${EMPTY_MERCHANT}/loans`);
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({ items: [], nextCursor: null });
      for (const [query, message] of [
        ['limit=0', 'limit: must be a whole number from 1 to 100'],
        ['limit=101', 'limit: must be a whole number from 1 to 100'],
        ['cursor=garbage', 'cursor: is not a cursor this API issued'],
        [
          `cursor=${encodeLoanCursor(frozenMerchantLoan)}`,
          `cursor: does not name a loan of merchant ${MERCHANT}`,
        ],
        [`cursor=${encodeLoanCursor(randomUUID())}`, `cursor: does not name a loan of merchant ${MERCHANT}`],
        ['status=ACTIVE', 'status: is not a field of this request'],
      ]) {
        const response = await read(`/v1/merchants/${MERCHANT}/loans?${query}`);
        expect({ query, status: response.status }).toEqual({ query, status: 400 });
        expect(errorOf(response.body).message).toContain(message);
      }
    });
  });

  describe('GET /v1/loans/{loanId}', () => {
    it('a late loan: days past due, its bucket, no payoff on a due day that has passed, interest still accruing', async () => {
      const response = await read(`/v1/loans/${loans.late}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        loanId: loans.late,
        merchantId: MERCHANT,
        status: 'ACTIVE',
        currency: 'CNY',
        principalMinor: '200000',
        outstandingPrincipalMinor: '200000',
        accruedInterestMinor: '0',
        daysPastDue: 33,
        delinquencyBucket: 'DPD_31_60',
        // 40 ended days at 100 fen: interest runs on past the due day, until the write-off day.
        interest: { unpostedMinor: '4000' },
        schedule: { termDays: 7, payoffTodayMinor: '204000', payoffOnDueDayMinor: null },
        repayments: [],
      });
      const body = response.body as { asOf: string; schedule: { dueAt: string } };
      expect(Math.abs(Date.parse(body.asOf) - Date.now())).toBeLessThan(60_000);
      expect(body.schedule.dueAt).toMatch(/T23:59:59\.999Z$/);
    });

    it('a cancelled loan: treasury’s reason, no schedule', async () => {
      const response = await read(`/v1/loans/${loans.cancelled}`);
      expect(response.body).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'BANK_REJECTED',
        schedule: null,
        daysPastDue: null,
        outstandingPrincipalMinor: '0',
      });
    });

    it('404 LOAN_NOT_FOUND for an unknown loan, 400 naming loanId for one that is not an id', async () => {
      const unknown = await read(`/v1/loans/${randomUUID()}`);
      expect(unknown.status).toBe(404);
      expect(errorOf(unknown.body).code).toBe('LOAN_NOT_FOUND');
      const bad = await read('/v1/loans/loan-1');
      expect(bad.status).toBe(400);
      expect(errorOf(bad.body).message).toContain('loanId: must be a loan id');
    });
  });

  describe('GET /v1/portfolio', () => {
    it('the budget and its use as the underwriter counts it, the lines, the loans by status and days past due', async () => {
      const response = await read('/v1/portfolio');
      expect(response.status).toBe(200);
      const body = response.body as { currencies: Array<Record<string, unknown> & { currency: string }> };
      expect(body.currencies.map((currency) => currency.currency)).toEqual(['CNY']);

      // What the budget counts, computed here from the rows: max(limit, lent) per open line.
      const lines: Array<{ limit_minor: string; lent: string }> = await db.query(
        `SELECT limit_minor, (outstanding_minor + reserved_minor)::text AS lent FROM credit_lines`,
      );
      const used = lines.reduce((sum, line) => {
        const limit = BigInt(line.limit_minor);
        const lent = BigInt(line.lent);
        return sum + (limit > lent ? limit : lent);
      }, 0n);
      expect(used).toBe(5_000_000n + 2_000_000n + 3_000_000n);

      expect(body.currencies[0]).toMatchObject({
        budget: {
          budgetMinor: BUDGET_MINOR.toString(),
          usedMinor: used.toString(),
          headroomMinor: (BUDGET_MINOR - used).toString(),
          usedBps: Number((used * 10_000n) / BUDGET_MINOR),
        },
        lines: {
          byStatus: {
            ACTIVE: {
              count: 2,
              limitMinor: '8000000',
              // MERCHANT: 5 000 000 − 1 200 000 lent − 400 000 reserved; EMPTY_MERCHANT: all of it.
              availableMinor: '6400000',
              reservedMinor: '400000',
              outstandingMinor: '1200000',
            },
            FROZEN: { count: 1, availableMinor: '0', outstandingMinor: '500000' },
            CLOSED: { count: 0 },
          },
          availableMinor: '6400000',
        },
        loans: {
          exposureMinor: '1700000',
          reservedMinor: '400000',
          byStatus: {
            PENDING_DISBURSEMENT: { count: 1, principalMinor: '400000' },
            ACTIVE: { count: 3, principalMinor: '1700000', outstandingPrincipalMinor: '1700000' },
            CANCELLED: { count: 1, principalMinor: '300000', outstandingPrincipalMinor: '0' },
            REPAID: { count: 0 },
            WRITTEN_OFF: { count: 0 },
          },
          activeByBucket: {
            CURRENT: { count: 2, outstandingPrincipalMinor: '1500000' },
            DPD_31_60: { count: 1, outstandingPrincipalMinor: '200000' },
            DPD_1_30: { count: 0 },
          },
        },
      });
    });
  });

  describe('GET /v1/ledger/trial-balance', () => {
    it("every account per currency, debits equal credits, and the loans' principal on loans receivable", async () => {
      const response = await read('/v1/ledger/trial-balance');
      expect(response.status).toBe(200);
      const body = response.body as {
        balanced: boolean;
        currencies: Array<{
          currency: string;
          balanced: boolean;
          debitMinor: string;
          creditMinor: string;
          accounts: Array<{ account: string; balanceMinor: string; debitMinor: string; creditMinor: string }>;
        }>;
      };
      expect(body.balanced).toBe(true);
      const [cny] = body.currencies;
      expect(cny).toMatchObject({ currency: 'CNY', balanced: true });
      expect(cny!.debitMinor).toBe(cny!.creditMinor);
      const balance = (account: string) => cny!.accounts.find((row) => row.account === account)!.balanceMinor;
      expect(balance('LOANS_RECEIVABLE')).toBe('1700000');
      expect(balance('LOANS_AWAITING_DISBURSEMENT')).toBe('400000');
      // Treasury funded 1 700 000 of payouts: its clearing account is that much below zero.
      expect(balance('TREASURY_CLEARING')).toBe('-1700000');
      const sum = (field: 'debitMinor' | 'creditMinor') =>
        cny!.accounts.reduce((total, row) => total + BigInt(row[field]), 0n).toString();
      expect(sum('debitMinor')).toBe(cny!.debitMinor);
      expect(sum('creditMinor')).toBe(cny!.creditMinor);
    });

    it('one currency with ?currency=; 400 naming a bad currency or parameter', async () => {
      expect((await read('/v1/ledger/trial-balance?currency=USD')).body).toEqual({
        balanced: true,
        currencies: [],
      });
      expect(
        ((await read('/v1/ledger/trial-balance?currency=CNY')).body as { currencies: unknown[] }).currencies,
      ).toHaveLength(1);
      for (const [query, message] of [
        ['currency=cny', 'currency: must be an ISO 4217 code'],
        ['currency=CNY&currency=USD', 'currency: must be an ISO 4217 code'],
        ['account=LOANS_RECEIVABLE', 'account: is not a field of this request'],
      ]) {
        const response = await read(`/v1/ledger/trial-balance?${query}`);
        expect({ query, status: response.status }).toEqual({ query, status: 400 });
        expect(errorOf(response.body).message).toContain(message);
      }
    });
  });

  describe('the role matrix: no token 401, every other role 403, the right role 2xx', () => {
    interface RouteCase {
      readonly name: string;
      readonly role: string;
      readonly request: () => { path: string } & ApiRequest;
    }
    const routes: RouteCase[] = [
      {
        name: 'POST drawdowns',
        role: 'lending:drawdown',
        request: () => ({
          path: `/v1/merchants/${EMPTY_MERCHANT}/drawdowns`,
          method: 'POST',
          headers: { 'idempotency-key': randomUUID() },
          body: { amountMinor: '10000', currency: 'CNY', termDays: 7 },
        }),
      },
      { name: 'GET loans', role: 'ops:read', request: () => ({ path: `/v1/merchants/${MERCHANT}/loans` }) },
      { name: 'GET loan', role: 'ops:read', request: () => ({ path: `/v1/loans/${loans.current}` }) },
      {
        name: 'POST repayments',
        role: 'lending:repay',
        request: () => ({
          path: `/v1/loans/${loans.current}/repayments`,
          method: 'POST',
          headers: { 'idempotency-key': randomUUID() },
          body: { amountMinor: '1000', currency: 'CNY' },
        }),
      },
      { name: 'GET portfolio', role: 'ops:read', request: () => ({ path: '/v1/portfolio' }) },
      { name: 'GET trial balance', role: 'ops:read', request: () => ({ path: '/v1/ledger/trial-balance' }) },
    ];

    const auditCount = async (): Promise<number> =>
      (await db.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n;

    it.each(routes)('$name ($role)', async ({ role, request }) => {
      const auditBefore = await auditCount();
      const { path, ...rest } = request();
      const none = await api.request(path, rest);
      expect(none.status).toBe(401);
      expect(errorOf(none.body).code).toBe('UNAUTHENTICATED');
      const wrong = await api.request(path, {
        ...rest,
        token: await token(ROLES.filter((other) => other !== role)),
      });
      expect(wrong.status).toBe(403);
      expect(errorOf(wrong.body)).toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining(role),
      });
      expect(await auditCount()).toBe(auditBefore);
      const right = await api.request(path, { ...rest, token: await token([role]) });
      expect({ status: right.status, body: right.status < 300 ? null : right.body }).toEqual({
        status: rest.method === 'POST' ? 201 : 200,
        body: null,
      });
      // A write that took effect is audited; a read is not.
      expect(await auditCount()).toBe(auditBefore + (rest.method === 'POST' ? 1 : 0));
    });
  });

  describe('the OpenAPI document', () => {
    it('documents every lending route with its role, its answers and the refusals it gives', async () => {
      const document = (await api.request('/docs/openapi.json')).body as {
        paths: Record<
          string,
          Record<string, { 'x-required-roles': string[]; responses: Record<string, { description: string }> }>
        >;
      };
      const operation = (method: string, path: string) => document.paths[path]?.[method];
      for (const [method, path, role, success] of [
        ['post', '/v1/merchants/{merchantId}/drawdowns', 'lending:drawdown', '201'],
        ['get', '/v1/merchants/{merchantId}/loans', 'ops:read', '200'],
        ['get', '/v1/loans/{loanId}', 'ops:read', '200'],
        ['post', '/v1/loans/{loanId}/repayments', 'lending:repay', '201'],
        ['get', '/v1/portfolio', 'ops:read', '200'],
        ['get', '/v1/ledger/trial-balance', 'ops:read', '200'],
      ]) {
        expect({ path, roles: operation(method!, path!)?.['x-required-roles'] }).toEqual({
          path,
          roles: [role],
        });
        expect(operation(method!, path!)!.responses).toHaveProperty(success!);
      }
      const drawdown422 = operation('post', '/v1/merchants/{merchantId}/drawdowns')!.responses['422']!;
      expect(drawdown422.description).toContain('AMOUNT_EXCEEDS_AVAILABLE');
      const repayment422 = operation('post', '/v1/loans/{loanId}/repayments')!.responses['422']!;
      expect(repayment422.description).toContain('AMOUNT_EXCEEDS_DUE');
    });
  });
});
