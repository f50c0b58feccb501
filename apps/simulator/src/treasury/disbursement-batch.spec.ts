import { createEvent, encodeEvent } from '@lendstream/contracts';
import { createConsoleLogger } from '@lendstream/messaging';
import { ConfirmationEvent, confirmationEventId, decideDisbursement } from '@lendstream/simulation';
import { ConfirmationAbandonedError } from './confirmation-publisher';
import {
  answerDisbursementBatch,
  BatchControls,
  BatchDependencies,
  Confirmed,
  DisbursementRecord,
} from './disbursement-batch';
import { REQUESTS_TOPIC, requestRecord } from './treasury-test-requests';

const SETTINGS = { delayMs: 60, failShareBps: 3_000, seed: 'unit' };

interface Harness {
  readonly controls: BatchControls & { readonly resolved: string[] };
  readonly dependencies: BatchDependencies;
  readonly published: ConfirmationEvent[];
  readonly confirmed: Confirmed[];
  readonly logLines: string[];
  readonly abandon: AbortController;
  skipped: number;
}

function harness(overrides: Partial<BatchDependencies> = {}, controls: Partial<BatchControls> = {}): Harness {
  const resolved: string[] = [];
  const published: ConfirmationEvent[] = [];
  const confirmed: Confirmed[] = [];
  const logLines: string[] = [];
  const abandon = new AbortController();
  const state: Harness = {
    controls: {
      resolved,
      resolveOffset: (offset) => resolved.push(offset),
      commitOffsetsIfNecessary: async () => undefined,
      heartbeat: async () => undefined,
      isStale: () => false,
      ...controls,
    },
    published,
    confirmed,
    logLines,
    abandon,
    skipped: 0,
    dependencies: {
      settings: SETTINGS,
      publish: async (event) => {
        published.push(event);
      },
      logger: createConsoleLogger('warn', (line) => logLines.push(line)),
      abandonSignal: abandon.signal,
      heartbeatIntervalMs: 10,
      now: Date.now,
      onConfirmed: (entry) => confirmed.push(entry),
      onSkipped: () => (state.skipped += 1),
      ...overrides,
    },
  };
  return state;
}

const batchOf = (records: readonly DisbursementRecord[]) => ({
  topic: REQUESTS_TOPIC,
  partition: 2,
  records,
});

