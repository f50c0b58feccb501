import { InvalidMessagingOptionsError } from './options-validation';
import { OUTBOX_RELAY_DEFAULTS, resolveOutboxRelayOptions } from './outbox-relay-options';
import { DEFAULT_RETRY_POLICY } from './retry-policy';

describe('resolveOutboxRelayOptions', () => {
  it('fills in a default for everything', () => {
    const resolved = resolveOutboxRelayOptions();
    expect(resolved).toMatchObject({
      ...OUTBOX_RELAY_DEFAULTS,
      relayName: 'outbox-relay',
      retry: DEFAULT_RETRY_POLICY,
    });
    expect(resolved.retentionMs).toBe(7 * 24 * 60 * 60 * 1_000);
    expect(resolved.afterPublishBeforeMark).toBeUndefined();
  });

  it('keeps what is given, and fills in the rest of a partial retry policy', () => {
    const hook = (): void => undefined;
    const resolved = resolveOutboxRelayOptions({
      batchSize: 50,
      retry: { maxDelayMs: 2_000 },
      afterPublishBeforeMark: hook,
    });
    expect(resolved.batchSize).toBe(50);
    expect(resolved.retry).toEqual({ ...DEFAULT_RETRY_POLICY, maxDelayMs: 2_000 });
    expect(resolved.afterPublishBeforeMark).toBe(hook);
  });

  it.each([
    [{ shardCount: 0 }, 'shardCount: must be at least 1'],
    [{ shardCount: 2_000 }, 'shardCount: must be at most 1024'],
    [{ batchSize: 1.5 }, 'batchSize: must be a whole number'],
    [{ pollIntervalMs: 1 }, 'pollIntervalMs: must be at least 5'],
    [{ purgeChunkSize: 1_000_000 }, 'purgeChunkSize: must be at most 100000'],
    [{ relayName: 'has space' }, 'relayName: must be letters'],
    [
      { retry: { initialDelayMs: 500, maxDelayMs: 100 } },
      'retry.maxDelayMs: must be at least initialDelayMs',
    ],
  ])('names the bad option in %p', (options, message) => {
    expect(() => resolveOutboxRelayOptions(options)).toThrow(InvalidMessagingOptionsError);
    expect(() => resolveOutboxRelayOptions(options)).toThrow(message);
  });
});
