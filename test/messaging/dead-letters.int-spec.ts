/**
 * Bad input is data: every kind of undecodable record, and every record a handler rejects,
 * lands on the dead-letter topic with its original bytes and the contract's headers, and
 * the partition moves on to the next record.
 */
import { createEvent, DeadLetterHeaders, DeadLetterReason, encodeEvent, Topics } from '@lendstream/contracts';
import type { KafkaBatchConsumer } from '../../libs/messaging/src/adapters/kafka-batch-consumer';
import type { BatchOutcome, InboundMessage } from '../../libs/messaging/src/inbound';
import { KafkaTestKit, TestRecord } from '../support/kafka-helpers';
import { orderPaid, startConsumer, testConsumerOptions } from './consumer-fixtures';

jest.setTimeout(60_000);

const MERCHANT = 'm-000001';

function poison(
  reason: string,
  value: string | Buffer,
  key: string = MERCHANT,
): TestRecord & { reason: string } {
  return { reason, key, value, headers: { 'x-trace': `trace-${reason}` } };
}

describe('dead letters (real broker)', () => {
  let kit: KafkaTestKit;
  let consumer: KafkaBatchConsumer | undefined;

  beforeEach(async () => {
    kit = await KafkaTestKit.create('dead-letters', [Topics.orders, Topics.deadLetters]);
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await kit.cleanup();
  });

  it('dead-letters each kind of poison record untouched, with the contract headers, and processes the next one', async () => {
    const first = orderPaid(1, MERCHANT);
    const next = orderPaid(2, MERCHANT);
    const withoutOrderId = JSON.parse(encodeEvent(orderPaid(3, MERCHANT))) as {
      data: Record<string, unknown>;
    };
    delete withoutOrderId.data.orderId;
    const unknownType = { ...JSON.parse(encodeEvent(orderPaid(4, MERCHANT))), type: 'order.teleported' };
    const huge = { ...JSON.parse(encodeEvent(orderPaid(5, MERCHANT))), padding: 'x'.repeat(70 * 1024) };
    const stockout = createEvent({
      type: 'inventory.stockout',
      id: 's-1',
      source: '/platform/warehouse',
      time: '2026-11-11T00:00:06Z',
      data: { merchantId: MERCHANT, warehouseId: 'w-1', sku: 'sku-1' },
    });
    const poisons = [
      poison(DeadLetterReason.NOT_JSON, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
      poison(DeadLetterReason.SCHEMA_VIOLATION, JSON.stringify(withoutOrderId)),
      poison(DeadLetterReason.UNKNOWN_TYPE, JSON.stringify(unknownType)),
      poison(DeadLetterReason.KEY_MISMATCH, encodeEvent(orderPaid(6, MERCHANT)), 'm-999999'),
      poison(DeadLetterReason.PAYLOAD_TOO_LARGE, JSON.stringify(huge)),
      poison(DeadLetterReason.WRONG_TOPIC, encodeEvent(stockout)),
    ];
    await kit.produceEvents([first]);
    await kit.produce(Topics.orders, poisons);
    await kit.produceEvents([next]);
    const lastOffset = String(poisons.length + 1);

    const handled: InboundMessage[] = [];
    const options = testConsumerOptions(kit, 'poison');
    const startedAt = Date.now();
    consumer = await startConsumer(options, {
      [Topics.orders]: async (batch) => {
        handled.push(...batch.messages);
      },
    });
    await kit.waitFor('the record after the poison to be handled', () =>
      handled.some((message) => message.offset === lastOffset),
    );
    await kit.waitFor('the offset to be committed past the last record', async () => {
      const committed = await kit.committedOffsets(options.groupId, Topics.orders);
      return committed.get(0) === String(poisons.length + 2);
    });

    expect(handled.map((message) => [message.offset, message.event.id])).toEqual([
      ['0', first.id],
      [lastOffset, next.id],
    ]);
    const deadLetters = await kit.readToEnd(Topics.deadLetters);
    expect(deadLetters).toHaveLength(poisons.length);
    deadLetters.forEach((deadLetter, index) => {
      const original = poisons[index]!;
      expect(deadLetter.key).toEqual(Buffer.from(original.key as string));
      expect(deadLetter.value).toEqual(
        Buffer.isBuffer(original.value) ? original.value : Buffer.from(original.value as string),
      );
      expect(deadLetter.headers).toMatchObject({
        'x-trace': `trace-${original.reason}`,
        [DeadLetterHeaders.reason]: original.reason,
        [DeadLetterHeaders.sourceTopic]: kit.topic(Topics.orders),
        [DeadLetterHeaders.sourcePartition]: '0',
        [DeadLetterHeaders.sourceOffset]: String(index + 1),
        [DeadLetterHeaders.service]: 'messaging-test',
      });
      expect(deadLetter.headers[DeadLetterHeaders.error]!.length).toBeGreaterThan(0);
      const deadLetteredAt = Date.parse(deadLetter.headers[DeadLetterHeaders.at]!);
      expect(deadLetteredAt).toBeGreaterThanOrEqual(startedAt - 1_000);
      expect(deadLetteredAt).toBeLessThanOrEqual(Date.now());
    });
    // The error names the offending field.
    expect(deadLetters[1]!.headers[DeadLetterHeaders.error]).toContain('data.orderId');
    expect(deadLetters[3]!.headers[DeadLetterHeaders.error]).toMatch(/^key: /);
  });

  it('dead-letters the records a handler rejects, with its reason, and commits past them', async () => {
    const events = [1, 2, 3, 4].map((sequence) => orderPaid(sequence, MERCHANT));
    await kit.produceEvents(events);
    const rejectedId = events[1]!.id;

    const handledIds: string[] = [];
    const options = testConsumerOptions(kit, 'rejects');
    consumer = await startConsumer(options, {
      [Topics.orders]: async (batch): Promise<BatchOutcome> => {
        handledIds.push(...batch.messages.map((message) => message.event.id));
        const rejected = batch.messages
          .filter((message) => message.event.id === rejectedId)
          .map((message) => ({
            offset: message.offset,
            violation: {
              reason: DeadLetterReason.CURRENCY_MISMATCH,
              field: 'data.currency',
              message: 'CNY merchant paid in USD',
            },
          }));
        return { rejected };
      },
    });
    await kit.waitFor('the batch to be committed', async () => {
      const committed = await kit.committedOffsets(options.groupId, Topics.orders);
      return committed.get(0) === String(events.length);
    });

    expect(handledIds).toEqual(events.map((event) => event.id));
    const deadLetters = await kit.readToEnd(Topics.deadLetters);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]!.value!.toString()).toBe(encodeEvent(events[1]!));
    expect(deadLetters[0]!.headers).toMatchObject({
      'content-type': 'application/cloudevents+json',
      [DeadLetterHeaders.reason]: DeadLetterReason.CURRENCY_MISMATCH,
      [DeadLetterHeaders.error]: 'data.currency: CNY merchant paid in USD',
      [DeadLetterHeaders.sourceOffset]: '1',
    });
  });
});
