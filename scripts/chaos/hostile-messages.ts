/**
 * Generated bad input for every input topic (property-based, fast-check, seeded): broken JSON,
 * wrong types, huge and deeply nested values, odd Unicode and invalid UTF-8, overflowing and
 * malformed amounts, and valid JSON of the wrong shape (arrays, scalars, unknown types, a type
 * on the wrong topic, a key that is not the merchant). Each is built from a valid event of the
 * topic for a real merchant, so it lands on a partition that also carries good traffic.
 *
 * Only messages the contract refuses are kept (the decoder is asked): a mutation that happens
 * to stay valid (an odd but legal Unicode id) is good input, not a bad message to count.
 */
import { decodeEvent, MAX_EVENT_BYTES, TopicName, Topics } from '@lendstream/contracts';
import fc from 'fast-check';

export type HostileCategory =
  'broken-json' | 'wrong-type' | 'huge' | 'deeply-nested' | 'odd-unicode' | 'overflow-amount' | 'wrong-shape';

export const HOSTILE_CATEGORIES: readonly HostileCategory[] = [
  'broken-json',
  'wrong-type',
  'huge',
  'deeply-nested',
  'odd-unicode',
  'overflow-amount',
  'wrong-shape',
];

/** Input topics and the services that consume each (each must dead-letter a bad message once). */
export const HOSTILE_TOPICS: ReadonlyArray<{
  readonly topic: TopicName;
  readonly consumers: readonly string[];
}> = [
  { topic: Topics.orders, consumers: ['profiler', 'lending'] },
  { topic: Topics.warehouse, consumers: ['profiler'] },
  { topic: Topics.logistics, consumers: ['profiler'] },
  { topic: Topics.treasury, consumers: ['lending'] },
  { topic: Topics.drawdownRequests, consumers: ['lending'] },
];

export interface HostileMessage {
  readonly topic: TopicName;
  readonly key: string;
  readonly value: Buffer;
  readonly category: HostileCategory;
}

type Json = Record<string, unknown>;

const TIME = '2026-08-15T10:00:00.000Z';

/** A valid event of the topic for the merchant (the starting point of every mutation). */
export function validEventFor(topic: TopicName, merchantId: string, serial: number): Json {
  const envelope = (type: string, source: string, data: Json): Json => ({
    specversion: '1.0',
    id: `chaos-valid-${serial}`,
    source,
    type,
    time: TIME,
    subject: merchantId,
    datacontenttype: 'application/json',
    data: { merchantId, ...data },
  });
  switch (topic) {
    case Topics.orders:
      return envelope('order.paid', '/platform/orders', {
        orderId: `o-${serial}`,
        amountMinor: '12900',
        currency: 'CNY',
      });
    case Topics.warehouse:
      return envelope('inventory.snapshot', '/platform/warehouse', {
        warehouseId: 'w-1',
        onHandUnits: 10,
        inventoryValueMinor: '50000',
        currency: 'CNY',
      });
    case Topics.logistics:
      return envelope('shipment.dispatched', '/platform/logistics', {
        shipmentId: `s-${serial}`,
        orderId: `o-${serial}`,
        promisedAt: TIME,
      });
    case Topics.treasury:
      return envelope('disbursement.settled', '/treasury', {
        disbursementId: `d-${serial}`,
        treasuryRef: `t-${serial}`,
      });
    case Topics.drawdownRequests:
      return envelope('drawdown.requested', '/platform/merchant-portal', {
        requestId: `r-${serial}`,
        amountMinor: '100000',
        currency: 'CNY',
        termDays: 30,
      });
    default:
      throw new Error(`${topic} is no input topic`);
  }
}

const AMOUNT_FIELDS = ['amountMinor', 'inventoryValueMinor'];
const ODD_TEXT = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\uffff',
  '𝕸',
  'é',
  '\u0301',
  ' ',
  '\n',
  '"',
  '\\',
  "'; DROP TABLE loans; --",
  '{{7*7}}',
  '${jndi:ldap://x}',
];

