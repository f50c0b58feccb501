import { createConsoleLogger } from '@lendstream/messaging';
import {
  InvalidTreasuryOptionsError,
  resolveTreasuryOptions,
  SimulatedTreasuryOptions,
} from './treasury-options';

describe('resolveTreasuryOptions', () => {
  it('fills in the defaults, with a group per namespace', () => {
    const resolved = resolveTreasuryOptions({ brokers: ['127.0.0.1:9092'] });
    expect(resolved).toMatchObject({
      brokers: ['127.0.0.1:9092'],
      settings: { delayMs: 2_000, failShareBps: 500, seed: 'lendstream' },
      topicNamespace: undefined,
      groupId: 'lendstream-simulated-treasury',
      clientId: 'lendstream-simulated-treasury',
      partitionsConcurrently: 32,
      drainTimeoutMs: 5_000,
      maxEventsPerPublish: 500,
    });
    expect(resolveTreasuryOptions({ brokers: ['b:1'], topicNamespace: 'ns' }).groupId).toBe(
      'ns-lendstream-simulated-treasury',
    );
  });

  it('keeps what it is given', () => {
    const logger = createConsoleLogger('nothing');
    const resolved = resolveTreasuryOptions({
      brokers: ['b:1'],
      settings: { delayMs: 0, failShareBps: 10_000 },
      groupId: 'g',
      drainTimeoutMs: 0,
      partitionsConcurrently: 6,
      logger,
    });
    expect(resolved).toMatchObject({
      settings: { delayMs: 0, failShareBps: 10_000, seed: 'lendstream' },
      groupId: 'g',
      drainTimeoutMs: 0,
      partitionsConcurrently: 6,
    });
    expect(resolved.logger).toBe(logger);
  });

  it.each<[string, Partial<SimulatedTreasuryOptions>, string]>([
    ['no broker', { brokers: [] }, 'brokers: must name at least one broker'],
    ['a bad broker', { brokers: ['nowhere'] }, 'brokers.0: must be host:port'],
    [
      'a negative delay',
      { settings: { delayMs: -5 } },
      'Invalid treasury settings: delayMs: must be a whole number',
    ],
    [
      'a share over 100 %',
      { settings: { failShareBps: 20_000 } },
      'failShareBps: must be a whole number of basis points',
    ],
    ['a dotted namespace', { topicNamespace: 'a.b' }, 'topicNamespace: must be 1-100 letters'],
    ['a bad group', { groupId: 'a b' }, 'groupId: must be letters, digits'],
    ['too many workers', { partitionsConcurrently: 65 }, 'partitionsConcurrently: must be at most 64'],
    ['a negative drain', { drainTimeoutMs: -1 }, 'drainTimeoutMs: must be at least 0'],
  ])('refuses %s, naming it', (_case, change, message) => {
    const act = () => resolveTreasuryOptions({ brokers: ['b:1'], ...change });
    expect(act).toThrow(InvalidTreasuryOptionsError);
    expect(act).toThrow(message);
  });
});
