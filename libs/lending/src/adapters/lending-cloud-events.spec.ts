import { outboxEntryFromEvent } from '@lendstream/messaging';
import { loanEvent } from '../lending-events';
import { activeLoanFixture } from '../testing/loan-fixture';
import { lendingIds } from './deterministic-uuid';
import { LENDING_SOURCE, lendingCloudEvent } from './lending-cloud-events';

describe('lendingCloudEvent', () => {
  const loan = activeLoanFixture();

  it('makes a contract event with an id derived from the fact it reports', () => {
    const event = lendingCloudEvent(loanEvent('loan.activated', loan, loan.disbursedAt!), loan.disbursedAt!);
    expect(event).toMatchObject({
      id: lendingIds.event('loan.activated', loan.loanId),
      source: LENDING_SOURCE,
      type: 'loan.activated',
      subject: loan.merchantId,
      time: loan.disbursedAt,
    });
    // The outbox checks it against the contract, as it will before writing it.
    expect(outboxEntryFromEvent(event).topic).toBe('scf.loans.v1');
  });

  it('gives loan.overdue one id per days-past-due bucket, the same for every day within one', () => {
    const overdue = (now: string) => lendingCloudEvent(loanEvent('loan.overdue', loan, now), now).id;
    expect(overdue('2026-12-12T00:00:00Z')).toBe(overdue('2026-12-20T00:00:00Z'));
    expect(overdue('2027-01-12T00:00:00Z')).not.toBe(overdue('2026-12-12T00:00:00Z'));
  });
});
