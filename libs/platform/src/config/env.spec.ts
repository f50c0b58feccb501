import { z } from 'zod';
import {
  ENV_DEFAULTS,
  InvalidEnvironmentError,
  loadEnvWith,
  loadPlatformEnv,
  maskUrlPassword,
  platformEnvShape,
  type EnvSource,
  type PlatformEnv,
} from './env';

const defaults: PlatformEnv = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'info',
  KAFKA_BROKERS: ['127.0.0.1:9092'],
  KAFKA_PARTITIONS: 6,
  DATABASE_URL: ENV_DEFAULTS.DATABASE_URL,
  REDIS_URL: ENV_DEFAULTS.REDIS_URL,
};

describe('loadPlatformEnv', () => {
  it.each<[string, EnvSource, Partial<PlatformEnv>]>([
    ['nothing set: every default', {}, {}],
    ['empty strings count as unset', { KAFKA_BROKERS: '', KAFKA_PARTITIONS: ' ', LOG_LEVEL: '' }, {}],
    ['one broker', { KAFKA_BROKERS: 'kafka:19092' }, { KAFKA_BROKERS: ['kafka:19092'] }],
    ['broker list with spaces', { KAFKA_BROKERS: 'a:1, b:2 ,c:3' }, { KAFKA_BROKERS: ['a:1', 'b:2', 'c:3'] }],
    ['IPv6 broker', { KAFKA_BROKERS: '[::1]:9092' }, { KAFKA_BROKERS: ['[::1]:9092'] }],
    ['partitions as digits', { KAFKA_PARTITIONS: '12' }, { KAFKA_PARTITIONS: 12 }],
    [
      'postgresql scheme',
      { DATABASE_URL: 'postgresql://u:p@db:5432/x' },
      { DATABASE_URL: 'postgresql://u:p@db:5432/x' },
    ],
    ['rediss scheme', { REDIS_URL: 'rediss://cache:6380/2' }, { REDIS_URL: 'rediss://cache:6380/2' }],
    [
      'production, debug',
      { NODE_ENV: 'production', LOG_LEVEL: 'debug' },
      { NODE_ENV: 'production', LOG_LEVEL: 'debug' },
    ],
    ['unrelated variables are ignored', { PATH: '/usr/bin', HOME: '/root' }, {}],
  ])('%s', (_case, source, expected) => {
    expect(loadPlatformEnv(source)).toEqual({ ...defaults, ...expected });
  });

  it.each<[string, EnvSource, string]>([
    [
      'partitions not a number',
      { KAFKA_PARTITIONS: 'six' },
      'KAFKA_PARTITIONS="six": expected a whole number from 1 to 1000',
    ],
    ['partitions zero', { KAFKA_PARTITIONS: '0' }, 'KAFKA_PARTITIONS="0"'],
    ['partitions fractional', { KAFKA_PARTITIONS: '2.5' }, 'KAFKA_PARTITIONS="2.5"'],
    ['partitions too many', { KAFKA_PARTITIONS: '5000' }, 'KAFKA_PARTITIONS="5000"'],
    [
      'broker without port',
      { KAFKA_BROKERS: 'localhost' },
      'KAFKA_BROKERS="localhost": expected a comma-separated list of host:port',
    ],
    ['broker port out of range', { KAFKA_BROKERS: 'a:1,b:70000' }, 'KAFKA_BROKERS="a:1,b:70000"'],
    ['broker list of commas', { KAFKA_BROKERS: ',,' }, 'KAFKA_BROKERS=",,"'],
    [
      'database URL of another engine',
      { DATABASE_URL: 'mysql://db/x' },
      'DATABASE_URL="mysql://db/x": expected a URL starting with postgres://',
    ],
    ['database URL not a URL', { DATABASE_URL: 'lendstream' }, 'DATABASE_URL="lendstream"'],
    [
      'redis URL of another scheme',
      { REDIS_URL: 'http://cache' },
      'REDIS_URL="http://cache": expected a URL starting with redis://',
    ],
    [
      'unknown NODE_ENV',
      { NODE_ENV: 'prod' },
      'NODE_ENV="prod": expected one of development, test, production',
    ],
    [
      'unknown LOG_LEVEL',
      { LOG_LEVEL: 'verbose' },
      'LOG_LEVEL="verbose": expected one of fatal, error, warn, info, debug, trace',
    ],
  ])('rejects %s, naming the variable', (_case, source, expectedInMessage) => {
    expect(() => loadPlatformEnv(source)).toThrow(InvalidEnvironmentError);
    expect(() => loadPlatformEnv(source)).toThrow(expectedInMessage);
  });

  it('reports every bad variable at once', () => {
    const error = captureError(() => loadPlatformEnv({ KAFKA_PARTITIONS: 'x', REDIS_URL: 'y' }));
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['KAFKA_PARTITIONS', 'REDIS_URL']);
  });

  it('never prints a database password', () => {
    const error = captureError(() => loadPlatformEnv({ DATABASE_URL: 'mysql://app:s3cret@db/x' }));
    expect(error.message).not.toContain('s3cret');
    expect(error.message).toContain('mysql://app:***@db/x');
  });
});

describe('loadEnvWith (an app extending the platform schema)', () => {
  const apiSchema = z.object({ ...platformEnvShape, API_PORT: z.coerce.number().int().default(3000) });

  it.each<[EnvSource, number]>([
    [{}, 3000],
    [{ API_PORT: '8080' }, 8080],
  ])('%j → API_PORT %i, platform defaults kept', (source, port) => {
    expect(loadEnvWith(apiSchema, source)).toEqual({ ...defaults, API_PORT: port });
  });
});

describe('maskUrlPassword', () => {
  it.each([
    ['postgres://u:pw@h:5432/db', 'postgres://u:***@h:5432/db'],
    ['redis://:pw@h:6379', 'redis://:***@h:6379'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['not a url', 'not a url'],
  ])('%s → %s', (input, masked) => {
    expect(maskUrlPassword(input)).toBe(masked);
  });
});

function captureError(run: () => unknown): InvalidEnvironmentError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error;
    throw error;
  }
  throw new Error('expected InvalidEnvironmentError');
}