/** Mutates one valid event into something the contract refuses (usually: the decoder filters the rest). */
function mutation(
  category: HostileCategory,
): fc.Arbitrary<(event: Json, key: string) => { key: string; value: Buffer }> {
  const text = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  const data = (event: Json) => event.data as Json;
  switch (category) {
    case 'broken-json':
      return fc.oneof(
        fc.nat().map((cut) => (event: Json, key: string) => {
          const json = JSON.stringify(event);
          return { key, value: text(json.slice(0, 1 + (cut % (json.length - 1)))) };
        }),
        fc
          .tuple(fc.nat(), fc.constantFrom('{', '}', ',', ':', '"', ']', 'NaN', 'undefined', "'"))
          .map(([at, junk]) => (event: Json, key: string) => {
            const json = JSON.stringify(event);
            const position = at % json.length;
            return { key, value: text(json.slice(0, position) + junk + json.slice(position)) };
          }),
        fc
          .string({ maxLength: 200 })
          .map((junk) => (_event: Json, key: string) => ({ key, value: text(`x${junk}`) })),
        fc.constant((_event: Json, key: string) => ({ key, value: Buffer.alloc(0) })),
      );
    case 'wrong-type': {
      const wrong = fc.oneof(
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.integer(), { maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
      );
      return fc
        .tuple(fc.nat(), wrong, fc.boolean())
        .map(([pick, value, inData]) => (event: Json, key: string) => {
          const target = inData ? data(event) : event;
          const fields = Object.keys(target).filter((field) => field !== 'datacontenttype');
          const copy = structuredClone(event);
          (inData ? data(copy) : copy)[fields[pick % fields.length]!] = value;
          return { key, value: text(copy) };
        });
    }
    case 'huge':
      // Oversized values are a tenth of the category: each costs 64 KiB on the topic and again in the DLQ.
      return fc.oneof(
        {
          weight: 1,
          arbitrary: fc
            .integer({ min: MAX_EVENT_BYTES + 1, max: MAX_EVENT_BYTES + 4096 })
            .map((size) => (event: Json, key: string) => {
              const copy = structuredClone(event);
              data(copy).padding = 'x'.repeat(size);
              return { key, value: text(copy) };
            }),
        },
        {
          weight: 9,
          arbitrary: fc.integer({ min: 257, max: 4_000 }).map((size) => (event: Json, key: string) => {
            const copy = structuredClone(event);
            copy.id = 'i'.repeat(size);
            return { key, value: text(copy) };
          }),
        },
      );
    case 'deeply-nested':
      return fc.oneof(
        fc.integer({ min: 1_000, max: 5_000 }).map((depth) => (_event: Json, key: string) => ({
          key,
          value: text('['.repeat(depth) + ']'.repeat(depth)),
        })),
        fc.integer({ min: 50, max: 2_000 }).map((depth) => (event: Json, key: string) => {
          let nested: unknown = 'deep';
          for (let level = 0; level < depth; level += 1) nested = { n: nested };
          const copy = structuredClone(event);
          data(copy).merchantId = nested;
          return { key, value: text(copy) };
        }),
      );
    case 'odd-unicode':
      return fc.oneof(
        fc
          .tuple(fc.constantFrom(...ODD_TEXT), fc.constantFrom('merchantId', 'subject', 'source', 'type'))
          .map(([odd, field]) => (event: Json, key: string) => {
            const copy = structuredClone(event);
            if (field === 'merchantId') data(copy).merchantId = `${key}${odd}`;
            else copy[field] = `${String(copy[field])}${odd}`;
            return { key, value: text(copy) };
          }),
        fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes) => (event: Json, key: string) => {
          // Invalid UTF-8 inside the JSON text: 0xff never appears in UTF-8.
          const json = Buffer.from(JSON.stringify(event));
          const position = json.indexOf('"data"');
          return {
            key,
            value: Buffer.concat([
              json.subarray(0, position + 1),
              Buffer.from([0xff, ...bytes]),
              json.subarray(position + 1),
            ]),
          };
        }),
      );
    case 'overflow-amount': {
      const amount = fc.oneof(
        fc.bigInt({ min: 2n ** 63n, max: 2n ** 200n }).map(String),
        fc.bigInt({ min: -(2n ** 70n), max: -1n }).map(String),
        fc.constantFrom('1e3', '0x10', '1.5', ' 100', '100 ', '+1', '', '١٢٣', 'NaN', 'Infinity', '00', '-0'),
        fc.constantFrom(1.5, -1, 2 ** 53 + 2, 1e300, Number.MAX_VALUE),
      );
      return amount.map((value) => (event: Json, key: string) => {
        const copy = structuredClone(event);
        const field = AMOUNT_FIELDS.find((name) => name in data(copy));
        if (field !== undefined) data(copy)[field] = value;
        else data(copy).termDays = typeof value === 'string' ? value : Number.MAX_SAFE_INTEGER * 4;
        return { key, value: text(copy) };
      });
    }
    case 'wrong-shape':
      return fc.oneof(
        fc
          .jsonValue({ maxDepth: 3 })
          .map((value) => (_event: Json, key: string) => ({ key, value: text(JSON.stringify(value)) })),
        fc
          .constantFrom(
            'order.teleported',
            'credit-line.granted',
            'shipment.delivered',
            'inventory.stockout',
            'drawdown.requested',
          )
          .map((type) => (event: Json, key: string) => ({ key, value: text({ ...event, type }) })),
        fc
          .constantFrom('data', 'id', 'source', 'time', 'specversion')
          .map((field) => (event: Json, key: string) => {
            const copy = structuredClone(event);
            delete copy[field];
            return { key, value: text(copy) };
          }),
        fc.constant((event: Json, key: string) => ({ key: `${key}-other`, value: text(event) })),
      );
  }
}

/**
 * `count` bad messages, spread evenly over the input topics and categories, keyed by the given
 * merchants. Deterministic for a seed. Returns fewer only if the mutations keep producing valid
 * events (they do not: the filter drops a small share and generation continues).
 */
export function generateHostileMessages(
  count: number,
  merchantIds: readonly string[],
  seed: number,
): HostileMessage[] {
  const messages: HostileMessage[] = [];
  let serial = 0;
  let round = 0;
  while (messages.length < count && round < 100) {
    const batch =
      Math.ceil((count - messages.length) / (HOSTILE_TOPICS.length * HOSTILE_CATEGORIES.length)) + 1;
    for (const { topic } of HOSTILE_TOPICS) {
      for (const category of HOSTILE_CATEGORIES) {
        const mutations = fc.sample(mutation(category), {
          numRuns: batch,
          seed: seed + round * 1_000 + serial,
        });
        for (const mutate of mutations) {
          serial += 1;
          const merchantId = merchantIds[serial % merchantIds.length]!;
          const { key, value } = mutate(validEventFor(topic, merchantId, serial), merchantId);
          const decoded = decodeEvent({ topic, key, value });
          if (decoded.ok) continue;
          messages.push({ topic, key, value, category });
        }
      }
    }
    round += 1;
  }
  return shuffle(messages.slice(0, count), seed);
}

function shuffle<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0 || 1;
  for (let index = items.length - 1; index > 0; index -= 1) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const other = state % (index + 1);
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
  return items;
}
