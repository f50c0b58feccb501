/**
 * The Nest side, end to end: a real Nest microservice (nest-app/main.ts) on the batch
 * transport, in a child process because Jest cannot load Nest 12's ES modules in-process on
 * Node 20. Checks handler registration by @EventPattern across two topics, the injected
 * shared producer, dead-lettering of poison and rejected records, a retried handler failure
 * (through Nest's exception filter), and a clean SIGTERM shutdown.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { createEvent, DeadLetterHeaders, DeadLetterReason, encodeEvent, Topics } from '@lendstream/contracts';
import { testEndpoints } from '../support/env';
import { KafkaTestKit, waitUntil } from '../support/kafka-helpers';
import { orderPaid } from './consumer-fixtures';

jest.setTimeout(90_000);

const REPORT_PREFIX = '@@report ';
const APP_ENTRY = resolve(__dirname, 'nest-app/main.ts');
const REPO_ROOT = resolve(__dirname, '../..');
const BOOT_TIMEOUT_MS = 45_000;
const EXIT_TIMEOUT_MS = 20_000;

interface Report {
  readonly kind: 'listening' | 'handled' | 'failed' | 'boot-failed' | 'shut-down';
  readonly topic?: string;
  readonly offsets?: string[];
  readonly error?: string;
}

class ChildApp {
  readonly reports: Report[] = [];
  readonly output: string[] = [];
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(readonly process: ChildProcess) {
    createInterface({ input: process.stdout! }).on('line', (line) => {
      if (line.startsWith(REPORT_PREFIX))
        this.reports.push(JSON.parse(line.slice(REPORT_PREFIX.length)) as Report);
      else this.output.push(line);
    });
    createInterface({ input: process.stderr! }).on('line', (line) => this.output.push(line));
    process.on('exit', (code, signal) => (this.exit = { code, signal }));
  }

  static start(env: Record<string, string>): ChildApp {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', APP_ENTRY], {
      cwd: REPO_ROOT,
      env: { ...process.env, KAFKA_BROKERS: testEndpoints.kafkaBrokers.join(','), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ChildApp(child);
  }

  handled(topic: string): string[] {
    return this.reports
      .filter((report) => report.kind === 'handled' && report.topic === topic)
      .flatMap((report) => report.offsets!);
  }

  kill(): void {
    if (this.exit === undefined) this.process.kill('SIGKILL');
  }
}

describe('KafkaBatchTransport in a Nest microservice (real broker, child process)', () => {
  let kit: KafkaTestKit;
  let app: ChildApp | undefined;

  beforeAll(async () => {
    kit = await KafkaTestKit.create('nest', [
      Topics.orders,
      Topics.warehouse,
      Topics.profileChanged,
      Topics.deadLetters,
    ]);
  });

  afterAll(async () => {
    app?.kill();
    await kit.cleanup();
  });

  it('routes batches to @EventPattern handlers, dead-letters, retries, publishes through the injected producer, and stops on SIGTERM', async () => {
    const usd = createEvent({
      type: 'order.paid',
      id: 'e-usd',
      source: '/platform/orders',
      time: '2026-11-11T00:00:00Z',
      data: { merchantId: 'm-1', orderId: 'o-usd', amountMinor: 500n, currency: 'USD' },
    });
    await kit.produceEvents([orderPaid(1, 'm-1')]);
    await kit.produce(Topics.orders, [{ key: 'm-1', value: 'not json' }]);
    await kit.produceEvents([usd, orderPaid(2, 'm-2')]);
    await kit.produceEvents([
      createEvent({
        type: 'inventory.stockout',
        id: 's-1',
        source: '/platform/warehouse',
        time: '2026-11-11T00:00:00Z',
        data: { merchantId: 'm-1', warehouseId: 'w-1', sku: 'sku-1' },
      }),
    ]);
    const groupId = kit.groupId('nest-app');

    app = ChildApp.start({
      TEST_TOPIC_NAMESPACE: kit.namespace,
      TEST_GROUP_ID: groupId,
      TEST_FAIL_FIRST_ATTEMPTS: '2',
    });
    const started = app;
    await waitUntil(
      'the Nest app to listen',
      () =>
        started.reports.some((report) => report.kind === 'listening' || report.kind === 'boot-failed') ||
        started.exit !== undefined,
      BOOT_TIMEOUT_MS,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${started.output.join('\n')}`);
    });
    expect(started.reports.find((report) => report.kind === 'boot-failed')).toBeUndefined();

    await kit.waitFor('both topics to be committed to their end', async () => {
      const orders = await kit.committedOffsets(groupId, Topics.orders);
      const warehouse = await kit.committedOffsets(groupId, Topics.warehouse);
      return orders.get(0) === '4' && warehouse.get(0) === '1';
    });

    // Two failed attempts at the same chunk, then success; the poison never reached the handler.
    const failed = started.reports.filter((report) => report.kind === 'failed');
    expect(failed.map((report) => report.offsets)).toEqual([
      ['0', '2', '3'],
      ['0', '2', '3'],
    ]);
    expect(started.handled(Topics.orders)).toEqual(['0', '2', '3']);
    expect(started.handled(Topics.warehouse)).toEqual(['0']);

    const deadLetters = await kit.readToEnd(Topics.deadLetters);
    expect(
      deadLetters.map((record) => [
        record.headers[DeadLetterHeaders.sourceOffset],
        record.headers[DeadLetterHeaders.reason],
      ]),
    ).toEqual([
      ['1', DeadLetterReason.NOT_JSON],
      ['2', DeadLetterReason.CURRENCY_MISMATCH],
    ]);
    expect(deadLetters[1]!.value!.toString()).toBe(encodeEvent(usd));
    expect(deadLetters[1]!.headers[DeadLetterHeaders.service]).toBe('nest-test-app');

    const signals = await kit.readToEnd(Topics.profileChanged);
    expect(new Set(signals.map((record) => record.key!.toString()))).toEqual(new Set(['m-1', 'm-2']));

    started.process.kill('SIGTERM');
    await waitUntil('the app to exit after SIGTERM', () => started.exit !== undefined, EXIT_TIMEOUT_MS);
    expect(started.exit!.code === 0 || started.exit!.signal === 'SIGTERM').toBe(true);
    // Nest closes the transport (drain, commit, disconnect) before it runs the shutdown hooks.
    expect(started.reports.at(-1)).toEqual({ kind: 'shut-down' });
    expect(started.output.filter((line) => /ERROR/.test(line) && !/simulated outage/.test(line))).toEqual([]);
  });
});
