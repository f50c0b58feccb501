/**
 * The underwriter honours lending's state (issue 4): a line's available amount is its limit
 * less what is lent and reserved, a loan past due freezes the line with OVERDUE_LOAN as soon as
 * lending says so (a loan event, not the merchant's next trade), and repaying it lets the line
 * recover. Real Postgres and Redis; loans written as lending writes them.
 */
import { createEvent } from '@lendstream/contracts';
import type { LoanEvent } from '@lendstream/credit';
import { merchantRoster } from '@lendstream/simulation';
import {
  applyToStore,
  dayStartMs,
  eventsBefore,
  MARKET_START,
  profileSignal,
  simulatedEvents,
} from './support/simulated-profiles';
import { UnderwritingFixture } from './support/underwriting-fixture';

jest.setTimeout(120_000);

const BUDGET = 50_000_000_000n;

describe('the underwriter and lending (real Postgres and Redis)', () => {
  let fixture: UnderwritingFixture;
  const events = simulatedEvents('uw-inprocess', { steady: 1 }, 3, 73);
  const [merchant] = merchantRoster({
    seed: 'uw-inprocess',
    merchants: 3,
    days: 73,
    start: MARKET_START,
    archetypeMix: { steady: 1 },
  });
  const merchantId = merchant!.merchantId;
  const day = (n: number) => new Date(dayStartMs(n) - 1).toISOString();

  beforeAll(async () => {
    fixture = await UnderwritingFixture.create('lending', BUDGET);
    await applyToStore(fixture.store, fixture.log, eventsBefore(events, dayStartMs(61)));
  });
  afterAll(() => fixture?.cleanup());

  /** The profile as of a day is exact only once that day's events are in (and none later): feed them day by day. */
  const tradeThrough = (lastDay: number, fromDay: number) =>
    applyToStore(
      fixture.store,
      fixture.log,
      eventsBefore(events, dayStartMs(lastDay + 1)).filter(
        (event) => Date.parse(event.time) >= dayStartMs(fromDay + 1),
      ),
    );

  const line = async () =>
    (
      await fixture.dataSource.query(
        `SELECT credit_line_id, status, limit_minor, available_minor, outstanding_minor, reserved_minor, reasons
         FROM credit_lines WHERE merchant_id = $1`,
        [merchantId],
      )
    )[0];

  /** An active loan as lending stores it, due at the end of `dueDay`. */
  async function insertActiveLoan(loanId: string, creditLineId: string, principal: bigint, dueDay: number) {
    const dueAt = new Date(dayStartMs(dueDay + 1) - 1).toISOString();
    await fixture.dataSource.query(
      `INSERT INTO loans (loan_id, merchant_id, credit_line_id, request_id, request_fingerprint, disbursement_id, currency,
         status, principal_minor, daily_rate_bps, term_days, policy_version, requested_at, disbursed_at, treasury_ref, due_at,
         principal_outstanding_minor, principal_repaid_minor, principal_written_off_minor, interest_accrued_minor,
         interest_outstanding_minor, interest_repaid_minor, interest_written_off_minor, interest_carry_ten_thousandths,
         last_accrued_day, overdue_bucket_reported)
       VALUES ($1::uuid, $2, $3, $1::text, 'f', gen_random_uuid(), 'CNY', 'ACTIVE', $4, 5, 30, 'lending-v1', $5, $5, 'TRX-1', $6,
         $4, 0, 0, 0, 0, 0, 0, 0, NULL, 'CURRENT')`,
      [loanId, merchantId, creditLineId, principal.toString(), day(dueDay - 30), dueAt],
    );
    // Lending moves the line's outstanding with the loan, under the line's row lock.
    await fixture.dataSource.query(
      `UPDATE credit_lines SET outstanding_minor = outstanding_minor + $2,
         available_minor = CASE WHEN status = 'ACTIVE' THEN greatest(0, limit_minor - outstanding_minor - $2 - reserved_minor) ELSE 0 END
       WHERE merchant_id = $1`,
      [merchantId, principal.toString()],
    );
  }

  const loanEvent = (type: LoanEvent['type'], loanId: string, time: string, id: string): LoanEvent =>
    createEvent({
      type,
      id,
      source: '/lendstream/lending',
      time,
      data: {
        merchantId,
        loanId,
        principalMinor: 100_000n,
        outstandingPrincipalMinor: 100_000n,
        accruedInterestMinor: 0n,
        currency: 'CNY',
        dueAt: time,
        daysPastDue: 1,
      },
    }) as LoanEvent;

  it('counts what is lent: available = limit − outstanding − reserved, and a re-decision keeps lending’s amounts', async () => {
    const [granted] = await fixture.service.underwriteSignals([profileSignal(merchantId, day(61), 'grant')]);
    expect(granted).toMatchObject({ kind: 'decided', event: 'credit-line.granted' });
    const before = await line();
    const principal = BigInt(before.limit_minor) / 4n;
    await insertActiveLoan('00000000-0000-4000-8000-000000000001', before.credit_line_id, principal, 90);

    await tradeThrough(62, 60);
    await fixture.service.underwriteSignals([profileSignal(merchantId, day(62), 'again')]);
    const after = await line();
    expect(BigInt(after.outstanding_minor)).toBe(principal);
    expect(BigInt(after.available_minor)).toBe(BigInt(after.limit_minor) - principal);
  });

  it('freezes the line with OVERDUE_LOAN on loan.overdue, at once, once however often the event comes', async () => {
    const { credit_line_id: creditLineId } = await line();
    await tradeThrough(63, 62);
    await insertActiveLoan('00000000-0000-4000-8000-000000000002', creditLineId, 10_000n, 50); // due long ago
    const [outcome] = await fixture.service.underwriteSignals([
      loanEvent('loan.overdue', '00000000-0000-4000-8000-000000000002', day(63), 'overdue-1'),
    ]);
    expect(outcome).toMatchObject({ kind: 'decided', event: 'credit-line.frozen' });
    const frozen = await line();
    expect(frozen.status).toBe('FROZEN');
    expect(frozen.available_minor).toBe('0');
    expect(frozen.reasons.map((reason: { code: string }) => reason.code)).toContain('OVERDUE_LOAN');
    // The same event again: the inbox makes it a no-op.
    const [again] = await fixture.service.underwriteSignals([
      loanEvent('loan.overdue', '00000000-0000-4000-8000-000000000002', day(63), 'overdue-1'),
    ]);
    expect(again).toEqual({ kind: 'duplicate' });
    const [trigger] = await fixture.dataSource.query(
      `SELECT trigger_kind FROM credit_decisions WHERE trigger_id = 'overdue-1' AND NOT shadow`,
    );
    expect(trigger.trigger_kind).toBe('loan-event');
  });

  it('lets the line recover once the overdue loan is repaid (8 days on: the policy keeps a freeze 7 days)', async () => {
    await tradeThrough(71, 63);
    await fixture.dataSource.query(
      `UPDATE loans SET status = 'REPAID', principal_outstanding_minor = 0, principal_repaid_minor = principal_minor,
         closed_at = now() WHERE loan_id = '00000000-0000-4000-8000-000000000002'`,
    );
    await fixture.dataSource.query(
      `UPDATE credit_lines SET outstanding_minor = outstanding_minor - 10000 WHERE merchant_id = $1`,
      [merchantId],
    );
    const [outcome] = await fixture.service.underwriteSignals([
      loanEvent('loan.repaid', '00000000-0000-4000-8000-000000000002', day(71), 'repaid-1'),
    ]);
    expect(outcome).toMatchObject({ kind: 'decided' });
    const recovered = await line();
    expect(recovered.status).toBe('ACTIVE');
    expect(recovered.reasons.map((reason: { code: string }) => reason.code)).not.toContain('OVERDUE_LOAN');
  });
});
