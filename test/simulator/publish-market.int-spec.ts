/**
 * The simulator against the real broker: a small market published to fresh topics comes
 * back whole: every record decodes on its topic, keyed by its merchant, with the CloudEvents
 * header, each merchant on one partition in the order generated.
 */
import { decodeEvent, Topics, TopicName } from '@lendstream/contracts';
import { MarketConfig, simulateMarket } from '@lendstream/simulation';
import { KafkaEventSink } from '../../apps/simulator/src/kafka-event-sink';
import { publishMarket } from '../../apps/simulator/src/publish-market';
import { testEndpoints } from '../support/env';
import { KafkaTestKit, ReadRecord } from '../support/kafka-helpers';

jest.setTimeout(60_000);

const INPUT_TOPICS: readonly TopicName[] = [Topics.orders, Topics.warehouse, Topics.logistics];
const market: MarketConfig = {
  seed: 'integration',
  merchants: 8,
  days: 12,
  start: '2026-08-01',
  lateEventShare: 0.02,
};

describe('publishMarket to Kafka (real broker)', () => {
  let kit: KafkaTestKit;
  let sink: KafkaEventSink;

  beforeAll(async () => {
    kit = await KafkaTestKit.create('simulator', INPUT_TOPICS, { partitions: 3 });
    sink = await KafkaEventSink.connect({
      brokers: testEndpoints.kafkaBrokers,
      clientId: `${kit.namespace}-simulator`,
    });
  });

  afterAll(async () => {
    await sink?.close();
    await kit?.cleanup();
  });

  it('publishes every event once; what is read back matches the counts, decodes and keeps per-merchant order', async () => {
    const summary = await publishMarket(market, sink, { topicNamespace: kit.namespace, batchSize: 200 });
    const expected = [...simulateMarket(market)];
    expect(summary).toMatchObject({ published: expected.length, aborted: false });

    const readBack = new Map<TopicName, ReadRecord[]>();
    for (const topic of INPUT_TOPICS) readBack.set(topic, await kit.readToEnd(topic));

    for (const topic of INPUT_TOPICS) {
      const records = readBack.get(topic)!;
      expect(records).toHaveLength(summary.byTopic[kit.topic(topic)]);
      expect(records).toHaveLength(expected.filter((event) => event.topic === topic).length);

      const idsByMerchant = new Map<string, { partitions: Set<number>; ids: string[] }>();
      for (const record of records.sort(
        (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
      )) {
        expect(record.headers['content-type']).toBe('application/cloudevents+json');
        const decoded = decodeEvent({ topic: kit.topic(topic), key: record.key, value: record.value });
        if (!decoded.ok) throw new Error(`${decoded.error.message}: ${record.value?.toString()}`);
        const merchant = idsByMerchant.get(decoded.value.subject) ?? { partitions: new Set(), ids: [] };
        merchant.partitions.add(record.partition);
        merchant.ids.push(decoded.value.id);
        idsByMerchant.set(decoded.value.subject, merchant);
      }
      for (const [merchantId, { partitions, ids }] of idsByMerchant) {
        expect(partitions.size).toBe(1);
        const generated = expected
          .filter((event) => event.topic === topic && event.key === merchantId)
          .map(({ event }) => event.id);
        expect(ids).toEqual(generated);
      }
    }
  });
});
