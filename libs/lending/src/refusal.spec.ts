import { LoanStatus } from './loan';
import { commandAllowedFrom, illegalTransition, LoanCommand } from './refusal';

describe('the state machine’s edges', () => {
  it.each<[LoanCommand, LoanStatus[]]>([
    ['settle-disbursement', ['PENDING_DISBURSEMENT']],
    ['fail-disbursement', ['PENDING_DISBURSEMENT']],
    ['accrue-interest', ['ACTIVE']],
    ['review', ['ACTIVE']],
    ['repay', ['ACTIVE']],
    ['write-off', ['ACTIVE']],
  ])('%s applies only to %j', (command, statuses) => {
    expect(commandAllowedFrom(command)).toEqual(statuses);
    for (const status of ['PENDING_DISBURSEMENT', 'ACTIVE', 'REPAID', 'WRITTEN_OFF', 'CANCELLED'] as const) {
      expect(illegalTransition({ loanId: 'l-1', status }, command) === null).toBe(statuses.includes(status));
    }
  });

  it('says what was refused and what would be allowed', () => {
    expect(illegalTransition({ loanId: 'l-1', status: 'CANCELLED' }, 'settle-disbursement')).toEqual({
      code: 'ILLEGAL_TRANSITION',
      loanId: 'l-1',
      status: 'CANCELLED',
      command: 'settle-disbursement',
      message:
        'cannot settle-disbursement loan l-1: it is CANCELLED, and only a loan that is PENDING_DISBURSEMENT can',
    });
  });
});
