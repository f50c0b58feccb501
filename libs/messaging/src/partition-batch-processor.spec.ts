import { createEvent, DeadLetterHeaders, DeadLetterReason, encodeEvent, Topics } from '@lendstream/contracts';
import type { ConsumerMetrics } from './consumer-metrics';
import type { DeadLetter } from './dead-letter';
import type { BatchHandler, BatchOutcome, InboundBatch } from './inbound';
import type { ConsumedRecord } from './kafka-record';
import { LogFields, MessagingLogger } from './logger';
import {
  PartitionBatch,
  PartitionBatchControls,
  PartitionBatchProcessor,
  PartitionBatchProcessorSettings,
} from './partition-batch-processor';

const TOPIC = `unit.${Topics.orders}`;
const PARTITION = 2;
const AT = new Date('2026-11-11T08:00:00.000Z');

function validRecord(offset: number, merchantId = 'm-1'): ConsumedRecord {
  const event = createEvent({
    type: 'order.paid',
    id: `e-${offset}`,
    source: '/platform/orders',
    time: '2026-11-11T00:00:00Z',
    data: { merchantId, orderId: `o-${offset}`, amountMinor: 100n, currency: 'CNY' },
  });
  return {
    key: Buffer.from(merchantId),
    value: Buffer.from(encodeEvent(event)),
    offset: String(offset),
    headers: { trace: 't' },
  };
}

const notJsonRecord = (offset: number): ConsumedRecord => ({
  key: Buffer.from('m-1'),
  value: Buffer.from('order paid!'),
  offset: String(offset),
});

/** Everything the processor does to its collaborators, in order, to assert on sequences. */
type Step =
  | { kind: 'handle'; offsets: string[] }
  | { kind: 'dead-letter'; offsets: string[]; reasons: string[] }
  | { kind: 'resolve'; offset: string }
  | { kind: 'heartbeat' }
  | { kind: 'commit' };

class Harness {
  readonly steps: Step[] = [];
  readonly logs: Array<{ level: string; message: string; fields?: LogFields }> = [];
  readonly stopController = new AbortController();
  running = true;
  stale = false;
  deadLetterFailuresLeft = 0;
  heartbeatError: Error | undefined;
  readonly sentDeadLetters: DeadLetter[] = [];
  readonly measured: string[] = [];
  private readonly metrics: ConsumerMetrics = {
    recordConsumed: (topic, counts) => this.measured.push(`consumed ${topic} ${JSON.stringify([...counts])}`),
    recordDeadLettered: (topic, counts) =>
      this.measured.push(`dead-lettered ${topic} ${JSON.stringify([...counts])}`),
    recordLag: ({ groupId, topic, partition }, lag) =>
      this.measured.push(`lag ${groupId} ${topic} ${partition} ${lag}`),
    forgetLag: (groupId) => this.measured.push(`forget ${groupId}`),
  };

  constructor(
    readonly handler: BatchHandler,
    readonly settings: Partial<PartitionBatchProcessorSettings> = {},
  ) {}

  readonly controls: PartitionBatchControls = {
    resolveOffset: (offset) => this.steps.push({ kind: 'resolve', offset }),
    heartbeat: async () => {
      this.steps.push({ kind: 'heartbeat' });
      if (this.heartbeatError) throw this.heartbeatError;
    },
    commitOffsetsIfNecessary: async () => {
      this.steps.push({ kind: 'commit' });
    },
    isRunning: () => this.running,
    isStale: () => this.stale,
  };

  private readonly logger: MessagingLogger = {
    error: (message, fields) => this.logs.push({ level: 'error', message, fields }),
    warn: (message, fields) => this.logs.push({ level: 'warn', message, fields }),
    info: (message, fields) => this.logs.push({ level: 'info', message, fields }),
    debug: (message, fields) => this.logs.push({ level: 'debug', message, fields }),
  };

  processor(): PartitionBatchProcessor {
    return new PartitionBatchProcessor(
      {
        serviceName: 'unit-service',
        maxBatchSize: 3,
        retryPolicy: { initialDelayMs: 1, backoffFactor: 2, maxDelayMs: 4, jitterRatio: 0 },
        heartbeatIntervalMs: 2,
        ...this.settings,
      },
      {
        routes: new Map([[TOPIC, { contractTopic: Topics.orders, handler: this.recordingHandler }]]),
        deadLetters: {
          send: async (deadLetters) => {
            if (this.deadLetterFailuresLeft > 0) {
              this.deadLetterFailuresLeft -= 1;
              throw new Error('NOT_ENOUGH_REPLICAS');
            }
            this.sentDeadLetters.push(...deadLetters);
            this.steps.push({
              kind: 'dead-letter',
              offsets: deadLetters.map((deadLetter) => deadLetter.source.offset),
              reasons: deadLetters.map((deadLetter) => deadLetter.violation.reason),
            });
          },
        },
        logger: this.logger,
        stopSignal: this.stopController.signal,
        clock: () => AT,
        random: () => 0,
        metrics: this.metrics,
      },
    );
  }

