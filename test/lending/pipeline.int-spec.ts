/**
 * Lending end to end on the real stack: the lending app in a child process
 * (apps/lending/src/main.ts) on fresh namespaced topics and a database of its own, and the
 * simulator's treasury answering disbursements. A merchant's drawdown request on
 * scf.drawdown-requests.v1 becomes disbursement.requested on scf.disbursements.v1; treasury
 * settles it on scf.treasury.v1; lending activates the loan (loan.activated on scf.loans.v1);
 * an order.settled on scf.orders.v1 is held back and repays the loan (repayment.collected on
 * scf.repayments.v1, then loan.repaid). A refused drawdown and an answer for an unknown
 * disbursement are dead-lettered with their reasons; the refused drawdown, delivered again
 * after the line was raised, is dead-lettered again and makes no loan; `ledger verify` passes
 * at the end.
 */
import { randomUUID } from 'node:crypto';
import {
  AnyCloudEvent,
  createEvent,
  DeadLetterHeaders,
  decodeEvent,
  Topics,
  type TopicName,
} from '@lendstream/contracts';
import { createConsoleLogger } from '@lendstream/messaging';
import type { DataSource } from 'typeorm';
import { SimulatedTreasury } from '../../apps/simulator/src/treasury/simulated-treasury';
import { KafkaTestKit } from '../support/kafka-helpers';
import { LendingTestDatabase } from './support/lending-database';
import { expectBooksVerify, grantLine, lineOf } from './support/lending-fixtures';
import { drawdownRequestedEvent, orderSettledEvent, settledEvent } from './support/input-events';
import { LendingProcess } from './support/lending-process';
import { testEndpoints } from '../support/env';

jest.setTimeout(300_000);

const TOPICS: readonly TopicName[] = [
  Topics.orders,
  Topics.treasury,
  Topics.drawdownRequests,
  Topics.disbursements,
  Topics.loans,
  Topics.repayments,
  Topics.deadLetters,
];
const WAIT_MS = 60_000;
const MERCHANT = 'm-e2e-000001';
const PRINCIPAL = 2_500_000n;

