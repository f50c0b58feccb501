/**
 * The shared producer: contract events land on their type's topic, keyed by merchant, as
 * structured CloudEvents that decode back to the same event; big publishes are split into
 * requests without losing order.
 */
import { createEvent, decodeEvent, Topics } from '@lendstream/contracts';
import { KafkaEventProducer } from '../../libs/messaging/src/adapters/kafka-event-producer';
import { silentLogger } from '../../libs/messaging/src/logger';
import { testEndpoints } from '../support/env';
import { KafkaTestKit } from '../support/kafka-helpers';
import { orderPaid } from './consumer-fixtures';

jest.setTimeout(60_000);

describe('KafkaEventProducer (real broker)', () => {
  let kit: KafkaTestKit;
  let producer: KafkaEventProducer;

  beforeAll(async () => {
    kit = await KafkaTestKit.create('producer', [Topics.orders, Topics.warehouse], { partitions: 3 });
    producer = new KafkaEventProducer({
      brokers: [...testEndpoints.kafkaBrokers],
      clientId: `${kit.namespace}-producer`,
      topicNamespace: kit.namespace,
      maxMessagesPerRequest: 7,
      logger: silentLogger,
    });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await kit.cleanup();
  });

  it('publishes events that round-trip through decodeEvent, on their topic, keyed by merchant, in order', async () => {
    const orders = Array.from({ length: 25 }, (_, sequence) => orderPaid(sequence, `m-${sequence % 2}`));
    const stockout = createEvent({
      type: 'inventory.stockout',
      id: 's-1',
      source: '/platform/warehouse',
      time: '2026-11-11T00:00:00Z',
      data: { merchantId: 'm-1', warehouseId: 'w-1', sku: 'sku-9' },
    });

    const receipts = await producer.publishEvents([...orders, stockout]);

    // 25 orders in requests of at most 7 make four requests, each with a receipt; the stock-out one more.
    expect(receipts.length).toBeGreaterThanOrEqual(5);
    expect(new Set(receipts.map((receipt) => receipt.topic))).toEqual(
      new Set([kit.topic(Topics.orders), kit.topic(Topics.warehouse)]),
    );
    const ordersRead = await kit.readToEnd(Topics.orders);
    const warehouseRead = await kit.readToEnd(Topics.warehouse);
    expect(ordersRead).toHaveLength(orders.length);
    expect(warehouseRead).toHaveLength(1);

    for (const record of [...ordersRead, ...warehouseRead]) {
      expect(record.headers['content-type']).toBe('application/cloudevents+json');
      const topic = warehouseRead.includes(record) ? kit.topic(Topics.warehouse) : kit.topic(Topics.orders);
      const decoded = decodeEvent({ topic, key: record.key, value: record.value });
      expect(decoded.ok).toBe(true);
    }
    // Each merchant's events sit on one partition, in the order published.
    for (const merchantId of ['m-0', 'm-1']) {
      const records = ordersRead.filter((record) => record.key!.toString() === merchantId);
      expect(new Set(records.map((record) => record.partition)).size).toBe(1);
      const ids = records.map((record) => (JSON.parse(record.value!.toString()) as { id: string }).id);
      expect(ids).toEqual(orders.filter((event) => event.subject === merchantId).map((event) => event.id));
    }
    const decodedFirst = decodeEvent({
      topic: kit.topic(Topics.orders),
      key: 'm-0',
      value: ordersRead.find((r) => r.key!.toString() === 'm-0')!.value,
    });
    expect(decodedFirst).toMatchObject({
      ok: true,
      value: { id: orders[0]!.id, data: { amountMinor: orders[0]!.data.amountMinor } },
    });
  });

  it('publishes raw records to a namespaced contract topic and returns where they landed', async () => {
    const receipts = await producer.publish(Topics.warehouse, [{ key: 'm-7', value: 'raw bytes' }]);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.topic).toBe(kit.topic(Topics.warehouse));
    const records = await kit.readToEnd(Topics.warehouse);
    const landed = records.find(
      (record) => record.partition === receipts[0]!.partition && record.offset === receipts[0]!.baseOffset,
    );
    expect(landed?.value?.toString()).toBe('raw bytes');
  });
});