describe('answerDisbursementBatch', () => {
  it('answers every request once, all delays running together, and resolves the last offset', async () => {
    const test = harness();
    const appendedAtMs = Date.now();
    const records = Array.from({ length: 100 }, (_, index) => requestRecord(index, appendedAtMs));
    const startedAtMs = Date.now();

    await answerDisbursementBatch(batchOf(records), test.controls, test.dependencies);

    // A hundred 60 ms delays run side by side: far less than 100 × 60 ms.
    expect(Date.now() - startedAtMs).toBeLessThan(1_000);
    expect(test.published.map((event) => event.data.disbursementId).sort()).toEqual(
      records.map((_, index) => `d-${index}`).sort(),
    );
    for (const event of test.published) {
      expect(event.id).toBe(confirmationEventId(event.data.disbursementId));
      const decision = decideDisbursement(event.data.disbursementId, SETTINGS);
      expect(event.type).toBe(`disbursement.${decision.outcome}`);
    }
    expect(test.controls.resolved.at(-1)).toBe('99');
    for (const entry of test.confirmed) {
      expect(entry.dueAtMs).toBe(appendedAtMs + SETTINGS.delayMs);
      expect(entry.acknowledgedAtMs).toBeGreaterThanOrEqual(entry.dueAtMs);
      expect(entry.partition).toBe(2);
    }
  });

  it('never publishes before the delay counted from the record timestamp, and not twice over for a request that waited', async () => {
    const test = harness({ settings: { ...SETTINGS, delayMs: 200 } });
    const now = Date.now();
    const waited = requestRecord(0, now - 150);
    const fresh = requestRecord(1, now);

    await answerDisbursementBatch(batchOf([waited, fresh]), test.controls, test.dependencies);

    const byOffset = new Map(test.confirmed.map((entry) => [entry.offset, entry]));
    expect(byOffset.get('0')!.dueAtMs).toBe(now - 150 + 200);
    expect(byOffset.get('1')!.dueAtMs).toBe(now + 200);
    for (const entry of test.confirmed) {
      expect(Date.parse(entry.event.time)).toBeGreaterThanOrEqual(entry.dueAtMs);
    }
    // The request that waited 150 ms in the topic is answered about 50 ms after it was read.
    expect(byOffset.get('0')!.acknowledgedAtMs - now).toBeLessThan(150);
  });

  it('resolves an offset only once it and every offset before it are acknowledged', async () => {
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const test = harness({
      publish: async (event) => {
        if (event.data.disbursementId === 'd-10') await firstHeld;
      },
    });
    const appendedAtMs = Date.now();
    const answered = answerDisbursementBatch(
      batchOf([
        requestRecord(10, appendedAtMs),
        requestRecord(11, appendedAtMs),
        requestRecord(12, appendedAtMs),
      ]),
      test.controls,
      test.dependencies,
    );
    await new Promise((resolve) => setTimeout(resolve, SETTINGS.delayMs + 100));
    expect(test.confirmed.map((entry) => entry.offset).sort()).toEqual(['11', '12']);
    expect(test.controls.resolved).toEqual([]);

    releaseFirst();
    await answered;
    expect(test.controls.resolved).toEqual(['12']);
  });

  it('logs and skips invalid records (no dead letter), resolving their offsets', async () => {
    const test = harness();
    const now = Date.now();
    const wrongType = createEvent({
      type: 'order.paid',
      id: 'o-1:paid',
      source: '/platform/orders',
      time: '2026-11-11T00:00:00.000Z',
      data: { merchantId: 'm-000001', orderId: 'o-1', amountMinor: 100n, currency: 'CNY' },
    });
    const records: DisbursementRecord[] = [
      { offset: '0', key: Buffer.from('m-000001'), value: Buffer.from('{not json'), timestamp: String(now) },
      {
        offset: '1',
        key: Buffer.from('m-000001'),
        value: Buffer.from(encodeEvent(wrongType)),
        timestamp: String(now),
      },
      { ...requestRecord(2, now), key: Buffer.from('m-999999') },
      { offset: '3', key: null, value: null, timestamp: String(now) },
      requestRecord(4, now),
    ];

    await answerDisbursementBatch(batchOf(records), test.controls, test.dependencies);

    expect(test.skipped).toBe(4);
    expect(test.published.map((event) => event.data.disbursementId)).toEqual(['d-4']);
    expect(test.controls.resolved.at(-1)).toBe('4');
    const logged = test.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.map((line) => [line.level, line.offset, line.reason])).toEqual([
      ['warn', '0', 'NOT_JSON'],
      ['warn', '1', 'WRONG_TOPIC'],
      ['warn', '2', 'KEY_MISMATCH'],
      ['warn', '3', 'NOT_JSON'],
    ]);
    expect(logged[0]).toMatchObject({ message: 'Skipping an invalid disbursement request', partition: 2 });
  });

  it('gives up requests not yet due when the treasury stops, resolving only what was answered', async () => {
    const test = harness({ settings: { ...SETTINGS, delayMs: 10_000 } });
    const now = Date.now();
    const answered = answerDisbursementBatch(
      batchOf([requestRecord(0, now - 10_000), requestRecord(1, now), requestRecord(2, now - 10_000)]),
      test.controls,
      test.dependencies,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    test.abandon.abort();
    await answered;

    expect(test.published.map((event) => event.data.disbursementId).sort()).toEqual(['d-0', 'd-2']);
    expect(test.controls.resolved).toEqual(['0']);
  });

  it('leaves unresolved a confirmation the publisher abandoned', async () => {
    const test = harness({
      publish: async (event) => {
        if (event.data.disbursementId === 'd-1') throw new ConfirmationAbandonedError();
      },
    });
    const now = Date.now();
    await answerDisbursementBatch(
      batchOf([requestRecord(0, now), requestRecord(1, now), requestRecord(2, now)]),
      test.controls,
      test.dependencies,
    );
    expect(test.confirmed.map((entry) => entry.offset).sort()).toEqual(['0', '2']);
    expect(test.controls.resolved).toEqual(['0']);
  });

  it('gives the partition up when the batch goes stale', async () => {
    let stale = false;
    const test = harness({ settings: { ...SETTINGS, delayMs: 10_000 } }, { isStale: () => stale });
    const answered = answerDisbursementBatch(
      batchOf([requestRecord(0, Date.now())]),
      test.controls,
      test.dependencies,
    );
    stale = true;
    await answered;
    expect(test.published).toEqual([]);
    expect(test.controls.resolved).toEqual([]);
  });

  it('rejects with the heartbeat error when the group rebalances, after giving up pending requests', async () => {
    const rebalance = new Error('The group is rebalancing, so a rejoin is needed');
    const test = harness(
      { settings: { ...SETTINGS, delayMs: 10_000 } },
      {
        heartbeat: async () => {
          throw rebalance;
        },
      },
    );
    await expect(
      answerDisbursementBatch(batchOf([requestRecord(0, Date.now())]), test.controls, test.dependencies),
    ).rejects.toBe(rebalance);
    expect(test.published).toEqual([]);
  });

  it('heartbeats and commits while confirmations are pending', async () => {
    let heartbeats = 0;
    let commits = 0;
    const test = harness(
      { settings: { ...SETTINGS, delayMs: 120 } },
      {
        heartbeat: async () => {
          heartbeats += 1;
        },
        commitOffsetsIfNecessary: async () => {
          commits += 1;
        },
      },
    );
    await answerDisbursementBatch(batchOf([requestRecord(0, Date.now())]), test.controls, test.dependencies);
    expect(heartbeats).toBeGreaterThanOrEqual(5);
    expect(commits).toBeGreaterThan(heartbeats);
  });
});
