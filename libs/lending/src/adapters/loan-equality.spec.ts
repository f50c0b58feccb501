import { activeLoanFixture } from '../testing/loan-fixture';
import { sameLoan } from './loan-equality';

describe('sameLoan', () => {
  it('is true for equal states (bigints compared by value) and false when any field moved', () => {
    const loan = activeLoanFixture();
    expect(sameLoan(loan, { ...loan })).toBe(true);
    expect(sameLoan(loan, { ...loan, interestAccruedMinor: loan.interestAccruedMinor + 0n })).toBe(true);
    expect(sameLoan(loan, { ...loan, interestCarryTenThousandths: 1n })).toBe(false);
    expect(sameLoan(loan, { ...loan, lastAccruedDay: '2026-11-12' })).toBe(false);
  });
});
