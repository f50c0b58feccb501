import { checkReadiness, describeNotReady } from './readiness';

describe('checkReadiness', () => {
  it('is ready when every probe answers', async () => {
    await expect(
      checkReadiness({ kafka: async () => 'ok', postgres: async () => [1] }, 1_000),
    ).resolves.toEqual({
      ready: true,
      checks: { kafka: { status: 'up' }, postgres: { status: 'up' } },
    });
  });

  it('names what is down and why, including a probe that hangs past the timeout', async () => {
    const report = await checkReadiness(
      {
        kafka: () => new Promise(() => undefined),
        postgres: async () => [1],
        redis: async () => {
          throw new Error('connect ECONNREFUSED\n 127.0.0.1:1');
        },
      },
      50,
    );
    expect(report).toEqual({
      ready: false,
      checks: {
        kafka: { status: 'down', error: 'timed out after 50 ms' },
        postgres: { status: 'up' },
        redis: { status: 'down', error: 'connect ECONNREFUSED 127.0.0.1:1' },
      },
    });
    expect(describeNotReady(report)).toBe(
      'Not ready: kafka is down (timed out after 50 ms); redis is down (connect ECONNREFUSED 127.0.0.1:1)',
    );
  });

  it('reads every error of an AggregateError and bounds the length', async () => {
    const report = await checkReadiness(
      {
        postgres: async () => {
          throw new AggregateError([new Error('ECONNREFUSED ::1'), new Error('ECONNREFUSED 127.0.0.1')]);
        },
        redis: async () => {
          throw new Error('x'.repeat(500));
        },
      },
      1_000,
    );
    expect(report.checks.postgres).toEqual({
      status: 'down',
      error: 'ECONNREFUSED ::1, ECONNREFUSED 127.0.0.1',
    });
    expect(report.checks.redis).toEqual({ status: 'down', error: `${'x'.repeat(197)}...` });
  });
});
