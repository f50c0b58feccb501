import { LENDING_POLICY_V1, parseLendingPolicy } from './lending-policy';

const asInput = () => ({
  ...LENDING_POLICY_V1,
  drawdownMinMinor: { ...LENDING_POLICY_V1.drawdownMinMinor },
});

describe('the lending policy', () => {
  it('v1 holds the documented defaults', () => {
    expect(LENDING_POLICY_V1).toEqual({
      version: 'v1',
      interestDayConvention: 'UTC_CALENDAR_DAY',
      termDaysMin: 7,
      termDaysMax: 180,
      drawdownMinMinor: { CNY: 10_000n, USD: 1_000n },
      openLoansPerMerchantMax: 20,
      holdbackShareBps: 2_000,
      writeOffDaysPastDue: 90,
    });
  });

  it('is frozen: nobody edits the live rules in place', () => {
    expect(Object.isFrozen(LENDING_POLICY_V1)).toBe(true);
    expect(Object.isFrozen(LENDING_POLICY_V1.drawdownMinMinor)).toBe(true);
  });

  it('accepts JSON amounts as digit strings', () => {
    const policy = parseLendingPolicy({ ...asInput(), drawdownMinMinor: { CNY: '10000' } });
    expect(policy.drawdownMinMinor).toEqual({ CNY: 10_000n });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a term floor of 0', { termDaysMin: 0 }, 'termDaysMin: must be at least 1'],
    ['a term beyond the contract', { termDaysMax: 366 }, 'termDaysMax: must be at most 365'],
    [
      'a floor above the ceiling',
      { termDaysMin: 30, termDaysMax: 29 },
      'termDaysMin: must not be above termDaysMax',
    ],
    ['a fractional term', { termDaysMin: 7.5 }, 'termDaysMin: must be a whole number'],
    ['a holdback over 100 %', { holdbackShareBps: 10_001 }, 'holdbackShareBps: must be at most 10000'],
    ['a negative holdback', { holdbackShareBps: -1 }, 'holdbackShareBps: must be at least 0'],
    ['a write-off at 0 days', { writeOffDaysPastDue: 0 }, 'writeOffDaysPastDue: must be at least 1'],
    ['a write-off after two years', { writeOffDaysPastDue: 731 }, 'writeOffDaysPastDue: must be at most 730'],
    ['no open loans at all', { openLoansPerMerchantMax: 0 }, 'openLoansPerMerchantMax: must be at least 1'],
    ['no currency', { drawdownMinMinor: {} }, 'drawdownMinMinor: must price at least one currency'],
    [
      'a lower-case currency',
      { drawdownMinMinor: { cny: 1n } },
      'drawdownMinMinor.cny: must be keyed by an ISO 4217 code',
    ],
    ['a zero minimum', { drawdownMinMinor: { CNY: 0n } }, 'drawdownMinMinor.CNY: must be at least 1'],
    ['a fractional minimum', { drawdownMinMinor: { CNY: '1.5' } }, 'must be a string of decimal digits'],
    [
      'another day convention',
      { interestDayConvention: 'LOCAL_DAY' },
      'interestDayConvention: must be UTC_CALENDAR_DAY',
    ],
    ['an unknown field', { graceDays: 3 }, 'graceDays'],
    ['a bad version', { version: 'latest' }, 'version: must look like v1'],
  ])('refuses %s, naming the field', (_case, overrides, message) => {
    expect(() => parseLendingPolicy({ ...asInput(), ...overrides })).toThrow(message);
  });

  it('names the version it refuses, or says there is none', () => {
    expect(() => parseLendingPolicy({ ...asInput(), version: 'v9', termDaysMin: 0 })).toThrow(
      'Invalid lending policy v9',
    );
    expect(() => parseLendingPolicy(null)).toThrow('Invalid lending policy (unversioned)');
  });

  it('accepts the edges of every range', () => {
    expect(() =>
      parseLendingPolicy({
        ...asInput(),
        termDaysMin: 1,
        termDaysMax: 1,
        holdbackShareBps: 0,
        writeOffDaysPastDue: 730,
        openLoansPerMerchantMax: 1_000,
      }),
    ).not.toThrow();
    expect(() =>
      parseLendingPolicy({
        ...asInput(),
        termDaysMax: 365,
        holdbackShareBps: 10_000,
        writeOffDaysPastDue: 1,
      }),
    ).not.toThrow();
  });
});
