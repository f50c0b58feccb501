/**
 * Stopping a consumer: what was not committed is redelivered to the next consumer of the
 * group (handlers deduplicate, the transport does not), the chunk in flight is drained and
 * committed before the disconnect, and a chunk that will not finish cannot hold the
 * shutdown past the drain timeout.
 */
import { Topics } from '@lendstream/contracts';
import type { KafkaBatchConsumer } from '../../libs/messaging/src/adapters/kafka-batch-consumer';
import { KafkaTestKit } from '../support/kafka-helpers';
import { orderPaid, startConsumer, testConsumerOptions } from './consumer-fixtures';

jest.setTimeout(60_000);

describe('shutdown and redelivery (real broker)', () => {
  let kit: KafkaTestKit;
  const consumers: KafkaBatchConsumer[] = [];

  beforeEach(async () => {
    kit = await KafkaTestKit.create('shutdown', [Topics.orders, Topics.deadLetters]);
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    await kit.cleanup();
  });

  it('redelivers what a stopped consumer did not commit, and only that, to the next one', async () => {
    await kit.produceEvents([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((sequence) => orderPaid(sequence)));
    // A long backoff: the stop must cut the wait short rather than sit it out.
    const options = testConsumerOptions(kit, 'redelivery', {
      maxBatchSize: 5,
      retry: { initialDelayMs: 20_000, maxDelayMs: 20_000, jitterRatio: 0 },
    });

    const firstSeen: string[][] = [];
    const first = await startConsumer(options, {
      [Topics.orders]: async (batch) => {
        firstSeen.push(batch.messages.map((message) => message.offset));
        if (batch.messages[0]!.offset !== '0') throw new Error('the database went away');
      },
    });
    consumers.push(first);
    await kit.waitFor('the second chunk to fail', () => firstSeen.length >= 2);
    const stopStartedAt = Date.now();
    await first.stop();
    const stopDurationMs = Date.now() - stopStartedAt;
    const committedAfterStop = await kit.committedOffsets(options.groupId, Topics.orders);

    const secondSeen: string[] = [];
    const second = await startConsumer(
      { ...options, clientId: `${options.clientId}-second` },
      {
        [Topics.orders]: async (batch) => {
          secondSeen.push(...batch.messages.map((message) => message.offset));
        },
      },
    );
    consumers.push(second);
    await kit.waitFor('the rest to be redelivered and committed', async () => {
      const committed = await kit.committedOffsets(options.groupId, Topics.orders);
      return committed.get(0) === '10';
    });

    expect(firstSeen).toEqual([
      ['0', '1', '2', '3', '4'],
      ['5', '6', '7', '8', '9'],
    ]);
    expect(stopDurationMs).toBeLessThan(10_000);
    expect(committedAfterStop.get(0)).toBe('5');
    expect(secondSeen).toEqual(['5', '6', '7', '8', '9']);
  });

  it('drains the chunk in flight on stop: the slow handler finishes and its offset is committed before the disconnect', async () => {
    await kit.produceEvents([0, 1, 2, 3, 4, 5].map((sequence) => orderPaid(sequence)));
    const options = testConsumerOptions(kit, 'drain', { maxBatchSize: 3 });
    const handled: string[][] = [];
    let handlerStarted!: () => void;
    const started = new Promise<void>((resolve) => (handlerStarted = resolve));
    let handlerFinishedAt = 0;

    const consumer = await startConsumer(options, {
      [Topics.orders]: async (batch) => {
        handlerStarted();
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        handled.push(batch.messages.map((message) => message.offset));
        handlerFinishedAt = Date.now();
      },
    });
    consumers.push(consumer);
    await started;
    await consumer.stop();
    const stoppedAt = Date.now();

    expect(handled).toEqual([['0', '1', '2']]);
    expect(handlerFinishedAt).toBeGreaterThan(0);
    expect(handlerFinishedAt).toBeLessThanOrEqual(stoppedAt);
    expect((await kit.committedOffsets(options.groupId, Topics.orders)).get(0)).toBe('3');
    expect(consumer.state).toBe('stopped');
  });

  it('does not let a chunk that never finishes hold the shutdown past the drain timeout', async () => {
    await kit.produceEvents([orderPaid(0)]);
    const options = testConsumerOptions(kit, 'stuck', { drainTimeoutMs: 1_000 });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let handlerStarted!: () => void;
    const started = new Promise<void>((resolve) => (handlerStarted = resolve));

    const consumer = await startConsumer(options, {
      [Topics.orders]: async () => {
        handlerStarted();
        await released;
      },
    });
    consumers.push(consumer);
    await started;
    const stopStartedAt = Date.now();
    await consumer.stop();
    const stopDurationMs = Date.now() - stopStartedAt;
    const committed = await kit.committedOffsets(options.groupId, Topics.orders);
    release();

    expect(stopDurationMs).toBeGreaterThanOrEqual(900);
    expect(stopDurationMs).toBeLessThan(5_000);
    expect(committed.get(0)).toBe('-1');
  });
});
