/**
 * Topics are never auto-created, so a consumer whose input or dead-letter topic is missing
 * must fail its boot, naming the topic, rather than stall at the first bad record.
 */
import { Topics } from '@lendstream/contracts';
import { KafkaTestKit } from '../support/kafka-helpers';
import { startConsumer, testConsumerOptions } from './consumer-fixtures';

jest.setTimeout(60_000);

describe('consumer boot (real broker)', () => {
  let kit: KafkaTestKit;

  beforeAll(async () => {
    kit = await KafkaTestKit.create('boot', [Topics.orders]);
  });

  afterAll(() => kit.cleanup());

  it('fails, naming the missing dead-letter topic', async () => {
    const options = testConsumerOptions(kit, 'no-dlq');
    await expect(startConsumer(options, { [Topics.orders]: async () => undefined })).rejects.toThrow(
      `Missing Kafka topics (they are never auto-created): ${kit.topic(Topics.deadLetters)}`,
    );
  });

  it('fails, naming a missing input topic', async () => {
    const options = testConsumerOptions(kit, 'no-input');
    await expect(startConsumer(options, { [Topics.warehouse]: async () => undefined })).rejects.toThrow(
      kit.topic(Topics.warehouse),
    );
  });
});
