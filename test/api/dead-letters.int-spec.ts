/**
 * GET /v1/dead-letters end to end: the real API (its dead-letter indexer on, consuming a fresh
 * namespaced scf.dlq.v1) over a scratch database, fed with dead letters produced directly
 * (every reason, a record without headers, a binary one, a large one) and with one the real
 * profiler dead-letters from a bad order; listed newest first, filtered, paged, and refused
 * with a 400 naming the field, 401 without a token and 403 without ops:read.
 */
import { randomUUID } from 'node:crypto';
import { Topics } from '@lendstream/contracts';
import { insertDeadLetters, readDeadLetter } from '@lendstream/dead-letters';
import type { DataSource } from 'typeorm';
import { signHs256Token } from '../../libs/platform/src/auth/adapters/development-token';
import { KafkaTestKit, waitUntil } from '../support/kafka-helpers';
import { ServiceProcess } from '../support/service-process';
import { ApiProcess } from './support/api-process';
import { ApiTestDatabase } from './support/api-test-database';

jest.setTimeout(120_000);

const SECRET = `dead-letters-int-spec-${randomUUID()}`;
const token = (roles: string[]) =>
  signHs256Token({ subject: 'ops', roles, ttlSeconds: 600 }, SECRET, Date.now());
const INDEX_TIMEOUT_MS = 30_000;

interface DeadLetterItem {
  readonly reason: string;
  readonly error: string | null;
  readonly sourceTopic: string | null;
  readonly sourceOffset: string | null;
  readonly service: string | null;
  readonly key: string | null;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly payload: string | null;
  readonly payloadBytes: number;
  readonly payloadTruncated: boolean;
  readonly deadLetteredAt: string;
  readonly dlq: { readonly topic: string; readonly partition: number; readonly offset: string };
}
interface Page {
  readonly items: DeadLetterItem[];
  readonly nextCursor: string | null;
}

