/**
 * A handler that throws is having an outage, not reading poison: the same chunk is retried
 * with backoff, nothing is dead-lettered or skipped, and the committed offset stays before
 * the failing chunk until it succeeds.
 */
import { Topics } from '@lendstream/contracts';
import type { KafkaBatchConsumer } from '../../libs/messaging/src/adapters/kafka-batch-consumer';
import { KafkaTestKit } from '../support/kafka-helpers';
import { orderPaid, RememberingLogger, startConsumer, testConsumerOptions } from './consumer-fixtures';

jest.setTimeout(60_000);

describe('transient handler failures (real broker)', () => {
  let kit: KafkaTestKit;
  let consumer: KafkaBatchConsumer | undefined;

  beforeEach(async () => {
    kit = await KafkaTestKit.create('retries', [Topics.orders, Topics.deadLetters]);
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await kit.cleanup();
  });

  it('retries the same chunk until the handler succeeds, never committing past it meanwhile', async () => {
    const events = [0, 1, 2, 3, 4, 5].map((sequence) => orderPaid(sequence));
    await kit.produceEvents(events);

    let outage = true;
    const calls: Array<{ offsets: string[]; at: number; failed: boolean }> = [];
    const logger = new RememberingLogger();
    const options = testConsumerOptions(kit, 'retries', { maxBatchSize: 3, logger });
    consumer = await startConsumer(options, {
      [Topics.orders]: async (batch) => {
        const offsets = batch.messages.map((message) => message.offset);
        const failed = outage && offsets.includes('3');
        calls.push({ offsets, at: Date.now(), failed });
        if (failed) throw new Error('ECONNREFUSED 127.0.0.1:6379');
      },
    });

    const failures = () => calls.filter((call) => call.failed);
    await kit.waitFor('three failed attempts at the second chunk', () => failures().length >= 3);
    const committedWhileFailing = await kit.committedOffsets(options.groupId, Topics.orders);
    outage = false;
    await kit.waitFor('the second chunk to be committed', async () => {
      const committed = await kit.committedOffsets(options.groupId, Topics.orders);
      return committed.get(0) === '6';
    });

    // The first chunk is committed; the failing one is not, while it fails.
    expect(committedWhileFailing.get(0)).toBe('3');
    // Every attempt was the same chunk, in order, and the success came after the failures.
    const attempts = calls.filter((call) => call.offsets.includes('3'));
    expect(attempts.every((call) => call.offsets.join() === '3,4,5')).toBe(true);
    expect(attempts.at(-1)!.failed).toBe(false);
    expect(calls[0]!.offsets).toEqual(['0', '1', '2']);
    // Backoff: no two attempts closer than the initial delay (50 ms), less scheduling slack.
    for (let index = 1; index < attempts.length; index += 1) {
      expect(attempts[index]!.at - attempts[index - 1]!.at).toBeGreaterThanOrEqual(40);
    }
    // Each failure is logged with the error; nothing is dead-lettered.
    const retryLines = logger.lines.filter((line) => line.message.includes('retrying the same chunk'));
    expect(retryLines.length).toBe(failures().length);
    expect(retryLines[0]!.fields).toMatchObject({
      attempt: 1,
      error: 'Error: ECONNREFUSED 127.0.0.1:6379',
      firstOffset: '3',
    });
    expect(await kit.readToEnd(Topics.deadLetters)).toEqual([]);
  });
});
