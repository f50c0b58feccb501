import { InvalidEnvironmentError } from '@lendstream/platform';
import { PROFILER_DEFAULTS, profilerOptionsFromEnv } from './profiler-config';

describe('profilerOptionsFromEnv', () => {
  it('fills every default for an empty environment', () => {
    expect(profilerOptionsFromEnv({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      kafkaBrokers: ['127.0.0.1:9092'],
      keyPrefix: 'lp',
      batchSize: PROFILER_DEFAULTS.batchSize,
      fetchBytesPerPartition: 4 * 1024 * 1024,
      groupId: PROFILER_DEFAULTS.groupId,
      clientId: PROFILER_DEFAULTS.clientId,
      topicNamespace: undefined,
      partitionsConsumedConcurrently: PROFILER_DEFAULTS.partitionsConsumedConcurrently,
      groupMembers: PROFILER_DEFAULTS.groupMembers,
      redisCommandTimeoutMs: PROFILER_DEFAULTS.redisCommandTimeoutMs,
      httpPort: 3001,
      healthTimeoutMs: 2_000,
      logLevels: ['fatal', 'error', 'warn', 'log'],
    });
  });

  it('reads the variables', () => {
    expect(
      profilerOptionsFromEnv({
        REDIS_URL: 'redis://cache:6380',
        KAFKA_BROKERS: 'k1:9092,k2:9092',
        PROFILE_KEY_PREFIX: 'rebuild-2',
        PROFILER_BATCH_SIZE: '2000',
        PROFILER_GROUP_ID: 'profiler-replay',
        KAFKA_TOPIC_NAMESPACE: 'bench',
        REDIS_COMMAND_TIMEOUT_MS: '800',
        PROFILER_PARTITIONS_CONCURRENTLY: '6',
        LOG_LEVEL: 'warn',
      }),
    ).toMatchObject({
      redisUrl: 'redis://cache:6380',
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      keyPrefix: 'rebuild-2',
      batchSize: 2000,
      groupId: 'profiler-replay',
      topicNamespace: 'bench',
      redisCommandTimeoutMs: 800,
      partitionsConsumedConcurrently: 6,
      logLevels: ['fatal', 'error', 'warn'],
    });
  });

  it.each([
    ['PROFILE_KEY_PREFIX', 'lp:{x}'],
    ['PROFILER_BATCH_SIZE', '0'],
    ['PROFILER_BATCH_SIZE', '10001'],
    ['PROFILER_BATCH_SIZE', '12.5'],
    ['REDIS_COMMAND_TIMEOUT_MS', 'soon'],
    ['REDIS_URL', 'http://cache'],
    ['KAFKA_TOPIC_NAMESPACE', 'a.b'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => profilerOptionsFromEnv({ [variable]: value })).toThrow(InvalidEnvironmentError);
    expect(() => profilerOptionsFromEnv({ [variable]: value })).toThrow(variable);
  });
});
