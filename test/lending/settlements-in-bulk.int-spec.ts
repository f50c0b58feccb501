/**
 * Settlements of merchants who owe nothing are taken in bulk (applySettlementsWithNothingDue):
 * one row each, nothing withheld, once; and everything the bulk path must not take — a merchant
 * with an active loan, a settlementId seen before, a second event naming one settlement — is
 * left to handleLendingInput, which gives it the same outcome it always had.
 */
import { applySettlementsWithNothingDue, handleLendingInput, repayManually } from '@lendstream/lending';
import type { DataSource } from 'typeorm';
import { orderSettledEvent } from './support/input-events';
import { LendingTestDatabase } from './support/lending-database';
import { expectBooksVerify, grantLine, makeLoan, testPolicy } from './support/lending-fixtures';

jest.setTimeout(120_000);

const policy = testPolicy();
const AT = '2026-11-12T10:00:00.000Z';

describe('settlements in bulk (real Postgres)', () => {
  let database: LendingTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await LendingTestDatabase.create('settlements_bulk');
    dataSource = await database.connect('lending-settlements-bulk', 4);
    await grantLine(dataSource, { merchantId: 'm-free', limitMinor: 5_000_000n });
    await grantLine(dataSource, { merchantId: 'm-owes', limitMinor: 5_000_000n });
    await makeLoan(
      dataSource,
      {
        merchantId: 'm-owes',
        requestId: 'r-1',
        amountMinor: 1_000_000n,
        requestedAt: '2026-11-11T09:00:00.000Z',
        settledAt: '2026-11-11T09:01:00.000Z',
      },
      policy,
    );
  });
  afterAll(() => database.cleanup());

  const holdbacks = () =>
    dataSource.query(
      `SELECT settlement_id, merchant_id, holdback_minor FROM settlement_holdbacks ORDER BY settlement_id`,
    );
  const inboxCount = async () =>
    (await dataSource.query(`SELECT count(*)::int AS n FROM inbox`))[0].n as number;

  it('takes the settlements of merchants who owe nothing (and of unknown merchants) at once, and leaves the rest', async () => {
    const free1 = orderSettledEvent('m-free', 's-1', 10_000n, AT);
    const free2 = orderSettledEvent('m-free', 's-2', 20_000n, AT);
    const stranger = orderSettledEvent('m-never-borrowed', 's-3', 5_000n, AT);
    const owes = orderSettledEvent('m-owes', 's-4', 100_000n, AT);
    const sameSettlementAgain = orderSettledEvent('m-free', 's-1', 99_999n, AT);
    const applied = await applySettlementsWithNothingDue(dataSource, [
      free1,
      free2,
      stranger,
      owes,
      sameSettlementAgain,
    ]);

    expect(applied).toEqual(new Set([free1, free2, stranger]));
    expect(await holdbacks()).toEqual([
      { settlement_id: 's-1', merchant_id: 'm-free', holdback_minor: '0' },
      { settlement_id: 's-2', merchant_id: 'm-free', holdback_minor: '0' },
      { settlement_id: 's-3', merchant_id: 'm-never-borrowed', holdback_minor: '0' },
    ]);
    // What was left goes one by one, as before: the loan is paid from its settlement…
    expect(await handleLendingInput(dataSource, owes, policy)).toMatchObject({ kind: 'applied' });
    const [paid] = await dataSource.query(
      `SELECT holdback_minor FROM settlement_holdbacks WHERE settlement_id = 's-4'`,
    );
    expect(BigInt(paid.holdback_minor)).toBeGreaterThan(0n);
    // …and another event naming a settlement already taken, with another amount, is refused.
    expect(await handleLendingInput(dataSource, sameSettlementAgain, policy)).toMatchObject({
      kind: 'rejected',
      violation: { reason: 'SETTLEMENT_ID_REUSED' },
    });
    await expectBooksVerify(dataSource);
  });

  it('is a no-op for a redelivered batch: the settlements go one by one and come back as duplicates', async () => {
    const before = { holdbacks: await holdbacks(), inbox: await inboxCount() };
    const again = orderSettledEvent('m-free', 's-1', 10_000n, AT);
    const redelivered = {
      ...again,
      id: (await dataSource.query(`SELECT event_id FROM inbox LIMIT 1`))[0].event_id,
    };
    expect(await applySettlementsWithNothingDue(dataSource, [again, redelivered])).toEqual(new Set());
    expect(await handleLendingInput(dataSource, redelivered, policy)).toEqual({ kind: 'duplicate' });
    // A re-publish with a new id but the same settlement is the same business fact: recognised, not applied twice.
    expect(await handleLendingInput(dataSource, again, policy)).toMatchObject({ kind: 'applied' });
    expect(await holdbacks()).toEqual(before.holdbacks);
  });
  it('leaves a refused settlement to handleLendingInput even once its merchant owes nothing: refused again', async () => {
    await grantLine(dataSource, { merchantId: 'm-repays', limitMinor: 5_000_000n });
    const loan = await makeLoan(
      dataSource,
      {
        merchantId: 'm-repays',
        requestId: 'r-1',
        amountMinor: 1_000_000n,
        requestedAt: '2026-11-11T09:00:00.000Z',
        settledAt: '2026-11-11T09:01:00.000Z',
      },
      policy,
    );
    const dollars = orderSettledEvent('m-repays', 's-usd', 50_000n, AT, { currency: 'USD' });
    const first = await handleLendingInput(dataSource, dollars, policy);
    expect(first).toMatchObject({ kind: 'rejected', violation: { reason: 'CURRENCY_MISMATCH' } });
    // The merchant pays its loan off: a settlement of theirs is now one the bulk path takes…
    const repaid = await dataSource.transaction((manager) =>
      repayManually(
        manager,
        {
          loanId: loan.loanId,
          idempotencyKey: 'pay-off',
          request: { amountMinor: 1_000_000n, currency: 'CNY' },
          collectedAt: '2026-11-11T09:01:00.000Z',
        },
        policy,
      ),
    );
    expect(repaid).toMatchObject({ kind: 'repaid', loan: { status: 'REPAID' } });
    const before = { holdbacks: await holdbacks(), inbox: await inboxCount() };
    // …but not the one it was told was refused: that goes one by one, and is refused again.
    expect(await applySettlementsWithNothingDue(dataSource, [dollars])).toEqual(new Set());
    expect(await handleLendingInput(dataSource, dollars, policy)).toEqual(first);
    expect({ holdbacks: await holdbacks(), inbox: await inboxCount() }).toEqual(before);
    await expectBooksVerify(dataSource);
  });
});
