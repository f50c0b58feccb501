/**
 * Lending's writes through the ops API as it runs (apps/api/src/main.ts in a child process) on
 * a scratch database with credit lines stored as the underwriter stores them: drawdowns and
 * manual repayments, their validation (a 400 naming the field), their refusals (a 422 with the
 * lending core's code), idempotency (sequential and concurrent), no double spend of a line
 * under thirty concurrent drawdowns, an audit entry for each write that took effect, and books
 * that balance and verify afterwards.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  lendingIds,
  lendingLedgerChecks,
  LENDING_POLICY_V1,
  requestDrawdown,
  settleDisbursementById,
} from '@lendstream/lending';
import { ledgerIntegrityChecks, verifyLedgerInSnapshot } from '@lendstream/ledger';
import { signHs256Token } from '../../libs/platform/src/auth/adapters/development-token';
import { ApiProcess, ApiResponse } from './support/api-process';
import { ApiTestDatabase } from './support/api-test-database';
import { insertDecision, upsertLine } from './support/credit-rows';

jest.setTimeout(180_000);

const SECRET = `lending-writes-${randomUUID()}`;
const DAY_MS = 86_400_000;

const token = (roles: string[], subject = 'portal') =>
  signHs256Token({ subject, roles, ttlSeconds: 900 }, SECRET, Date.now());
const errorOf = (body: unknown) => (body as { error: { code: string; message: string } }).error;
const newKey = () => `key-${randomUUID()}`;

interface LineRow {
  readonly status: string;
  readonly limit_minor: string;
  readonly available_minor: string;
  readonly reserved_minor: string;
  readonly outstanding_minor: string;
}

describe('lending writes through the ops API (real Postgres, child-process API)', () => {
  let database: ApiTestDatabase;
  let db: DataSource;
  let api: ApiProcess;
  let merchantSeq = 0;

  beforeAll(async () => {
    database = await ApiTestDatabase.create('lending_writes');
    db = await database.connect('lending-writes-spec', 4);
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

  /** A merchant of its own per test, with an ACTIVE CNY line at 5 bps a day, nothing lent yet. */
  async function merchantWithLine(limitMinor: bigint): Promise<{ merchantId: string; creditLineId: string }> {
    merchantSeq += 1;
    const merchantId = `m-lw-${String(merchantSeq).padStart(4, '0')}`;
    const creditLineId = randomUUID();
    const decision = await insertDecision(
      db,
      merchantId,
      creditLineId,
      new Date(Date.now() - DAY_MS).toISOString(),
      limitMinor.toString(),
    );
    await upsertLine(db, merchantId, creditLineId, decision, limitMinor.toString());
    return { merchantId, creditLineId };
  }

  const lineOf = async (merchantId: string): Promise<LineRow> =>
    (
      await db.query(
        `SELECT status, limit_minor, available_minor, reserved_minor, outstanding_minor
           FROM credit_lines WHERE merchant_id = $1`,
        [merchantId],
      )
    )[0];

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;

  const auditOf = async (action: string, target: string) =>
    db.query(
      `SELECT subject, roles, action, route, target, request_id, idempotency_key, request, state_before, state_after
         FROM audit_log WHERE action = $1 AND target = $2 ORDER BY position`,
      [action, target],
    );

  interface OutboxEvent {
    readonly topic: string;
    readonly type: string;
    readonly data: Record<string, unknown>;
  }

  const outboxOf = async (merchantId: string): Promise<OutboxEvent[]> => {
    const rows: Array<{ topic: string; payload: { type: string; data: Record<string, unknown> } }> =
      await db.query(`SELECT topic, payload FROM outbox WHERE message_key = $1 ORDER BY id`, [merchantId]);
    return rows.map((row) => ({ topic: row.topic, type: row.payload.type, data: row.payload.data }));
  };

  async function drawDown(
    merchantId: string,
    body: unknown,
    key: string = newKey(),
    roles = ['lending:drawdown'],
  ): Promise<ApiResponse> {
    return api.request(`/v1/merchants/${merchantId}/drawdowns`, {
      method: 'POST',
      token: await token(roles),
      headers: { 'idempotency-key': key },
      body,
    });
  }

  async function repay(loanId: string, body: unknown, key: string = newKey()): Promise<ApiResponse> {
    return api.request(`/v1/loans/${loanId}/repayments`, {
      method: 'POST',
      token: await token(['lending:repay'], 'cashier'),
      headers: { 'idempotency-key': key },
      body,
    });
  }

  /** A loan drawn and paid out `daysAgo` days ago, as lending makes one (requestDrawdown, then treasury's answer). */
  async function activeLoan(merchantId: string, principalMinor: bigint, daysAgo: number): Promise<string> {
    const at = new Date(Date.now() - daysAgo * DAY_MS).toISOString();
    return db.transaction(async (manager) => {
      const drawn = await requestDrawdown(
        manager,
        {
          merchantId,
          requestId: `seed-${randomUUID()}`,
          request: { amountMinor: principalMinor, currency: 'CNY', termDays: 30 },
          requestedAt: at,
        },
        LENDING_POLICY_V1,
      );
      if (drawn.kind !== 'created') throw new Error(`seed drawdown ${drawn.kind}`);
      const settled = await settleDisbursementById(manager, {
        merchantId,
        disbursementId: drawn.loan.disbursementId,
        treasuryRef: `tr-${drawn.loan.loanId}`,
        settledAt: at,
      });
      if (settled.kind !== 'applied') throw new Error(`seed settlement ${settled.kind}`);
      return drawn.loan.loanId;
    });
  }

  describe('POST /v1/merchants/{merchantId}/drawdowns', () => {
    it('201: a loan awaiting disbursement, disbursement.requested in the outbox, the amount reserved on the line, audited', async () => {
      const { merchantId, creditLineId } = await merchantWithLine(10_000_000n);
      const key = newKey();
      const before = Date.now();
      const response = await drawDown(
        merchantId,
        { amountMinor: '150000', currency: 'CNY', termDays: 30 },
        key,
      );
      expect(response.status).toBe(201);
      expect(response.headers.get('idempotent-replayed')).toBe('false');
      const loanId = lendingIds.loan(merchantId, key);
      const disbursementId = lendingIds.disbursement(merchantId, key);
      expect(response.body).toEqual({
        loanId,
        disbursementId,
        status: 'PENDING_DISBURSEMENT',
        merchantId,
        creditLineId,
        principalMinor: '150000',
        currency: 'CNY',
        termDays: 30,
        dailyRateBps: 5,
        requestedAt: expect.any(String),
      });
      // Business time is the wall clock.
      const requestedAt = Date.parse((response.body as { requestedAt: string }).requestedAt);
      expect(requestedAt).toBeGreaterThanOrEqual(before - 1_000);
      expect(requestedAt).toBeLessThanOrEqual(Date.now() + 1_000);

      const [loan] = await db.query(
        `SELECT status, principal_minor, request_id, credit_line_id, daily_rate_bps FROM loans WHERE loan_id = $1`,
        [loanId],
      );
      expect(loan).toEqual({
        status: 'PENDING_DISBURSEMENT',
        principal_minor: '150000',
        request_id: key,
        credit_line_id: creditLineId,
        daily_rate_bps: 5,
      });
      expect(await outboxOf(merchantId)).toEqual([
        {
          topic: 'scf.disbursements.v1',
          type: 'disbursement.requested',
          data: expect.objectContaining({
            merchantId,
            loanId,
            disbursementId,
            creditLineId,
            amountMinor: '150000',
            currency: 'CNY',
          }),
        },
      ]);
      expect(await lineOf(merchantId)).toMatchObject({
        reserved_minor: '150000',
        outstanding_minor: '0',
        available_minor: '9850000',
      });
      const [entry, ...more] = await auditOf('loan.draw', `merchant:${merchantId}`);
      expect(more).toEqual([]);
      expect(entry).toEqual({
        subject: 'portal',
        roles: ['lending:drawdown'],
        action: 'loan.draw',
        route: 'POST /v1/merchants/:merchantId/drawdowns',
        target: `merchant:${merchantId}`,
        request_id: response.headers.get('x-request-id'),
        idempotency_key: key,
        request: { amountMinor: '150000', currency: 'CNY', termDays: 30 },
        state_before: {
          line: expect.objectContaining({ availableMinor: '10000000', reservedMinor: '0', status: 'ACTIVE' }),
        },
        state_after: {
          line: expect.objectContaining({ availableMinor: '9850000', reservedMinor: '150000' }),
          loan: expect.objectContaining({ loanId, status: 'PENDING_DISBURSEMENT' }),
        },
      });
    });

    it('the trial balance balances after a drawdown, and shows what it posted', async () => {
      const { merchantId } = await merchantWithLine(10_000_000n);
      expect(
        (await drawDown(merchantId, { amountMinor: 200_000, currency: 'CNY', termDays: 14 })).status,
      ).toBe(201);
      const response = await api.request('/v1/ledger/trial-balance?currency=CNY', {
        token: await token(['ops:read']),
      });
      expect(response.status).toBe(200);
      const trial = response.body as {
        balanced: boolean;
        currencies: Array<{
          currency: string;
          balanced: boolean;
          debitMinor: string;
          creditMinor: string;
          accounts: Array<{ account: string; balanceMinor: string }>;
        }>;
      };
      expect(trial.balanced).toBe(true);
      const [cny] = trial.currencies;
      expect(cny!.currency).toBe('CNY');
      expect(cny!.debitMinor).toBe(cny!.creditMinor);
      const [{ awaiting }] = await db.query(
        `SELECT coalesce(sum(principal_minor), 0)::text AS awaiting FROM loans WHERE status = 'PENDING_DISBURSEMENT'`,
      );
      const balanceOf = (account: string) =>
        cny!.accounts.find((row) => row.account === account)!.balanceMinor;
      expect(balanceOf('LOANS_AWAITING_DISBURSEMENT')).toBe(awaiting);
      expect(balanceOf('DISBURSEMENTS_PAYABLE')).toBe(awaiting);
    });

    it.each<[string, unknown, string]>([
      [
        'an amount over what the line has available',
        { amountMinor: '1000001', currency: 'CNY', termDays: 30 },
        'AMOUNT_EXCEEDS_AVAILABLE',
      ],
      [
        'a term the policy does not lend for',
        { amountMinor: '100000', currency: 'CNY', termDays: 181 },
        'TERM_OUT_OF_RANGE',
      ],
      [
        'an amount below the minimum',
        { amountMinor: '9999', currency: 'CNY', termDays: 30 },
        'AMOUNT_TOO_SMALL',
      ],
      [
        "a currency that is not the line's",
        { amountMinor: '100000', currency: 'USD', termDays: 30 },
        'CURRENCY_MISMATCH',
      ],
    ])(
      '422 for %s (%s): nothing written, not audited, and the refusal kept with the key',
      async (_case, body, code) => {
        const { merchantId } = await merchantWithLine(1_000_000n);
        const auditBefore = await count('audit_log');
        const key = newKey();
        const response = await drawDown(merchantId, body, key);
        expect(response.status).toBe(422);
        expect(errorOf(response.body).code).toBe(code);
        expect(errorOf(response.body).message.length).toBeGreaterThan(0);
        expect(await count('loans WHERE merchant_id = $1', [merchantId])).toBe(0);
        expect(await outboxOf(merchantId)).toEqual([]);
        expect(await lineOf(merchantId)).toMatchObject({ reserved_minor: '0', available_minor: '1000000' });
        expect(await count('audit_log')).toBe(auditBefore);
        const again = await drawDown(merchantId, body, key);
        expect(again.status).toBe(422);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expect(again.body).toEqual(response.body);
      },
    );

    it('422 NO_CREDIT_LINE for a merchant without a line', async () => {
      const response = await drawDown('m-lw-nobody', {
        amountMinor: '100000',
        currency: 'CNY',
        termDays: 30,
      });
      expect(response.status).toBe(422);
      expect(errorOf(response.body).code).toBe('NO_CREDIT_LINE');
    });

    it('422 LINE_NOT_ACTIVE for a frozen line', async () => {
      const { merchantId } = await merchantWithLine(1_000_000n);
      await db.query(
        `UPDATE credit_lines SET status = 'FROZEN', available_minor = 0 WHERE merchant_id = $1`,
        [merchantId],
      );
      const response = await drawDown(merchantId, { amountMinor: '100000', currency: 'CNY', termDays: 30 });
      expect(response.status).toBe(422);
      expect(errorOf(response.body).code).toBe('LINE_NOT_ACTIVE');
    });

    describe('idempotency', () => {
      it('the same key and body: the first answer again, one loan; another body: 409, no effect', async () => {
        const { merchantId } = await merchantWithLine(10_000_000n);
        const key = newKey();
        const body = { amountMinor: '120000', currency: 'CNY', termDays: 30 };
        const first = await drawDown(merchantId, body, key);
        const second = await drawDown(
          merchantId,
          { termDays: 30, currency: 'CNY', amountMinor: '120000' },
          key,
        );
        expect(first.status).toBe(201);
        expect(second.status).toBe(201);
        expect(second.headers.get('idempotent-replayed')).toBe('true');
        expect(second.body).toEqual(first.body);
        const other = await drawDown(merchantId, { ...body, amountMinor: '130000' }, key);
        expect(other.status).toBe(409);
        expect(errorOf(other.body).code).toBe('IDEMPOTENCY_KEY_REUSED');
        expect(await count('loans WHERE merchant_id = $1', [merchantId])).toBe(1);
        expect(await lineOf(merchantId)).toMatchObject({ reserved_minor: '120000' });
        expect(await auditOf('loan.draw', `merchant:${merchantId}`)).toHaveLength(1);
      });

      it('20 concurrent requests with one key: one loan, one event, one audit entry, and every one gets its 201', async () => {
        const { merchantId } = await merchantWithLine(10_000_000n);
        const key = newKey();
        const body = { amountMinor: '110000', currency: 'CNY', termDays: 30 };
        const responses = await Promise.all(
          Array.from({ length: 20 }, () => drawDown(merchantId, body, key)),
        );
        expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
        const loanIds = new Set(responses.map((response) => (response.body as { loanId: string }).loanId));
        expect([...loanIds]).toEqual([lendingIds.loan(merchantId, key)]);
        expect(
          responses.filter((response) => response.headers.get('idempotent-replayed') === 'false'),
        ).toHaveLength(1);
        expect(await count('loans WHERE merchant_id = $1', [merchantId])).toBe(1);
        expect(await outboxOf(merchantId)).toHaveLength(1);
        expect(await lineOf(merchantId)).toMatchObject({ reserved_minor: '110000' });
        expect(await auditOf('loan.draw', `merchant:${merchantId}`)).toHaveLength(1);
      });

      it('the Idempotency-Key is the requestId: a drawdown.requested with it made the loan, the REST call answers with it', async () => {
        const { merchantId } = await merchantWithLine(10_000_000n);
        const key = newKey();
        // What apps/lending does with `drawdown.requested {requestId: key}`.
        const fromKafka = await db.transaction((manager) =>
          requestDrawdown(
            manager,
            {
              merchantId,
              requestId: key,
              request: { amountMinor: 140_000n, currency: 'CNY', termDays: 30 },
              requestedAt: new Date().toISOString(),
            },
            LENDING_POLICY_V1,
          ),
        );
        expect(fromKafka.kind).toBe('created');
        const same = await drawDown(
          merchantId,
          { amountMinor: '140000', currency: 'CNY', termDays: 30 },
          key,
        );
        expect(same.status).toBe(201);
        expect(same.body).toMatchObject({
          loanId: lendingIds.loan(merchantId, key),
          status: 'PENDING_DISBURSEMENT',
        });
        const other = await drawDown(
          merchantId,
          { amountMinor: '140000', currency: 'CNY', termDays: 60 },
          newKey(),
        );
        expect(other.status).toBe(201);
        const conflicting = await drawDown(
          merchantId,
          { amountMinor: '150000', currency: 'CNY', termDays: 30 },
          key,
          ['lending:drawdown', 'ops:read'],
        );
        // Same caller, same key, another body: the API's own key store answers first.
        expect(conflicting.status).toBe(409);
        expect(await count('loans WHERE merchant_id = $1', [merchantId])).toBe(2);
        // Another caller with the key for another amount: lending's requestId says no.
        const otherCaller = await api.request(`/v1/merchants/${merchantId}/drawdowns`, {
          method: 'POST',
          token: await token(['lending:drawdown'], 'another-portal'),
          headers: { 'idempotency-key': key },
          body: { amountMinor: '150000', currency: 'CNY', termDays: 30 },
        });
        expect(otherCaller.status).toBe(409);
        expect(errorOf(otherCaller.body).code).toBe('REQUEST_ID_REUSED');
        expect(await count('loans WHERE merchant_id = $1', [merchantId])).toBe(2);
        // Only the REST drawdown that took effect is audited.
        expect(await auditOf('loan.draw', `merchant:${merchantId}`)).toHaveLength(1);
      });
    });

    it('30 concurrent drawdowns with different keys on one line never exceed what it has available', async () => {
      const { merchantId } = await merchantWithLine(1_000_000n);
      const responses = await Promise.all(
        Array.from({ length: 30 }, () =>
          drawDown(merchantId, { amountMinor: '100000', currency: 'CNY', termDays: 30 }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 201)).toHaveLength(10);
      expect(statuses.filter((status) => status === 422)).toHaveLength(20);
      for (const refused of responses.filter((response) => response.status === 422))
        expect(errorOf(refused.body).code).toBe('AMOUNT_EXCEEDS_AVAILABLE');
      expect(await lineOf(merchantId)).toEqual({
        status: 'ACTIVE',
        limit_minor: '1000000',
        available_minor: '0',
        reserved_minor: '1000000',
        outstanding_minor: '0',
      });
      const [{ drawn }] = await db.query(
        `SELECT sum(principal_minor)::text AS drawn FROM loans WHERE merchant_id = $1`,
        [merchantId],
      );
      expect(drawn).toBe('1000000');
      expect(await auditOf('loan.draw', `merchant:${merchantId}`)).toHaveLength(10);
    });

    describe('validation: a 400 naming the field, with no effect', () => {
      it.each<[string, unknown, string]>([
        ['no amount', { currency: 'CNY', termDays: 30 }, 'amountMinor: is required'],
        [
          'an amount of 0',
          { amountMinor: '0', currency: 'CNY', termDays: 30 },
          'amountMinor: must be more than 0',
        ],
        [
          'a fractional amount',
          { amountMinor: 10.5, currency: 'CNY', termDays: 30 },
          'amountMinor: must be minor units',
        ],
        [
          'a negative amount',
          { amountMinor: '-100000', currency: 'CNY', termDays: 30 },
          'amountMinor: must be minor units',
        ],
        [
          'a currency not ISO 4217',
          { amountMinor: '100000', currency: 'yuan', termDays: 30 },
          'currency: must be an ISO 4217 code',
        ],
        ['no term', { amountMinor: '100000', currency: 'CNY' }, 'termDays: is required'],
        [
          'a term of 400 days',
          { amountMinor: '100000', currency: 'CNY', termDays: 400 },
          'termDays: must be a whole number of days from 1 to 365',
        ],
        [
          'an unknown field',
          { amountMinor: '100000', currency: 'CNY', termDays: 30, rate: 1 },
          'rate: is not a field of this request',
        ],
      ])('%s', async (_case, body, message) => {
        const { merchantId } = await merchantWithLine(1_000_000n);
        const auditBefore = await count('audit_log');
        const response = await drawDown(merchantId, body);
        expect(response.status).toBe(400);
        expect(errorOf(response.body)).toEqual({
          code: 'VALIDATION_FAILED',
          message: expect.stringContaining(message),
        });
        expect(await count('loans WHERE merchant_id = $1', [merchantId])).toBe(0);
        expect(await count('audit_log')).toBe(auditBefore);
      });

      it('a missing Idempotency-Key and a merchant id that is not one', async () => {
        const noKey = await api.request('/v1/merchants/m-lw-any/drawdowns', {
          method: 'POST',
          token: await token(['lending:drawdown']),
          body: { amountMinor: '100000', currency: 'CNY', termDays: 30 },
        });
        expect(noKey.status).toBe(400);
        expect(errorOf(noKey.body).message).toContain('Idempotency-Key: required on this write');
        const badMerchant = await drawDown('bad%20merchant', {
          amountMinor: '100000',
          currency: 'CNY',
          termDays: 30,
        });
        expect(badMerchant.status).toBe(400);
        expect(errorOf(badMerchant.body).message).toContain('merchantId: must be 1-64 characters');
      });
    });
  });

  describe('POST /v1/loans/{loanId}/repayments', () => {
    it('201: interest brought up to date and paid first, then principal back on the line; audited; then repaid in full', async () => {
      const { merchantId } = await merchantWithLine(10_000_000n);
      // 10 000 yuan at 5 bps a day is 500 fen a day; paid out 10 days ago: 10 ended days, 5 000 fen.
      const loanId = await activeLoan(merchantId, 1_000_000n, 10);
      const view = await api.request(`/v1/loans/${loanId}`, { token: await token(['ops:read']) });
      expect(view.body).toMatchObject({
        status: 'ACTIVE',
        outstandingPrincipalMinor: '1000000',
        accruedInterestMinor: '0',
        interest: { unpostedMinor: '5000' },
        schedule: { payoffTodayMinor: '1005000' },
        daysPastDue: 0,
      });

      const key = newKey();
      const response = await repay(loanId, { amountMinor: '105000', currency: 'CNY' }, key);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        repayment: {
          loanId,
          source: 'MANUAL',
          settlementId: null,
          amountMinor: '105000',
          interestMinor: '5000',
          principalMinor: '100000',
          currency: 'CNY',
        },
        loan: {
          loanId,
          status: 'ACTIVE',
          outstandingPrincipalMinor: '900000',
          accruedInterestMinor: '0',
          interest: { postedMinor: '5000', repaidMinor: '5000', unpostedMinor: '0' },
          principal: { repaidMinor: '100000' },
        },
      });
      const repaymentId = (response.body as { repayment: { repaymentId: string } }).repayment.repaymentId;
      expect(await lineOf(merchantId)).toMatchObject({
        outstanding_minor: '900000',
        available_minor: '9100000',
      });
      expect((await outboxOf(merchantId)).map((event) => event.type)).toEqual([
        'disbursement.requested',
        'loan.activated',
        'repayment.collected',
      ]);
      expect(await count(`journal_entries WHERE loan_id = $1 AND code = 'REPAYMENT_MANUAL'`, [loanId])).toBe(
        1,
      );
      const [entry] = await auditOf('loan.repay', `loan:${loanId}`);
      expect(entry).toMatchObject({
        subject: 'cashier',
        roles: ['lending:repay'],
        route: 'POST /v1/loans/:loanId/repayments',
        idempotency_key: key,
        request: { amountMinor: '105000', currency: 'CNY' },
        state_before: {
          loan: { status: 'ACTIVE', outstandingPrincipalMinor: '1000000', accruedInterestMinor: '0' },
        },
        state_after: {
          loan: { status: 'ACTIVE', outstandingPrincipalMinor: '900000', interestRepaidMinor: '5000' },
          repayment: { repaymentId, amountMinor: '105000' },
        },
      });

      // The same key and body: the first answer, no second payment; another body: 409.
      const again = await repay(loanId, { amountMinor: '105000', currency: 'CNY' }, key);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(response.body);
      const other = await repay(loanId, { amountMinor: '1000', currency: 'CNY' }, key);
      expect(other.status).toBe(409);
      expect(errorOf(other.body).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await count('repayments WHERE loan_id = $1', [loanId])).toBe(1);

      // Exactly what is owed repays it: loan.repaid, the whole principal back on the line.
      const rest = await repay(loanId, { amountMinor: '900000', currency: 'CNY' });
      expect(rest.status).toBe(201);
      expect(rest.body).toMatchObject({ loan: { status: 'REPAID', outstandingPrincipalMinor: '0' } });
      expect(await lineOf(merchantId)).toMatchObject({ outstanding_minor: '0', available_minor: '10000000' });
      expect((await outboxOf(merchantId)).map((event) => event.type).slice(-2)).toEqual([
        'repayment.collected',
        'loan.repaid',
      ]);
      expect(await auditOf('loan.repay', `loan:${loanId}`)).toHaveLength(2);

      const afterRepaid = await repay(loanId, { amountMinor: '1000', currency: 'CNY' });
      expect(afterRepaid.status).toBe(422);
      expect(errorOf(afterRepaid.body).code).toBe('ILLEGAL_TRANSITION');
    });

    it('422 when it cannot apply: more than is owed (saying what is), another currency; nothing written, not audited', async () => {
      const { merchantId } = await merchantWithLine(10_000_000n);
      const loanId = await activeLoan(merchantId, 500_000n, 2);
      const auditBefore = await count('audit_log');
      const tooMuch = await repay(loanId, { amountMinor: '10000000', currency: 'CNY' });
      expect(tooMuch.status).toBe(422);
      expect(errorOf(tooMuch.body)).toEqual({
        code: 'AMOUNT_EXCEEDS_DUE',
        message: expect.stringContaining('owes'),
      });
      const dollars = await repay(loanId, { amountMinor: '1000', currency: 'USD' });
      expect(dollars.status).toBe(422);
      expect(errorOf(dollars.body).code).toBe('CURRENCY_MISMATCH');
      expect(await count('repayments WHERE loan_id = $1', [loanId])).toBe(0);
      expect(await count(`journal_entries WHERE loan_id = $1 AND code = 'REPAYMENT_MANUAL'`, [loanId])).toBe(
        0,
      );
      expect(await lineOf(merchantId)).toMatchObject({ outstanding_minor: '500000' });
      expect(await count('audit_log')).toBe(auditBefore);
    });

    it('404 LOAN_NOT_FOUND for an unknown loan; 400 naming the field for a bad id or body', async () => {
      const unknown = await repay(randomUUID(), { amountMinor: '1000', currency: 'CNY' });
      expect(unknown.status).toBe(404);
      expect(errorOf(unknown.body).code).toBe('LOAN_NOT_FOUND');
      for (const [path, body, message] of [
        [
          '/v1/loans/not-a-loan/repayments',
          { amountMinor: '1000', currency: 'CNY' },
          'loanId: must be a loan id',
        ],
        [
          `/v1/loans/${randomUUID()}/repayments`,
          { amountMinor: '0', currency: 'CNY' },
          'amountMinor: must be more than 0',
        ],
        [`/v1/loans/${randomUUID()}/repayments`, { amountMinor: '1000' }, 'currency: is required'],
        [
          `/v1/loans/${randomUUID()}/repayments`,
          { amountMinor: '1000', currency: 'CNY', termDays: 3 },
          'termDays: is not a field',
        ],
      ] as const) {
        const response = await api.request(path, {
          method: 'POST',
          token: await token(['lending:repay']),
          headers: { 'idempotency-key': newKey() },
          body,
        });
        expect({ path, status: response.status }).toEqual({ path, status: 400 });
        expect(errorOf(response.body).message).toContain(message);
      }
    });
  });

  describe('afterwards', () => {
    it('after every write above, the books verify (npm run ledger -- verify) and balance', async () => {
      const verification = await verifyLedgerInSnapshot(db, [
        ...ledgerIntegrityChecks(),
        ...lendingLedgerChecks(),
      ]);
      const failed = verification.outcomes.filter(
        (outcome) => outcome.error !== null || outcome.breaches.length > 0,
      );
      expect(failed).toEqual([]);
      const trial = await api.request('/v1/ledger/trial-balance', { token: await token(['ops:read']) });
      expect(trial.body).toMatchObject({ balanced: true });
    });
  });
});
