import { parseCliArgs, parseTreasuryArgs } from './cli-args';

describe('parseCliArgs', () => {
  it('has defaults for everything', () => {
    expect(parseCliArgs([])).toEqual({
      ok: true,
      value: {
        market: {
          seed: 'lendstream',
          merchants: 50,
          days: 90,
          start: '2026-08-01',
          ordersPerDayScale: 1,
          lateEventShare: 0,
        },
        rate: 0,
        out: undefined,
        brokers: ['127.0.0.1:9092'],
        topicNamespace: undefined,
        help: false,
      },
    });
  });

  it('reads every flag, and takes brokers and namespace from the environment', () => {
    const parsed = parseCliArgs(
      [
        '--seed=demo',
        '--merchants',
        '500',
        '--days',
        '30',
        '--start',
        '2026-11-01',
        '--rate',
        '2500.5',
        '--scale',
        '0.5',
        '--late-share',
        '0.05',
        '--out',
        '-',
      ],
      { KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092', KAFKA_TOPIC_NAMESPACE: 'bench' },
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        market: {
          seed: 'demo',
          merchants: 500,
          days: 30,
          start: '2026-11-01',
          ordersPerDayScale: 0.5,
          lateEventShare: 0.05,
        },
        rate: 2500.5,
        out: '-',
        brokers: ['kafka-1:9092', 'kafka-2:9092'],
        topicNamespace: 'bench',
        help: false,
      },
    });
  });

  it('prefers flags to the environment', () => {
    const parsed = parseCliArgs(['--brokers', 'a:1', '--namespace', 'x'], {
      KAFKA_BROKERS: 'b:2',
      KAFKA_TOPIC_NAMESPACE: 'y',
    });
    expect(parsed).toMatchObject({ ok: true, value: { brokers: ['a:1'], topicNamespace: 'x' } });
  });

  it.each<[string[], string]>([
    [['--bogus'], 'unknown flag --bogus'],
    [['-x'], 'unknown flag -x'],
    [['--merchants'], '--merchants needs a value'],
    [['stray'], 'unexpected argument stray'],
    [['--merchants', 'ten'], '--merchants must be a whole number, got "ten"'],
    [['--merchants', '-3'], '--merchants needs a value'],
    [['--merchants', '0'], '--merchants must be a whole number from 1 to 999999'],
    [['--days', '1.5'], '--days must be a whole number, got "1.5"'],
    [['--days', '4000'], '--days must be a whole number from 1 to 3650'],
    [['--rate', 'fast'], '--rate must be a number of events per second >= 0, got "fast"'],
    [['--scale', '0'], '--scale must be above 0 and at most 100'],
    [['--late-share', '0.9'], '--late-share must be from 0 to 0.5'],
    [['--start', 'tomorrow'], '--start must be a date such as 2026-08-01, got "tomorrow"'],
    [['--start', '2026-02-30'], '--start "2026-02-30" is not a date such as 2026-08-01'],
    [['--brokers', 'localhost'], '--brokers must be a comma-separated list of host:port, got "localhost"'],
    [
      ['--namespace', 'has space'],
      '--namespace must be 1-100 characters of A-Z a-z 0-9 . _ -, got "has space"',
    ],
    [['--out', ''], '--out needs a file name, or - for stdout'],
  ])('refuses %p with one line naming the flag', (argv, message) => {
    const parsed = parseCliArgs(argv);
    expect(parsed).toEqual({ ok: false, error: message });
    if (!parsed.ok) expect(parsed.error).not.toContain('\n');
  });
});

describe('parseTreasuryArgs', () => {
  it('has defaults for everything', () => {
    expect(parseTreasuryArgs([])).toEqual({
      ok: true,
      value: {
        settings: { delayMs: 2_000, failShareBps: 500, seed: 'lendstream' },
        groupId: 'lendstream-simulated-treasury',
        brokers: ['127.0.0.1:9092'],
        topicNamespace: undefined,
        help: false,
      },
    });
  });

  it('reads every flag, and takes brokers and namespace from the environment', () => {
    const parsed = parseTreasuryArgs(
      ['--delay-ms', '250', '--fail-share', '0.125', '--seed=42', '--group', 'treasury-b'],
      { KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092', KAFKA_TOPIC_NAMESPACE: 'demo' },
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        settings: { delayMs: 250, failShareBps: 1_250, seed: '42' },
        groupId: 'treasury-b',
        brokers: ['kafka-1:9092', 'kafka-2:9092'],
        topicNamespace: 'demo',
        help: false,
      },
    });
  });

  it('gives each namespace its own default group', () => {
    expect(parseTreasuryArgs(['--namespace', 'demo-1'])).toMatchObject({
      ok: true,
      value: { groupId: 'demo-1-lendstream-simulated-treasury', topicNamespace: 'demo-1' },
    });
  });

  it.each<[string[], string]>([
    [['--merchants', '3'], 'unknown flag --merchants'],
    [['stray'], 'unexpected argument stray'],
    [['--delay-ms'], '--delay-ms needs a value'],
    [['--delay-ms', '2s'], '--delay-ms must be a whole number of milliseconds, got "2s"'],
    [['--delay-ms', '1.5'], '--delay-ms must be a whole number of milliseconds, got "1.5"'],
    [['--delay-ms', '3600001'], '--delay-ms must be a whole number of milliseconds from 0 to 3600000'],
    [['--fail-share', '1.5'], '--fail-share must be at most 1, got "1.5"'],
    [
      ['--fail-share', '5%'],
      '--fail-share must be a share from 0 to 1 with at most four decimals (such as 0.05), got "5%"',
    ],
    [['--seed', ''], '--seed must be 1 to 128 characters'],
    [['--group', 'has space'], '--group must be 1-255 characters of A-Z a-z 0-9 . _ -, got "has space"'],
    [['--brokers', 'localhost'], '--brokers must be a comma-separated list of host:port, got "localhost"'],
    [
      ['--namespace', 'a.b'],
      '--namespace must be 1-100 characters of A-Z a-z 0-9 _ - for the treasury, got "a.b"',
    ],
  ])('refuses %p with one line naming the flag', (argv, message) => {
    const parsed = parseTreasuryArgs(argv);
    expect(parsed).toEqual({ ok: false, error: message });
  });
});
