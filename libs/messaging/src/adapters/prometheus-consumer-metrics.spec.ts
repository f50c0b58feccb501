import { Registry } from 'prom-client';
import { PrometheusConsumerMetrics } from './prometheus-consumer-metrics';

const series = async (registry: Registry, name: string) =>
  (await registry.getSingleMetric(name)!.get()).values.map((value) => [value.labels, value.value]);

describe('PrometheusConsumerMetrics', () => {
  it('adds counts by label, keeps the last lag per partition, and forgets a group’s lag on rejoin', async () => {
    const registry = new Registry();
    const metrics = new PrometheusConsumerMetrics(registry);
    metrics.recordConsumed('scf.orders.v1', new Map([['order.paid', 3]]));
    metrics.recordConsumed(
      'scf.orders.v1',
      new Map([
        ['order.paid', 2],
        ['order.placed', 1],
      ]),
    );
    metrics.recordDeadLettered('scf.orders.v1', new Map([['NOT_JSON', 1]]));
    metrics.recordLag({ groupId: 'g', topic: 'scf.orders.v1', partition: 0 }, 7);
    metrics.recordLag({ groupId: 'g', topic: 'scf.orders.v1', partition: 0 }, 2);
    metrics.recordLag({ groupId: 'other', topic: 'scf.orders.v1', partition: 1 }, 5);

    expect(await series(registry, 'lendstream_events_consumed_total')).toEqual([
      [{ topic: 'scf.orders.v1', type: 'order.paid' }, 5],
      [{ topic: 'scf.orders.v1', type: 'order.placed' }, 1],
    ]);
    expect(await series(registry, 'lendstream_dead_letters_total')).toEqual([
      [{ topic: 'scf.orders.v1', reason: 'NOT_JSON' }, 1],
    ]);
    expect(await series(registry, 'lendstream_consumer_lag')).toEqual([
      [{ group: 'g', topic: 'scf.orders.v1', partition: '0' }, 2],
      [{ group: 'other', topic: 'scf.orders.v1', partition: '1' }, 5],
    ]);

    metrics.forgetLag('g');
    expect(await series(registry, 'lendstream_consumer_lag')).toEqual([
      [{ group: 'other', topic: 'scf.orders.v1', partition: '1' }, 5],
    ]);
    // A second instance on the same registry shares the metrics instead of failing to register them.
    new PrometheusConsumerMetrics(registry).recordConsumed('scf.orders.v1', new Map([['order.paid', 1]]));
    expect((await series(registry, 'lendstream_events_consumed_total'))[0]![1]).toBe(6);
  });
});
