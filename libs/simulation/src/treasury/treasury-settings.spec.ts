import {
  checkTreasurySettings,
  DEFAULT_TREASURY_SETTINGS,
  parseShareAsBps,
  TreasurySettings,
} from './treasury-settings';

describe('checkTreasurySettings', () => {
  it('accepts the defaults and both ends of every range', () => {
    expect(checkTreasurySettings(DEFAULT_TREASURY_SETTINGS)).toEqual({
      ok: true,
      value: DEFAULT_TREASURY_SETTINGS,
    });
    for (const settings of [
      { delayMs: 0, failShareBps: 0, seed: 's' },
      { delayMs: 3_600_000, failShareBps: 10_000, seed: 'x'.repeat(128) },
    ]) {
      expect(checkTreasurySettings(settings)).toEqual({ ok: true, value: settings });
    }
  });

  it.each<[string, Partial<TreasurySettings>, string]>([
    [
      'a negative delay',
      { delayMs: -1 },
      'delayMs: must be a whole number of milliseconds from 0 to 3600000',
    ],
    [
      'a fractional delay',
      { delayMs: 1.5 },
      'delayMs: must be a whole number of milliseconds from 0 to 3600000',
    ],
    [
      'a delay over an hour',
      { delayMs: 3_600_001 },
      'delayMs: must be a whole number of milliseconds from 0 to 3600000',
    ],
    [
      'a NaN delay',
      { delayMs: Number.NaN },
      'delayMs: must be a whole number of milliseconds from 0 to 3600000',
    ],
    [
      'a negative share',
      { failShareBps: -1 },
      'failShareBps: must be a whole number of basis points from 0 to 10000',
    ],
    [
      'a share above 100 %',
      { failShareBps: 10_001 },
      'failShareBps: must be a whole number of basis points from 0 to 10000',
    ],
    [
      'a share given as a fraction',
      { failShareBps: 0.05 },
      'failShareBps: must be a whole number of basis points from 0 to 10000',
    ],
    ['an empty seed', { seed: '' }, 'seed: must be 1 to 128 characters'],
    ['a seed too long', { seed: 'x'.repeat(129) }, 'seed: must be 1 to 128 characters'],
  ])('refuses %s, naming the field', (_case, change, message) => {
    expect(checkTreasurySettings({ ...DEFAULT_TREASURY_SETTINGS, ...change })).toEqual({
      ok: false,
      error: message,
    });
  });
});

describe('parseShareAsBps', () => {
  it.each<[string, number]>([
    ['0', 0],
    ['0.0', 0],
    ['0.0001', 1],
    ['0.05', 500],
    ['0.5', 5_000],
    ['0.1234', 1_234],
    ['1', 10_000],
    ['1.0000', 10_000],
    [' 0.25 ', 2_500],
  ])('reads %p as %p bp, exactly', (text, bps) => {
    expect(parseShareAsBps(text)).toEqual({ ok: true, value: bps });
  });

  it.each<[string, string]>([
    ['1.5', 'must be at most 1, got "1.5"'],
    ['1.0001', 'must be at most 1, got "1.0001"'],
    ['0.00001', 'must be a share from 0 to 1 with at most four decimals (such as 0.05), got "0.00001"'],
    ['2', 'must be a share from 0 to 1 with at most four decimals (such as 0.05), got "2"'],
    ['-0.1', 'must be a share from 0 to 1 with at most four decimals (such as 0.05), got "-0.1"'],
    ['.5', 'must be a share from 0 to 1 with at most four decimals (such as 0.05), got ".5"'],
    ['5%', 'must be a share from 0 to 1 with at most four decimals (such as 0.05), got "5%"'],
    ['', 'must be a share from 0 to 1 with at most four decimals (such as 0.05), got ""'],
    ['1e-2', 'must be a share from 0 to 1 with at most four decimals (such as 0.05), got "1e-2"'],
  ])('refuses %p', (text, message) => {
    expect(parseShareAsBps(text)).toEqual({ ok: false, error: message });
  });
});