describe('GET /v1/dead-letters (the indexer on a real scf.dlq.v1, the real API)', () => {
  let kit: KafkaTestKit;
  let database: ApiTestDatabase;
  let db: DataSource;
  let api: ApiProcess;
  let read: string;

  const page = async (query: string): Promise<Page> => {
    const response = await api.request(`/v1/dead-letters${query}`, { token: read });
    expect(response.status).toBe(200);
    return response.body as Page;
  };
  const ordersTopic = () => kit.topic(Topics.orders);
  const deadLetterHeaders = (reason: string, at: string, offset: number) => ({
    'dlq-reason': reason,
    'dlq-error': `${reason.toLowerCase()}: made by the test`,
    'dlq-source-topic': ordersTopic(),
    'dlq-source-partition': '0',
    'dlq-source-offset': String(offset),
    'dlq-service': 'profiler',
    'dlq-at': at,
  });

  beforeAll(async () => {
    read = await token(['ops:read']);
    kit = await KafkaTestKit.create('dlq-api', [
      Topics.orders,
      Topics.warehouse,
      Topics.logistics,
      Topics.profileChanged,
      Topics.deadLetters,
    ]);
    database = await ApiTestDatabase.create('dead_letters');
    db = await database.connect('dead-letters-int-spec');
    api = await ApiProcess.start({
      DATABASE_URL: database.url,
      AUTH_JWT_SECRET: SECRET,
      KAFKA_TOPIC_NAMESPACE: kit.namespace,
      API_DEAD_LETTER_INDEXER: 'on',
      API_DEAD_LETTER_GROUP_ID: kit.groupId('api-dead-letters'),
    });
  });

  afterAll(async () => {
    await api?.stop().catch(() => undefined);
    await database?.cleanup();
    await kit?.cleanup();
  });

  describe('dead letters produced to the topic', () => {
    const reasons = [
      'SCHEMA_VIOLATION',
      'NOT_JSON',
      'SCHEMA_VIOLATION',
      'CURRENCY_MISMATCH',
      'INVALID_AMOUNT',
    ];

    beforeAll(async () => {
      await kit.produce(
        Topics.deadLetters,
        reasons.map((reason, index) => ({
          key: `m-dlq-${index}`,
          value: JSON.stringify({ specversion: '1.0', id: `e-${index}`, type: 'order.paid', data: {} }),
          headers: deadLetterHeaders(reason, `2026-11-28T10:00:0${index}.000Z`, index),
        })),
      );
      // Malformed dead letters: none of them may stall the indexer.
      await kit.produce(Topics.deadLetters, [
        { key: null, value: Buffer.from([0x00, 0xff, 0xfe, 0x00]) },
        {
          key: 'm-big',
          value: 'x'.repeat(300_000),
          headers: { 'dlq-reason': 'PAYLOAD_TOO_LARGE', 'dlq-at': 'soon' },
        },
        {
          key: 'm-after',
          value: '{}',
          headers: deadLetterHeaders('KEY_MISMATCH', '2026-11-28T10:00:09.000Z', 9),
        },
      ]);
      await waitUntil(
        'the indexer to index the eight dead letters',
        async () => (await page('?limit=100')).items.length >= 8,
        INDEX_TIMEOUT_MS,
      );
    });

    it('lists each once, newest first, with where it came from and why', async () => {
      const { items, nextCursor } = await page('?limit=100');
      expect(items).toHaveLength(8);
      expect(nextCursor).toBeNull();
      const times = items.map((item) => item.deadLetteredAt);
      expect(times).toEqual([...times].sort().reverse());
      const dlqOffsets = items.map((item) => item.dlq.offset);
      expect(new Set(dlqOffsets).size).toBe(8);
      const schemaViolation = items.find((item) => item.eventId === 'e-2')!;
      expect(schemaViolation).toMatchObject({
        reason: 'SCHEMA_VIOLATION',
        error: 'schema_violation: made by the test',
        sourceTopic: ordersTopic(),
        sourceOffset: '2',
        service: 'profiler',
        key: 'm-dlq-2',
        eventType: 'order.paid',
        payloadTruncated: false,
        deadLetteredAt: '2026-11-28T10:00:02.000Z',
        dlq: { topic: kit.topic(Topics.deadLetters), partition: 0 },
      });
    });

    it('indexes malformed dead letters with what can be read, and a bounded payload', async () => {
      const { items } = await page('?limit=100');
      const binary = items.find((item) => item.key === null)!;
      expect(binary).toMatchObject({
        reason: 'UNKNOWN_REASON',
        sourceTopic: null,
        eventId: null,
        payloadBytes: 4,
      });
      expect(binary.payload).toBe('\uFFFD\uFFFD\uFFFD\uFFFD');
      const big = items.find((item) => item.key === 'm-big')!;
      expect(big).toMatchObject({
        reason: 'PAYLOAD_TOO_LARGE',
        payloadBytes: 300_000,
        payloadTruncated: true,
      });
      expect(big.payload!.length).toBeLessThanOrEqual(8 * 1024);
      // No dlq-at: the record's own timestamp, which is now-ish (newer than the made-up 2026-11-28 times).
      expect(Math.abs(Date.parse(big.deadLetteredAt) - Date.now())).toBeLessThan(5 * 60_000);
    });

    it('filters by reason and by source topic', async () => {
      const byReason = await page('?reason=SCHEMA_VIOLATION');
      expect(byReason.items.map((item) => item.eventId)).toEqual(['e-2', 'e-0']);
      const byTopic = await page(`?topic=${ordersTopic()}`);
      expect(byTopic.items.map((item) => item.reason)).toEqual([
        'KEY_MISMATCH',
        'INVALID_AMOUNT',
        'CURRENCY_MISMATCH',
        'SCHEMA_VIOLATION',
        'NOT_JSON',
        'SCHEMA_VIOLATION',
      ]);
      expect((await page('?topic=scf.nothing.v1')).items).toEqual([]);
      expect((await page(`?reason=NOT_JSON&topic=${ordersTopic()}`)).items).toHaveLength(1);
    });

    it('pages with a cursor, neither skipping nor repeating', async () => {
      const all = (await page('?limit=100')).items.map((item) => item.dlq.offset);
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const next: Page = await page(`?limit=3${cursor === null ? '' : `&cursor=${cursor}`}`);
        expect(next.items.length).toBeLessThanOrEqual(3);
        walked.push(...next.items.map((item) => item.dlq.offset));
        cursor = next.nextCursor;
      } while (cursor !== null);
      expect(walked).toEqual(all);
    });

    it('counts by reason', async () => {
      const response = await api.request('/v1/dead-letters/summary', { token: read });
      expect(response.status).toBe(200);
      const { byReason } = response.body as { byReason: Array<{ reason: string; count: number }> };
      expect(byReason[0]).toMatchObject({ reason: 'SCHEMA_VIOLATION', count: 2 });
      expect(byReason.reduce((sum, entry) => sum + entry.count, 0)).toBe(8);
    });

    it('stores a redelivered record once', async () => {
      const [row] = (await db.query(
        `SELECT dlq_topic, dlq_partition, dlq_offset::text AS dlq_offset FROM dead_letters ORDER BY position LIMIT 1`,
      )) as Array<{ dlq_topic: string; dlq_partition: number; dlq_offset: string }>;
      const again = readDeadLetter(
        {
          topic: row!.dlq_topic,
          partition: row!.dlq_partition,
          offset: row!.dlq_offset,
          key: null,
          value: null,
        },
        new Date(),
      );
      expect(await insertDeadLetters(db.manager, [again, again])).toBe(0);
      expect((await page('?limit=100')).items).toHaveLength(8);
    });
  });

  describe('the role matrix and validation', () => {
    it.each([
      ['/v1/dead-letters', undefined, 401, 'UNAUTHENTICATED'],
      ['/v1/dead-letters', ['treasury', 'ops:write', 'lending:drawdown'], 403, 'FORBIDDEN'],
      ['/v1/dead-letters/summary', undefined, 401, 'UNAUTHENTICATED'],
      ['/v1/dead-letters/summary', ['ops:write'], 403, 'FORBIDDEN'],
      ['/v1/dead-letters?limit=0', undefined, 401, 'UNAUTHENTICATED'],
    ])('%s with roles %j → %i %s', async (path, roles, status, code) => {
      const response = await api.request(path, roles === undefined ? {} : { token: await token(roles) });
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ error: { code } });
    });

    it.each([
      ['?limit=0', 'limit: must be a whole number from 1 to 100'],
      ['?limit=101', 'limit: must be a whole number from 1 to 100'],
      ['?reason=not-a-code', 'reason: must be a dead-letter reason code'],
      ['?topic=a%20b', 'topic: must be a topic name'],
      ['?cursor=abc', 'cursor: is not a cursor this API issued'],
      ['?pageSize=5', 'pageSize: is not a field of this request'],
    ])('%s → 400 naming the field', async (query, message) => {
      const response = await api.request(`/v1/dead-letters${query}`, { token: read });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
      expect((response.body as { error: { message: string } }).error.message).toContain(message);
    });

    it('is in the OpenAPI document, behind ops:read', async () => {
      const response = await api.request('/docs/openapi.json');
      const paths = (response.body as { paths: Record<string, Record<string, unknown>> }).paths;
      expect(paths['/v1/dead-letters']?.get).toBeDefined();
      expect(JSON.stringify(paths['/v1/dead-letters']!.get)).toContain('ops:read');
      expect(paths['/v1/dead-letters/summary']?.get).toBeDefined();
    });
  });

  it('lists a bad order the real profiler dead-lettered', async () => {
    const profiler = await ServiceProcess.start({
      name: 'profiler',
      readyLine: 'Profiler is consuming',
      env: {
        KAFKA_TOPIC_NAMESPACE: kit.namespace,
        PROFILER_GROUP_ID: kit.groupId('profiler'),
        PROFILE_KEY_PREFIX: `dlq-${randomUUID().slice(0, 8)}`,
      },
    });
    try {
      const eventId = `bad-order-${randomUUID()}`;
      await kit.produce(Topics.orders, [
        {
          key: 'm-dlq-e2e',
          value: JSON.stringify({
            specversion: '1.0',
            id: eventId,
            source: '/platform/orders',
            type: 'order.paid',
            time: '2026-11-28T10:00:00.000Z',
            subject: 'm-dlq-e2e',
            datacontenttype: 'application/json',
            data: { merchantId: 'm-dlq-e2e', orderId: 'o-1', amountMinor: '12.5', currency: 'CNY' },
          }),
          headers: { 'content-type': 'application/cloudevents+json' },
        },
      ]);
      let found: DeadLetterItem | undefined;
      await waitUntil(
        'the profiler to dead-letter the order and the API to list it',
        async () => {
          found = (await page(`?reason=INVALID_AMOUNT&topic=${ordersTopic()}`)).items.find(
            (item) => item.eventId === eventId,
          );
          return found !== undefined;
        },
        INDEX_TIMEOUT_MS,
      );
      expect(found).toMatchObject({
        reason: 'INVALID_AMOUNT',
        service: expect.stringContaining('profiler'),
        key: 'm-dlq-e2e',
        eventType: 'order.paid',
      });
      expect(found!.error).toContain('amountMinor');
    } finally {
      await profiler.stop();
    }
  });
});
