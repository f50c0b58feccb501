/**
 * Batches are bounded and ordered: no handler call holds more than maxBatchSize records,
 * each call holds one partition's records, and each partition's records arrive in offset
 * order, once, even with partitions consumed concurrently.
 */
import { encodeEvent, Topics } from '@lendstream/contracts';
import type { KafkaBatchConsumer } from '../../libs/messaging/src/adapters/kafka-batch-consumer';
import type { InboundBatch } from '../../libs/messaging/src/inbound';
import { KafkaTestKit } from '../support/kafka-helpers';
import { orderPaid, startConsumer, testConsumerOptions } from './consumer-fixtures';

jest.setTimeout(60_000);

const RECORDS_PER_PARTITION = [23, 17] as const;
const MAX_BATCH_SIZE = 4;

describe('batch bounds and order (real broker)', () => {
  let kit: KafkaTestKit;
  let consumer: KafkaBatchConsumer | undefined;

  beforeAll(async () => {
    kit = await KafkaTestKit.create('batching', [Topics.orders, Topics.deadLetters], { partitions: 2 });
  });

  afterAll(async () => {
    await consumer?.stop();
    await kit.cleanup();
  });

  it('never hands a handler more than maxBatchSize records, and keeps every partition in order', async () => {
    for (const [partition, count] of RECORDS_PER_PARTITION.entries()) {
      const merchantId = `m-p${partition}`;
      await kit.produce(
        Topics.orders,
        Array.from({ length: count }, (_, sequence) => ({
          key: merchantId,
          value: encodeEvent(orderPaid(sequence, merchantId)),
          partition,
        })),
      );
    }
    const total = RECORDS_PER_PARTITION[0] + RECORDS_PER_PARTITION[1];

    const batches: InboundBatch[] = [];
    const options = testConsumerOptions(kit, 'batching', {
      maxBatchSize: MAX_BATCH_SIZE,
      partitionsConsumedConcurrently: 2,
    });
    consumer = await startConsumer(options, {
      [Topics.orders]: async (batch) => {
        batches.push(batch);
        // A little work, so that the two partitions' chunks overlap in time.
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    await kit.waitFor(
      'every record to be handled',
      () => batches.reduce((sum, batch) => sum + batch.messages.length, 0) >= total,
    );

    const sizes = batches.map((batch) => batch.messages.length);
    expect(Math.max(...sizes)).toBe(MAX_BATCH_SIZE);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    for (const batch of batches) {
      expect(batch.messages.every((message) => message.partition === batch.partition)).toBe(true);
    }
    for (const [partition, count] of RECORDS_PER_PARTITION.entries()) {
      const offsets = batches
        .filter((batch) => batch.partition === partition)
        .flatMap((batch) => batch.messages.map((message) => Number(message.offset)));
      expect(offsets).toEqual(Array.from({ length: count }, (_, index) => index));
    }
  });
});
