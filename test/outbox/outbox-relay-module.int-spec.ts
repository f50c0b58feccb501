/**
 * OutboxRelayModule in a real Nest app (nest-app/main.ts, a child process because Jest cannot
 * load Nest 12's ES modules in-process on Node 20): the relay starts with the app, an inbox
 * row, the state change and the outbox row commit in one transaction, a signal delivered twice
 * emits once, and SIGTERM stops the relay before the producer and the DataSource close.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { Topics } from '@lendstream/contracts';
import { testEndpoints } from '../support/env';
import { KafkaTestKit, waitUntil } from '../support/kafka-helpers';
import { readCreditLines } from './support/outbox-fixtures';
import { OutboxTestDatabase } from './support/outbox-test-database';

jest.setTimeout(90_000);

const REPORT_PREFIX = '@@report ';
const APP_ENTRY = resolve(__dirname, 'nest-app/main.ts');
const REPO_ROOT = resolve(__dirname, '../..');
const BOOT_TIMEOUT_MS = 45_000;
const EXIT_TIMEOUT_MS = 20_000;

interface Report {
  readonly kind: 'handled' | 'boot-failed' | 'shut-down';
  readonly results?: boolean[];
  readonly outputId?: string;
  readonly relay?: string;
  readonly error?: string;
}

describe('OutboxRelayModule in a Nest app (child process, real Postgres and Kafka)', () => {
  let database: OutboxTestDatabase;
  let kit: KafkaTestKit;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    database = await OutboxTestDatabase.create('nest');
    kit = await KafkaTestKit.create('outbox-nest', [Topics.creditLines]);
  });

  afterAll(async () => {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await kit.cleanup();
    await database.cleanup();
  });

  it('publishes what a handler enqueued beside its inbox row, once for a signal delivered twice, and stops cleanly', async () => {
    const reports: Report[] = [];
    const output: string[] = [];
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    child = spawn(process.execPath, ['-r', '@swc-node/register', APP_ENTRY], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        KAFKA_BROKERS: testEndpoints.kafkaBrokers.join(','),
        DATABASE_URL: testEndpoints.databaseUrl,
        OUTBOX_TEST_SCHEMA: database.schema,
        TEST_TOPIC_NAMESPACE: kit.namespace,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(REPORT_PREFIX))
        reports.push(JSON.parse(line.slice(REPORT_PREFIX.length)) as Report);
      else output.push(line);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    child.on('exit', (code, signal) => (exit = { code, signal }));

    await waitUntil(
      'the app to handle its signal twice',
      () => reports.length > 0 || exit !== undefined,
      BOOT_TIMEOUT_MS,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output.join('\n')}`);
    });
    const handled = reports[0]!;
    expect(handled).toMatchObject({ kind: 'handled', results: [true, false], relay: 'running' });

    await waitUntil(
      'the relay to publish the credit-line event',
      async () => (await readCreditLines(kit)).length > 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrong second copy to show up
    const published = await readCreditLines(kit);
    expect(published.map((record) => [record.key, record.id])).toEqual([['m-42', handled.outputId]]);

    child.kill('SIGTERM');
    await waitUntil('the app to exit after SIGTERM', () => exit !== undefined, EXIT_TIMEOUT_MS);
    expect(exit!.code === 0 || exit!.signal === 'SIGTERM').toBe(true);
    expect(reports.at(-1)).toEqual({ kind: 'shut-down', relay: 'stopped' });
    expect(output.filter((line) => /ERROR|error/.test(line))).toEqual([]);
  });
});