describe('lending pipeline (Kafka → lending → Postgres → outbox → Kafka, with the simulated treasury)', () => {
  let kit: KafkaTestKit;
  let database: LendingTestDatabase;
  let dataSource: DataSource;
  let lending: LendingProcess | undefined;
  let treasury: SimulatedTreasury | undefined;

  beforeAll(async () => {
    kit = await KafkaTestKit.create('lending', TOPICS, { partitions: 2 });
    database = await LendingTestDatabase.create('pipeline');
    dataSource = await database.connect('lending-pipeline-check', 2);
    await grantLine(dataSource, { merchantId: MERCHANT, limitMinor: 10_000_000n, dailyRateBps: 2 });
    lending = await LendingProcess.start({
      DATABASE_URL: database.url,
      KAFKA_TOPIC_NAMESPACE: kit.namespace,
      LENDING_GROUP_ID: kit.groupId('lending'),
      LENDING_REVIEW_INTERVAL_MS: '0',
    });
    treasury = new SimulatedTreasury({
      brokers: testEndpoints.kafkaBrokers,
      topicNamespace: kit.namespace,
      groupId: kit.groupId('treasury'),
      settings: { delayMs: 200, failShareBps: 0, seed: 'lending-e2e' },
      logger: createConsoleLogger('error'),
    });
    await treasury.start();
  });

  afterAll(async () => {
    await treasury?.stop().catch(() => undefined);
    await lending?.stop().catch(() => undefined);
    await kit?.cleanup();
    await database?.cleanup();
  });

  async function eventsOn(topic: TopicName): Promise<AnyCloudEvent[]> {
    return (await kit.readToEnd(topic)).map((record) => {
      const decoded = decodeEvent({ topic: kit.topic(topic), key: record.key, value: record.value });
      if (!decoded.ok) throw new Error(`not a contract event on ${topic}: ${decoded.error.message}`);
      return decoded.value;
    });
  }

  async function waitForEvent(
    topic: TopicName,
    matches: (event: AnyCloudEvent) => boolean,
  ): Promise<AnyCloudEvent> {
    let found: AnyCloudEvent | undefined;
    await kit.waitFor(
      `an event on ${topic}`,
      async () => (found = (await eventsOn(topic)).find(matches)) !== undefined,
      WAIT_MS,
    );
    return found!;
  }

  it('draws down, pays out, activates, holds back from a settlement and repays the loan', async () => {
    const now = () => new Date().toISOString();
    await kit.produceEvents([
      drawdownRequestedEvent(MERCHANT, 'portal-req-1', PRINCIPAL, now(), { termDays: 30 }),
    ]);

    const requested = await waitForEvent(
      Topics.disbursements,
      (event) => event.type === 'disbursement.requested',
    );
    expect(requested).toMatchObject({
      source: '/lendstream/lending',
      subject: MERCHANT,
      data: { merchantId: MERCHANT, amountMinor: PRINCIPAL, currency: 'CNY' },
    });
    const { loanId, disbursementId } = requested.data as { loanId: string; disbursementId: string };

    // The simulated treasury pays it; lending activates the loan.
    const activated = await waitForEvent(Topics.loans, (event) => event.type === 'loan.activated');
    expect(activated.data).toMatchObject({
      loanId,
      principalMinor: PRINCIPAL,
      outstandingPrincipalMinor: PRINCIPAL,
      daysPastDue: 0,
    });
    expect(await lineOf(dataSource, MERCHANT)).toMatchObject({
      reservedMinor: 0n,
      outstandingMinor: PRINCIPAL,
    });

    // A redelivered confirmation (another copy, the same event) changes nothing.
    const [treasuryAnswer] = (await eventsOn(Topics.treasury)).filter(
      (event) => event.type === 'disbursement.settled',
    );
    expect(treasuryAnswer!.data).toMatchObject({ disbursementId });
    await kit.produceEvents([treasuryAnswer!]);

    // The platform settles an order: 20 % of 6 × principal is more than is owed, so the loan is repaid.
    await kit.produceEvents([
      createEvent({
        type: 'order.placed',
        id: randomUUID(),
        source: '/platform/orders',
        time: now(),
        data: { merchantId: MERCHANT, orderId: 'o-1', amountMinor: 1n, currency: 'CNY' },
      }) as AnyCloudEvent,
      orderSettledEvent(MERCHANT, 'settlement-1', 6n * PRINCIPAL, now()),
    ]);
    const repaid = await waitForEvent(Topics.loans, (event) => event.type === 'loan.repaid');
    expect(repaid.data).toMatchObject({ loanId, outstandingPrincipalMinor: 0n, accruedInterestMinor: 0n });
    const repayments = (await eventsOn(Topics.repayments)).filter(
      (event) => event.type === 'repayment.collected',
    );
    expect(repayments).toHaveLength(1);
    expect(repayments[0]!.data).toMatchObject({
      loanId,
      source: 'SETTLEMENT_HOLDBACK',
      settlementId: 'settlement-1',
      principalMinor: PRINCIPAL,
    });
    expect(await lineOf(dataSource, MERCHANT)).toMatchObject({
      reservedMinor: 0n,
      outstandingMinor: 0n,
      availableMinor: 10_000_000n,
    });

    // Every loan event once, in order.
    const loanEvents = (await eventsOn(Topics.loans)).map((event) => event.type);
    expect(loanEvents).toEqual(['loan.activated', 'loan.repaid']);
  });

  const tooBig = drawdownRequestedEvent(
    MERCHANT,
    'portal-req-too-big',
    20_000_000n,
    new Date().toISOString(),
  );

  it('dead-letters a refused drawdown and an answer for an unknown disbursement, with their reasons', async () => {
    await kit.produceEvents([
      tooBig,
      settledEvent(MERCHANT, '00000000-0000-4000-8000-00000000e2e0', new Date().toISOString()),
    ]);
    let reasons: string[] = [];
    await kit.waitFor(
      'two dead letters',
      async () => {
        reasons = (await kit.readToEnd(Topics.deadLetters)).map(
          (record) => record.headers[DeadLetterHeaders.reason]!,
        );
        return reasons.length >= 2;
      },
      WAIT_MS,
    );
    expect(reasons.sort()).toEqual(['DRAWDOWN_REFUSED', 'UNKNOWN_DISBURSEMENT']);
    const letters = await kit.readToEnd(Topics.deadLetters);
    for (const letter of letters) expect(letter.headers[DeadLetterHeaders.service]).toBe('lending');
    expect(letters.map((letter) => letter.headers[DeadLetterHeaders.error]).join('\n')).toMatch(
      /data\.amountMinor: AMOUNT_EXCEEDS_AVAILABLE: /,
    );
  });

  it('dead-letters the refused drawdown again when it comes back, even once the line could lend it', async () => {
    await dataSource.query(
      `UPDATE credit_lines SET limit_minor = limit_minor + 20000000, available_minor = available_minor + 20000000
        WHERE merchant_id = $1`,
      [MERCHANT],
    );
    // The same event (same source and id) delivered again, as a rewound consumer group would.
    await kit.produceEvents([tooBig]);
    let refused: string[] = [];
    await kit.waitFor(
      'the drawdown dead-lettered a second time',
      async () => {
        refused = (await kit.readToEnd(Topics.deadLetters))
          .filter((record) => record.headers[DeadLetterHeaders.reason] === 'DRAWDOWN_REFUSED')
          .map((record) => record.headers[DeadLetterHeaders.error]!);
        return refused.length >= 2;
      },
      WAIT_MS,
    );
    // The stored violation, word for word (the line's available amount then, not now).
    expect(refused[1]).toBe(refused[0]);
    const [row] = await dataSource.query(`SELECT count(*)::int AS loans FROM loans WHERE request_id = $1`, [
      'portal-req-too-big',
    ]);
    expect(row.loans).toBe(0);
  });

  it('leaves books that pass `ledger verify` and an outbox fully published', async () => {
    await kit.waitFor(
      'the outbox to drain',
      async () => {
        const [row] = await dataSource.query(
          `SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL`,
        );
        return row.pending === 0;
      },
      WAIT_MS,
    );
    await expectBooksVerify(dataSource);
    const [counts] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM loans) AS loans, (SELECT count(*)::int FROM settlement_holdbacks) AS holdbacks`,
    );
    expect(counts).toEqual({ loans: 1, holdbacks: 1 });
  });
});
