import { CLOUDEVENTS_CONTENT_TYPE, createEvent, decodeEvent, Topics } from '@lendstream/contracts';
import { CONTENT_TYPE_HEADER, eventToOutboundMessage, groupEventsByTopic } from './outbound-events';

const paid = (id: string, merchantId: string) =>
  createEvent({
    type: 'order.paid',
    id,
    source: '/platform/orders',
    time: '2026-11-11T00:00:03.120Z',
    data: { merchantId, orderId: `o-${id}`, amountMinor: 12_900n, currency: 'CNY' },
  });
const stockout = createEvent({
  type: 'inventory.stockout',
  id: 's-1',
  source: '/platform/warehouse',
  time: '2026-11-11T00:00:04Z',
  data: { merchantId: 'm-2', warehouseId: 'w-1', sku: 'sku-1' },
});

describe('eventToOutboundMessage', () => {
  it('keys by subject, marks the content type, and round-trips through decodeEvent', () => {
    const message = eventToOutboundMessage(paid('e-1', 'm-1'));
    expect(message.key).toBe('m-1');
    expect(message.headers).toEqual({ [CONTENT_TYPE_HEADER]: CLOUDEVENTS_CONTENT_TYPE });
    const decoded = decodeEvent({ topic: Topics.orders, key: message.key, value: message.value });
    expect(decoded).toMatchObject({ ok: true, value: { id: 'e-1', data: { amountMinor: 12_900n } } });
  });
});

describe('groupEventsByTopic', () => {
  it('groups by the type’s topic, keeping order within each topic', () => {
    const grouped = groupEventsByTopic([paid('e-1', 'm-1'), stockout, paid('e-2', 'm-1')]);
    expect([...grouped.keys()]).toEqual([Topics.orders, Topics.warehouse]);
    const ids = grouped.get(Topics.orders)!.map((message) => JSON.parse(String(message.value)).id);
    expect(ids).toEqual(['e-1', 'e-2']);
  });
});
