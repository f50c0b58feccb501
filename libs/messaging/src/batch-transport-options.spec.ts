import {
  BATCH_TRANSPORT_DEFAULTS,
  KafkaBatchTransportOptions,
  resolveBatchTransportOptions,
} from './batch-transport-options';
import { InvalidMessagingOptionsError } from './options-validation';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { silentLogger } from './logger';

const required: KafkaBatchTransportOptions = {
  brokers: ['127.0.0.1:9092'],
  clientId: 'profiler',
  groupId: 'profiler',
  serviceName: 'profiler',
  logger: silentLogger,
};

function problemsOf(options: Partial<Record<keyof KafkaBatchTransportOptions, unknown>>): readonly string[] {
  try {
    resolveBatchTransportOptions({ ...required, ...options } as KafkaBatchTransportOptions);
  } catch (error) {
    if (error instanceof InvalidMessagingOptionsError) return error.problems;
    throw error;
  }
  return [];
}

describe('resolveBatchTransportOptions', () => {
  it('fills in every default', () => {
    const resolved = resolveBatchTransportOptions(required);
    expect(resolved).toMatchObject({
      ...BATCH_TRANSPORT_DEFAULTS,
      retry: DEFAULT_RETRY_POLICY,
      kafkaLogLevel: 'error',
    });
    expect(resolved.topicNamespace).toBeUndefined();
    expect(resolved.logger).toBe(silentLogger);
  });

  it('keeps what it is given, and merges a partial retry policy with the defaults', () => {
    const resolved = resolveBatchTransportOptions({
      ...required,
      maxBatchSize: 7,
      sessionTimeoutMs: 6_000,
      topicNamespace: 'test-42',
      retry: { maxDelayMs: 500 },
    });
    expect(resolved.maxBatchSize).toBe(7);
    expect(resolved.topicNamespace).toBe('test-42');
    expect(resolved.retry).toEqual({ ...DEFAULT_RETRY_POLICY, maxDelayMs: 500 });
    // A short session brings the default heartbeat down to a third of it.
    expect(resolved.heartbeatIntervalMs).toBe(2_000);
  });

  it.each<[string, Partial<Record<keyof KafkaBatchTransportOptions, unknown>>, string]>([
    ['no brokers', { brokers: [] }, 'brokers: must name at least one broker'],
    ['a broker without a port', { brokers: ['kafka'] }, 'brokers.0: must be host:port'],
    ['an empty group', { groupId: '' }, 'groupId: must not be empty'],
    ['a service name with spaces', { serviceName: 'the profiler' }, 'serviceName: must be letters'],
    ['a namespace with a dot', { topicNamespace: 'a.b' }, 'topicNamespace: must be 1-100'],
    ['a batch of zero', { maxBatchSize: 0 }, 'maxBatchSize: must be at least 1'],
    ['a huge batch', { maxBatchSize: 10_001 }, 'maxBatchSize: must be at most 10000'],
    ['a fractional batch', { maxBatchSize: 2.5 }, 'maxBatchSize: must be a whole number'],
    ['a string where a number goes', { maxBatchSize: '500' }, 'maxBatchSize: must be a number'],
    [
      'a heartbeat too slow for the session',
      { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 3_000 },
      'heartbeatIntervalMs: must be at most a third',
    ],
    [
      'a partition budget above the fetch budget',
      { maxBytesPerFetch: 2_048, maxBytesPerPartition: 4_096 },
      'maxBytesPerPartition: must be at most maxBytesPerFetch',
    ],
    [
      'a retry cap below the first delay',
      { retry: { initialDelayMs: 1_000, maxDelayMs: 10 } },
      'retry.maxDelayMs: must be at least initialDelayMs',
    ],
    ['a jitter above 1', { retry: { jitterRatio: 1.5 } }, 'retry.jitterRatio: must be at most 1'],
    ['a shrinking backoff', { retry: { backoffFactor: 0.5 } }, 'retry.backoffFactor: must be at least 1'],
    [
      'too much concurrency',
      { partitionsConsumedConcurrently: 65 },
      'partitionsConsumedConcurrently: must be at most 64',
    ],
    ['a negative drain', { drainTimeoutMs: -1 }, 'drainTimeoutMs: must be at least 0'],
    ['a non-boolean fromBeginning', { fromBeginning: 'yes' }, 'fromBeginning: must be true or false'],
    ['an unknown kafkajs log level', { kafkaLogLevel: 'verbose' }, 'kafkaLogLevel: must be one of'],
  ])('refuses %s, naming the option', (_name, options, expected) => {
    const problems = problemsOf(options);
    expect(problems.some((problem) => problem.startsWith(expected))).toBe(true);
  });

  it('reports every bad option at once', () => {
    expect(problemsOf({ maxBatchSize: 0, drainTimeoutMs: -1 })).toHaveLength(2);
  });
});
