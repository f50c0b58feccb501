/**
 * The real lending app (apps/lending/src/main.ts, a child process) with its health and metrics
 * listener, its Postgres behind a TCP proxy: a drawdown request for a merchant with no line is
 * consumed and dead-lettered (DRAWDOWN_REFUSED), which /metrics counts and the JSON log names
 * by event id; the outbox gauges read its (empty) backlog; /health/ready checks Kafka and
 * Postgres only (lending uses no Redis), and answers 503 naming Postgres while it is unreachable.
 */
import { DeadLetterReason, Topics, type TopicName } from '@lendstream/contracts';
import { KafkaTestKit } from '../support/kafka-helpers';
import { drawdownRequestedEvent } from '../lending/support/input-events';
import { LendingTestDatabase } from '../lending/support/lending-database';
import { LendingProcess } from '../lending/support/lending-process';
import { jsonLines, ObservedEndpoint, sampleValue } from './support/observed-app';
import { freePort, hostAndPortOf, TcpProxy, throughProxy } from './support/tcp-proxy';

jest.setTimeout(180_000);

const TOPICS: readonly TopicName[] = [
  Topics.orders,
  Topics.treasury,
  Topics.drawdownRequests,
  Topics.disbursements,
  Topics.loans,
  Topics.repayments,
  Topics.deadLetters,
];

describe('lending observability (real lending, Kafka, Postgres behind a proxy)', () => {
  let kit: KafkaTestKit;
  let database: LendingTestDatabase;
  let postgresProxy: TcpProxy;
  let lending: LendingProcess;
  let endpoint: ObservedEndpoint;

  beforeAll(async () => {
    kit = await KafkaTestKit.create('obs-lending', TOPICS);
    database = await LendingTestDatabase.create('observability');
    postgresProxy = await TcpProxy.start(hostAndPortOf(database.url, 5432));
    await kit.produceEvents([
      drawdownRequestedEvent(
        'm-obs-noline',
        'req-obs-1',
        500_000n,
        '2026-11-11T09:00:00.000Z',
        {},
        'obs-drawdown',
      ),
    ]);
    const port = await freePort();
    const groupId = kit.groupId('lending');
    lending = await LendingProcess.start({
      DATABASE_URL: throughProxy(database.url, postgresProxy),
      KAFKA_TOPIC_NAMESPACE: kit.namespace,
      LENDING_GROUP_ID: groupId,
      LENDING_REVIEW_INTERVAL_MS: '0',
      LENDING_HTTP_PORT: String(port),
    });
    endpoint = new ObservedEndpoint(`http://127.0.0.1:${port}`);
    await kit.waitFor(
      'lending to commit the drawdown request',
      async () => (await kit.committedOffsets(groupId, Topics.drawdownRequests)).get(0) === '1',
      60_000,
    );
  });

  afterAll(async () => {
    await postgresProxy?.restore().catch(() => undefined);
    await lending?.stop().catch(() => undefined);
    await postgresProxy?.cut();
    await kit?.cleanup();
    await database?.cleanup();
  });

  it('counts the request consumed and its dead letter by reason, and reads the outbox backlog', async () => {
    const samples = await endpoint.metrics();
    expect(
      sampleValue(samples, 'lendstream_events_consumed_total', {
        service: 'lending',
        topic: Topics.drawdownRequests,
        type: 'drawdown.requested',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'lendstream_dead_letters_total', {
        topic: Topics.drawdownRequests,
        reason: DeadLetterReason.DRAWDOWN_REFUSED,
      }),
    ).toBe(1);
    // A refused drawdown writes no outbox row: nothing waits.
    expect(sampleValue(samples, 'lendstream_outbox_pending_rows', { service: 'lending' })).toBe(0);
    expect(sampleValue(samples, 'lendstream_outbox_oldest_pending_age_seconds', { service: 'lending' })).toBe(
      0,
    );
  });

  it('names the refused request by its event id on the dead-letter log line, a JSON object', () => {
    const deadLettered = jsonLines(lending).find((line) => line.message === 'Dead-lettered records');
    expect(deadLettered).toMatchObject({
      service: 'lending',
      level: 'warn',
      topic: kit.topic(Topics.drawdownRequests),
      partition: 0,
      offset: '0',
      eventId: 'obs-drawdown',
      countByReason: { [DeadLetterReason.DRAWDOWN_REFUSED]: 1 },
    });
  });

  it('is ready with Kafka and Postgres (and checks no Redis), 503 naming Postgres while it is unreachable', async () => {
    const ready = await endpoint.waitForReadiness(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: { kafka: { status: 'up' }, postgres: { status: 'up' } },
    });

    await postgresProxy.cut();
    const down = await endpoint.waitForReadiness(503);
    expect(down.body).toMatchObject({
      error: { code: 'NOT_READY', message: expect.stringMatching(/^Not ready: postgres is down \(.+\)$/) },
      checks: { kafka: { status: 'up' }, postgres: { status: 'down' } },
    });

    await postgresProxy.restore();
    await endpoint.waitForReadiness(200);
  });
});
