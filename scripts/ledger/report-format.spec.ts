import { checkOutcome, ledgerVerification, trialBalance } from '@lendstream/ledger';
import { BREACHES_SHOWN_PER_CHECK, formatTrialBalance, formatVerification } from './report-format';

const breaches = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    subject: `entry k-${index}`,
    detail: `debits ${index} ≠ credits 0`,
  }));

describe('formatVerification', () => {
  it('prints one ok line per check and a summary', () => {
    const text = formatVerification(
      ledgerVerification([
        checkOutcome({ name: 'entries-balance', description: 'entries balance' }, []),
        checkOutcome({ name: 'chart-matches-code', description: 'the chart is the code' }, []),
      ]),
    );
    expect(text.split('\n')).toEqual([
      '✓ entries-balance     ok: entries balance',
      '✓ chart-matches-code  ok: the chart is the code',
      'ledger verify: ok, 2 checks passed',
    ]);
  });

  it('prints a failed check with its first breaches, how many more, and a check that could not run', () => {
    const text = formatVerification(
      ledgerVerification([
        checkOutcome(
          { name: 'entries-balance', description: 'entries balance' },
          breaches(BREACHES_SHOWN_PER_CHECK + 2),
        ),
        checkOutcome({ name: 'one', description: 'one breach' }, breaches(1)),
        checkOutcome({ name: 'broken', description: 'cannot run' }, new Error('connection reset')),
      ]),
    );
    expect(text.split('\n')).toEqual([
      '✗ entries-balance  7 breaches: entries balance',
      '    entry k-0: debits 0 ≠ credits 0',
      '    entry k-1: debits 1 ≠ credits 0',
      '    entry k-2: debits 2 ≠ credits 0',
      '    entry k-3: debits 3 ≠ credits 0',
      '    entry k-4: debits 4 ≠ credits 0',
      '    … and 2 more',
      '✗ one              1 breach: one breach',
      '    entry k-0: debits 0 ≠ credits 0',
      '✗ broken           could not run: connection reset',
      'ledger verify: FAILED, 8 breach(es), 1 check(s) could not run, of 3 checks',
    ]);
  });

  it('says when a check found more breaches than it kept', () => {
    const text = formatVerification(
      ledgerVerification([checkOutcome({ name: 'many', description: 'many' }, breaches(1_001))]),
    );
    expect(text).toMatch(/^✗ many {2}1000\+ breaches: many$/m);
    expect(text).toMatch(/^ {4}… and 995\+ more$/m);
  });
});

describe('formatTrialBalance', () => {
  it('says when the journal is empty', () => {
    expect(formatTrialBalance(trialBalance([]))).toBe('trial balance: the journal has no lines yet');
  });

  it('prints every account with its normal side, money in major units, and the totals', () => {
    const text = formatTrialBalance(
      trialBalance([
        { currency: 'CNY', account: 'TREASURY_CLEARING', debitMinor: 0n, creditMinor: 123_456n },
        { currency: 'CNY', account: 'LOANS_RECEIVABLE', debitMinor: 123_456n, creditMinor: 0n },
      ]),
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('trial balance CNY: debits = credits');
    expect(lines).toContain('TREASURY_CLEARING                    DR      ¥0.00  ¥1,234.56  -¥1,234.56');
    expect(lines).toContain('INTEREST_INCOME                      CR      ¥0.00      ¥0.00       ¥0.00');
    expect(lines[lines.length - 1]).toBe('total                                    ¥1,234.56  ¥1,234.56');
  });

  it('says by how much a currency is out of balance', () => {
    const text = formatTrialBalance(
      trialBalance([{ currency: 'USD', account: 'LOANS_RECEIVABLE', debitMinor: 500n, creditMinor: 0n }]),
    );
    expect(text.split('\n')[0]).toBe('trial balance USD: OUT OF BALANCE: debits − credits = $5.00');
  });
});
