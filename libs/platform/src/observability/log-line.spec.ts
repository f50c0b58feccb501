import { formatLogLine, LOG_LINE_MAX_CHARS, safeStringify } from './log-line';

const TIME = new Date('2026-11-11T08:00:00.000Z');

describe('formatLogLine', () => {
  it('writes the core keys first, then the fields, on one line', () => {
    const line = formatLogLine({
      time: TIME,
      level: 'warn',
      service: 'profiler',
      context: 'KafkaBatchTransport',
      message: 'Dead-lettered records',
      fields: { topic: 'scf.orders.v1', partition: 2, offset: '41', eventId: 'e-41' },
    });
    expect(line).not.toContain('\n');
    expect(line).toBe(
      '{"time":"2026-11-11T08:00:00.000Z","level":"warn","service":"profiler","context":"KafkaBatchTransport",' +
        '"message":"Dead-lettered records","topic":"scf.orders.v1","partition":2,"offset":"41","eventId":"e-41"}',
    );
  });

  it('never lets a field replace a core key, and leaves out undefined fields and an empty context', () => {
    const parsed = JSON.parse(
      formatLogLine({
        time: TIME,
        level: 'info',
        service: 'api',
        context: '',
        message: 'real',
        fields: { message: 'forged', level: 'fatal', requestId: undefined, route: '/metrics' },
      }),
    );
    expect(parsed).toEqual({
      time: '2026-11-11T08:00:00.000Z',
      level: 'info',
      service: 'api',
      message: 'real',
      route: '/metrics',
      fields: { message: 'forged', level: 'fatal' },
    });
  });

  it('cuts an oversized entry to its core keys and says so', () => {
    const parsed = JSON.parse(
      formatLogLine({
        time: TIME,
        level: 'info',
        service: 'api',
        message: 'big',
        fields: { blob: 'x'.repeat(LOG_LINE_MAX_CHARS) },
      }),
    );
    expect(parsed.blob).toBeUndefined();
    expect(parsed.truncated).toMatch(/^the entry was \d+ characters/);
  });
});

describe('safeStringify', () => {
  it('writes bigint as digits, an Error as its name, message and stack, and a cycle as [Circular]', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    const error = new TypeError('bad');
    const parsed = JSON.parse(safeStringify({ amountMinor: 9007199254740993n, error, cyclic }));
    expect(parsed.amountMinor).toBe('9007199254740993');
    expect(parsed.error).toMatchObject({ name: 'TypeError', message: 'bad' });
    expect(parsed.error.stack).toContain('TypeError: bad');
    expect(parsed.cyclic).toEqual({ name: 'a', self: '[Circular]' });
  });

  it('repeats an object seen twice side by side (only a cycle is cut)', () => {
    const shared = { id: 1 };
    expect(JSON.parse(safeStringify({ a: shared, b: shared, list: [shared, shared] }))).toEqual({
      a: { id: 1 },
      b: { id: 1 },
      list: [{ id: 1 }, { id: 1 }],
    });
  });
});
