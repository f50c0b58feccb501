import { parseCliArgs } from './cli-args';

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
