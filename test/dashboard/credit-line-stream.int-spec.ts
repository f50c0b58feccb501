/**
 * GET /v1/credit-line-events/stream, the dashboard's live feed, without a browser: the real API
 * consuming a fresh namespaced scf.credit-lines.v1; the stream says `live`, then carries each
 * credit-line event produced from then on (and nothing that is not one); it needs ops:read;
 * and an open stream does not hold the API up when it is stopped.
 */
import { randomUUID } from 'node:crypto';
import { createEvent, encodeEvent, Topics } from '@lendstream/contracts';
import { signHs256Token } from '../../libs/platform/src/auth/adapters/development-token';
import { ApiProcess } from '../api/support/api-process';
import { ApiTestDatabase } from '../api/support/api-test-database';
import { KafkaTestKit } from '../support/kafka-helpers';

jest.setTimeout(120_000);

const SECRET = `credit-line-stream-int-spec-${randomUUID()}`;
const STREAM_TIMEOUT_MS = 30_000;
const token = (roles: string[]) =>
  signHs256Token({ subject: 'ops', roles, ttlSeconds: 600 }, SECRET, Date.now());

interface ServerSentEvent {
  readonly event: string;
  readonly id?: string;
  readonly data: string;
}

/** Reads Server-Sent Events from a fetch response, one at a time, each wait bounded. */
class EventReader {
  private buffer = '';
  private readonly decoder = new TextDecoder();

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  async next(timeoutMs = STREAM_TIMEOUT_MS): Promise<ServerSentEvent | 'end'> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          const colon = line.indexOf(': ');
          if (line.startsWith(':') || colon < 0) continue;
          fields.set(line.slice(0, colon), line.slice(colon + 2));
        }
        if (!fields.has('data')) continue; // the retry field, a keepalive comment
        return { event: fields.get('event') ?? 'message', id: fields.get('id'), data: fields.get('data')! };
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('no server-sent event in time');
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<never>(
          (_, reject) =>
            (timer = setTimeout(() => reject(new Error('no server-sent event in time')), remaining)),
        ),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) return 'end';
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }
}

const lineEvent = (
  merchantId: string,
  type: 'credit-line.granted' | 'credit-line.frozen',
  id = randomUUID(),
) =>
  createEvent({
    id,
    source: '/lendstream/underwriter',
    type,
    time: '2026-11-28T10:00:00.000Z',
    data: {
      merchantId,
      creditLineId: `cl-${merchantId}`,
      status: type === 'credit-line.frozen' ? 'FROZEN' : 'ACTIVE',
      limitMinor: 9007199254740993n,
      availableMinor: 500000n,
      outstandingMinor: 0n,
      currency: 'CNY',
      dailyRateBps: 5,
      grade: 'A',
      score: 801,
      reasons: [{ code: 'LIMIT_BY_BORROWING_BASE', message: 'receivables and inventory' }],
      policyVersion: 'v1',
      decisionId: randomUUID(),
      profileAsOf: '2026-11-28T09:59:00.000Z',
      decidedAt: '2026-11-28T10:00:00.000Z',
    },
  });

describe('GET /v1/credit-line-events/stream', () => {
  let kit: KafkaTestKit;
  let database: ApiTestDatabase;
  let api: ApiProcess;

  const open = async (roles: string[]) =>
    fetch(`${api.baseUrl}/v1/credit-line-events/stream`, {
      headers: { authorization: `Bearer ${await token(roles)}`, accept: 'text/event-stream' },
    });

  beforeAll(async () => {
    kit = await KafkaTestKit.create('feed', [Topics.creditLines, Topics.deadLetters]);
    database = await ApiTestDatabase.create('feed');
    api = await ApiProcess.start({
      DATABASE_URL: database.url,
      AUTH_JWT_SECRET: SECRET,
      KAFKA_TOPIC_NAMESPACE: kit.namespace,
    });
  });

  afterAll(async () => {
    await api?.stop().catch(() => undefined);
    await database?.cleanup();
    await kit?.cleanup();
  });

  it.each([
    [undefined, 401],
    [['treasury', 'ops:write'], 403],
  ])('roles %j → %i', async (roles, status) => {
    const response =
      roles === undefined ? await fetch(`${api.baseUrl}/v1/credit-line-events/stream`) : await open(roles);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it('says live, then carries every credit-line event from then on, to every stream, and only those', async () => {
    const first = await open(['ops:read']);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(first.headers.get('cache-control')).toBe('no-store');
    const firstEvents = new EventReader(first.body!.getReader());
    expect(await firstEvents.next()).toMatchObject({ event: 'live' });
    // A second stream joins a feed that is already live: it is told so at once.
    const second = await open(['ops:read']);
    const secondEvents = new EventReader(second.body!.getReader());
    expect(await secondEvents.next()).toMatchObject({ event: 'live' });

    const granted = lineEvent('m-feed-1', 'credit-line.granted');
    const frozen = lineEvent('m-feed-1', 'credit-line.frozen');
    await kit.produce(Topics.creditLines, [
      { key: 'm-feed-1', value: encodeEvent(granted) },
      { key: 'm-feed-1', value: '{"not":"a credit-line event"}' },
      { key: 'm-feed-1', value: encodeEvent(frozen) },
    ]);
    for (const events of [firstEvents, secondEvents]) {
      const one = await events.next();
      const two = await events.next();
      expect([one, two]).toMatchObject([
        { event: 'credit-line', id: granted.id },
        { event: 'credit-line', id: frozen.id },
      ]);
      expect(JSON.parse((one as ServerSentEvent).data)).toMatchObject({
        id: granted.id,
        type: 'credit-line.granted',
        merchantId: 'm-feed-1',
        status: 'ACTIVE',
        limitMinor: '9007199254740993',
        reasons: [{ code: 'LIMIT_BY_BORROWING_BASE' }],
      });
    }

    // Stopping the API ends the open streams instead of waiting for them forever.
    const stopped = Date.now();
    await api.stop();
    expect(Date.now() - stopped).toBeLessThan(15_000);
    expect(api.service.exit).toEqual({ code: 0, signal: null });
    expect(await firstEvents.next()).toBe('end');
  });
});