  run(records: readonly ConsumedRecord[], highWatermark?: string) {
    const batch: PartitionBatch = { topic: TOPIC, partition: PARTITION, records, highWatermark };
    return this.processor().process(batch, this.controls);
  }

  private readonly recordingHandler: BatchHandler = async (batch) => {
    this.steps.push({ kind: 'handle', offsets: batch.messages.map((message) => message.offset) });
    return this.handler(batch);
  };

  stepsOf<K extends Step['kind']>(kind: K): Array<Extract<Step, { kind: K }>> {
    return this.steps.filter((step): step is Extract<Step, { kind: K }> => step.kind === kind);
  }
}

const succeed: BatchHandler = async () => undefined;

describe('PartitionBatchProcessor', () => {
  it('hands valid records to the handler in chunks of at most maxBatchSize, resolving and committing after each', async () => {
    const seen: InboundBatch[] = [];
    const harness = new Harness(async (batch) => {
      seen.push(batch);
    });
    const result = await harness.run([1, 2, 3, 4, 5, 6, 7].map((offset) => validRecord(offset)));

    expect(result).toBe('completed');
    expect(harness.stepsOf('handle').map((step) => step.offsets)).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
      ['7'],
    ]);
    expect(harness.steps.filter((step) => step.kind !== 'heartbeat')).toEqual([
      { kind: 'handle', offsets: ['1', '2', '3'] },
      { kind: 'resolve', offset: '3' },
      { kind: 'commit' },
      { kind: 'handle', offsets: ['4', '5', '6'] },
      { kind: 'resolve', offset: '6' },
      { kind: 'commit' },
      { kind: 'handle', offsets: ['7'] },
      { kind: 'resolve', offset: '7' },
      { kind: 'commit' },
    ]);
    // Handlers see the contract topic, the partition, the key and the decoded event.
    expect(seen[0]).toMatchObject({ topic: Topics.orders, partition: PARTITION });
    expect(seen[0]!.messages[0]).toMatchObject({
      topic: Topics.orders,
      partition: PARTITION,
      offset: '1',
      key: 'm-1',
      event: { id: 'e-1', type: 'order.paid', data: { amountMinor: 100n } },
    });
  });

  it('dead-letters undecodable records with their reason and original bytes, and goes on with the rest', async () => {
    const harness = new Harness(succeed);
    const keyMismatch = { ...validRecord(3, 'm-1'), key: Buffer.from('m-9') };
    const result = await harness.run([validRecord(1), notJsonRecord(2), keyMismatch, validRecord(4)]);

    expect(result).toBe('completed');
    expect(harness.stepsOf('handle').map((step) => step.offsets)).toEqual([['1'], ['4']]);
    expect(harness.stepsOf('dead-letter')).toEqual([
      {
        kind: 'dead-letter',
        offsets: ['2', '3'],
        reasons: [DeadLetterReason.NOT_JSON, DeadLetterReason.KEY_MISMATCH],
      },
    ]);
    const [notJson, mismatch] = harness.sentDeadLetters;
    expect(notJson!.message.value).toEqual(Buffer.from('order paid!'));
    expect(mismatch!.message.key).toEqual(Buffer.from('m-9'));
    expect(mismatch!.message.headers).toMatchObject({
      trace: 't',
      [DeadLetterHeaders.reason]: DeadLetterReason.KEY_MISMATCH,
      [DeadLetterHeaders.sourceTopic]: TOPIC,
      [DeadLetterHeaders.sourcePartition]: String(PARTITION),
      [DeadLetterHeaders.sourceOffset]: '3',
      [DeadLetterHeaders.service]: 'unit-service',
      [DeadLetterHeaders.at]: AT.toISOString(),
    });
    expect(String(mismatch!.message.headers![DeadLetterHeaders.error])).toMatch(/^key: /);
    expect(harness.stepsOf('resolve').map((step) => step.offset)).toEqual(['3', '4']);
  });

  it('resolves a chunk of nothing but poison without calling the handler', async () => {
    const harness = new Harness(succeed);
    await harness.run([notJsonRecord(5), notJsonRecord(6)]);
    expect(harness.stepsOf('handle')).toEqual([]);
    expect(harness.stepsOf('dead-letter')).toHaveLength(1);
    expect(harness.stepsOf('resolve')).toEqual([{ kind: 'resolve', offset: '6' }]);
  });

  it('dead-letters what the handler rejects, in offset order with the undecodable ones', async () => {
    const harness = new Harness(async (): Promise<BatchOutcome> => ({
      rejected: [
        {
          offset: '1',
          violation: { reason: DeadLetterReason.CURRENCY_MISMATCH, message: 'USD for a CNY merchant' },
        },
      ],
    }));
    await harness.run([validRecord(1), notJsonRecord(2), validRecord(3)]);
    expect(harness.stepsOf('dead-letter')).toEqual([
      {
        kind: 'dead-letter',
        offsets: ['1', '2'],
        reasons: [DeadLetterReason.CURRENCY_MISMATCH, DeadLetterReason.NOT_JSON],
      },
    ]);
    // The dead letters are durable before the offset moves past them.
    const order = harness.steps
      .map((step) => step.kind)
      .filter((kind) => kind === 'dead-letter' || kind === 'resolve');
    expect(order).toEqual(['dead-letter', 'resolve']);
  });

  it('retries the same chunk when the handler throws, heartbeating while it waits, and resolves only after success', async () => {
    let failuresLeft = 3;
    const harness = new Harness(async () => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('ECONNREFUSED redis');
      }
    });
    const result = await harness.run([validRecord(1), validRecord(2)]);

    expect(result).toBe('completed');
    expect(harness.stepsOf('handle').map((step) => step.offsets)).toEqual(
      Array.from({ length: 4 }, () => ['1', '2']),
    );
    const firstResolve = harness.steps.findIndex((step) => step.kind === 'resolve');
    const lastHandle = harness.steps.map((step) => step.kind).lastIndexOf('handle');
    expect(firstResolve).toBeGreaterThan(lastHandle);
    expect(harness.stepsOf('resolve')).toEqual([{ kind: 'resolve', offset: '2' }]);
    expect(harness.stepsOf('dead-letter')).toEqual([]);
    const heartbeatsBeforeSuccess = harness.steps
      .slice(0, lastHandle)
      .filter((step) => step.kind === 'heartbeat');
    expect(heartbeatsBeforeSuccess.length).toBeGreaterThanOrEqual(3);
    const retries = harness.logs.filter((log) => log.message.includes('retrying'));
    expect(retries.map((log) => log.fields?.attempt)).toEqual([1, 2, 3]);
    expect(retries[0]!.fields?.error).toBe('Error: ECONNREFUSED redis');
  });

  it('stops retrying at once on shutdown and leaves the chunk unresolved, for redelivery', async () => {
    const harness = new Harness(
      async () => {
        throw new Error('database down');
      },
      {
        retryPolicy: { initialDelayMs: 60_000, backoffFactor: 2, maxDelayMs: 60_000, jitterRatio: 0 },
        heartbeatIntervalMs: 60_000,
      },
    );
    const started = Date.now();
    const processing = harness.run([validRecord(1), validRecord(2), validRecord(3), validRecord(4)]);
    setTimeout(() => harness.stopController.abort(), 20);

    expect(await processing).toBe('interrupted');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(harness.stepsOf('resolve')).toEqual([]);
    expect(harness.stepsOf('commit')).toEqual([]);
    expect(harness.stepsOf('dead-letter')).toEqual([]);
    expect(harness.stepsOf('handle')).toHaveLength(1);
  });

  it.each([
    ['the partition goes stale', (harness: Harness) => (harness.stale = true)],
    ['the client stops running', (harness: Harness) => (harness.running = false)],
  ])('stops retrying when %s', async (_name, loseThePartition) => {
    const harness = new Harness(async () => {
      loseThePartition(harness);
      throw new Error('database down');
    });
    expect(await harness.run([validRecord(1)])).toBe('interrupted');
    expect(harness.stepsOf('handle')).toHaveLength(1);
    expect(harness.stepsOf('resolve')).toEqual([]);
  });

  it('finishes the chunk in flight on shutdown but starts no other', async () => {
    const harness = new Harness(async () => {
      harness.stopController.abort();
    });
    expect(await harness.run([1, 2, 3, 4, 5].map((offset) => validRecord(offset)))).toBe('interrupted');
    expect(harness.stepsOf('handle')).toHaveLength(1);
    expect(harness.stepsOf('resolve')).toEqual([{ kind: 'resolve', offset: '3' }]);
    expect(harness.stepsOf('commit')).toHaveLength(1);
  });

  it('retries a failed dead-letter publish without running the handler again, and never skips the record', async () => {
    const harness = new Harness(succeed);
    harness.deadLetterFailuresLeft = 2;
    expect(await harness.run([validRecord(1), notJsonRecord(2)])).toBe('completed');
    expect(harness.stepsOf('handle')).toHaveLength(1);
    expect(harness.stepsOf('dead-letter')).toEqual([
      { kind: 'dead-letter', offsets: ['2'], reasons: [DeadLetterReason.NOT_JSON] },
    ]);
    expect(harness.stepsOf('resolve')).toEqual([{ kind: 'resolve', offset: '2' }]);
  });

  it('treats a broken outcome as a bug: retried, logged as an error, never committed on its word', async () => {
    let calls = 0;
    const harness = new Harness(async (): Promise<BatchOutcome> => {
      calls += 1;
      if (calls === 1)
        return {
          rejected: [{ offset: '99', violation: { reason: DeadLetterReason.NOT_JSON, message: 'x' } }],
        };
      return {};
    });
    expect(await harness.run([validRecord(1)])).toBe('completed');
    expect(calls).toBe(2);
    expect(
      harness.logs.some((log) => log.level === 'error' && String(log.fields?.error).includes('offset 99')),
    ).toBe(true);
    expect(harness.stepsOf('dead-letter')).toEqual([]);
  });

  it('lets a failing heartbeat (a rebalance) reach the client', async () => {
    const harness = new Harness(succeed);
    harness.heartbeatError = new Error('The group is rebalancing');
    await expect(harness.run([validRecord(1)])).rejects.toThrow('rebalancing');
    // The chunk's own work was done and resolved first: the client commits it while rejoining.
    expect(harness.stepsOf('resolve')).toEqual([{ kind: 'resolve', offset: '1' }]);
  });

  it('refuses a batch from a topic with no handler (a wiring bug)', async () => {
    const harness = new Harness(succeed);
    await expect(
      harness
        .processor()
        .process({ topic: 'elsewhere', partition: 0, records: [validRecord(1)] }, harness.controls),
    ).rejects.toThrow('No handler is routed for topic elsewhere');
  });

  describe('metrics and the log lines of a chunk', () => {
    it('counts events by type, dead letters by reason and the lag after each chunk, once per chunk however often it is retried', async () => {
      let failuresLeft = 2;
      const harness = new Harness(
        async (batch) => {
          if (failuresLeft > 0 && batch.messages.some((message) => message.offset === '5')) {
            failuresLeft -= 1;
            throw new Error('ECONNREFUSED');
          }
          const foreign = batch.messages.find((message) => message.offset === '4');
          return foreign === undefined
            ? {}
            : {
                rejected: [
                  { offset: '4', violation: { reason: DeadLetterReason.CURRENCY_MISMATCH, message: 'USD' } },
                ],
              };
        },
        { groupId: 'unit-group' },
      );
      await harness.run(
        [validRecord(1), notJsonRecord(2), validRecord(3), validRecord(4), validRecord(5)],
        '10',
      );

      expect(harness.measured).toEqual([
        `lag unit-group ${Topics.orders} ${PARTITION} 9`,
        `consumed ${Topics.orders} [["order.paid",2]]`,
        `dead-lettered ${Topics.orders} [["NOT_JSON",1]]`,
        `lag unit-group ${Topics.orders} ${PARTITION} 6`,
        `consumed ${Topics.orders} [["order.paid",2]]`,
        `dead-lettered ${Topics.orders} [["CURRENCY_MISMATCH",1]]`,
        `lag unit-group ${Topics.orders} ${PARTITION} 4`,
      ]);
    });

    it('reports no lag without a high watermark, and uses the service name when no group is given', async () => {
      const harness = new Harness(succeed);
      await harness.run([validRecord(1)]);
      expect(harness.measured).toEqual([`consumed ${Topics.orders} [["order.paid",1]]`]);
      const withWatermark = new Harness(succeed);
      await withWatermark.run([validRecord(1)], '2');
      expect(withWatermark.measured.at(-1)).toBe(`lag unit-service ${Topics.orders} ${PARTITION} 0`);
    });

    it('names the events of a chunk on its retry lines, and a rejected event on its dead-letter line', async () => {
      let failed = false;
      const harness = new Harness(async (batch) => {
        if (!failed) {
          failed = true;
          throw new Error('ECONNREFUSED');
        }
        return {
          rejected: [
            {
              offset: batch.messages[0]!.offset,
              violation: { reason: DeadLetterReason.CURRENCY_MISMATCH, message: 'USD' },
            },
          ],
        };
      });
      await harness.run([validRecord(7), validRecord(8)]);

      const retry = harness.logs.find((line) => line.message.includes('retrying the same chunk'))!;
      expect(retry.fields).toMatchObject({
        firstOffset: '7',
        lastOffset: '8',
        eventIds: ['e-7', 'e-8'],
        eventCount: 2,
      });
      const deadLettered = harness.logs.find((line) => line.message === 'Dead-lettered records')!;
      expect(deadLettered.fields).toMatchObject({
        offset: '7',
        eventId: 'e-7',
        count: 1,
        first: [{ offset: '7', eventId: 'e-7', reason: DeadLetterReason.CURRENCY_MISMATCH }],
      });
    });
  });
});
