/**
 * A full simulated run (issue 4's "a full simulated run ends with `ledger verify` passing"):
 * `npm run demo` itself, on a small market — the real profiler, underwriter and lending
 * services as child processes, the simulator's market and treasury, lending's daily review —
 * kept at the end, then checked here on its own: the books with a separate `ledger verify`,
 * and every effect counted against its cause (each loan's events once, each repayment's event
 * once, nothing left unpublished or waiting on treasury).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKafkaClient } from '@lendstream/messaging';
import { createDataSource } from '@lendstream/platform';
import type { DataSource } from 'typeorm';
import type { DemoSummary } from '../../scripts/demo';
import { projectRoot } from '../../scripts/lib/services';
import { connectRedis, deleteKeysUnder } from '../profile/support/redis-namespace';
import { testEndpoints } from '../support/env';

jest.setTimeout(900_000);

// Small enough for CI, long enough for whole loan lives: lines need 30 days of tenure, the
// demo's loans run 7 to 30 days and are written off 10 days past due.
const MERCHANTS = '40';
const DAYS = '55';

describe('a full simulated run (npm run demo, kept and checked)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'lendstream-full-run-'));
  const summaryPath = join(folder, 'summary.json');
  let exitCode: number | null = null;
  let output = '';
  let summary: DemoSummary | undefined;
  let db: DataSource | undefined;
  const redis = connectRedis();

  beforeAll(async () => {
    const run = spawnSync(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        'scripts/demo.ts',
        '--merchants',
        MERCHANTS,
        '--days',
        DAYS,
        '--seed',
        'full-run',
        '--keep',
        '--summary',
        summaryPath,
      ],
      { cwd: projectRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 840_000 },
    );
    exitCode = run.status;
    output = `${run.stdout}\n${run.stderr}`;
    if (!existsSync(summaryPath))
      throw new Error(
        `the demo wrote no summary (exit ${run.status}, ${String(run.error ?? '')}):\n${output.slice(-6_000)}`,
      );
    summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as DemoSummary;
    db = createDataSource({
      databaseUrl: summary.databaseUrl,
      applicationName: 'full-run-check',
      poolSize: 1,
    });
    await db.initialize();
  });

  afterAll(async () => {
    if (db?.isInitialized) await db.destroy();
    if (summary !== undefined) {
      const maintenance = createDataSource({
        databaseUrl: testEndpoints.databaseUrl,
        applicationName: 'full-run-cleanup',
        poolSize: 1,
      });
      await maintenance.initialize();
      await maintenance.query(`DROP DATABASE IF EXISTS ${summary.databaseName} WITH (FORCE)`);
      await maintenance.destroy();
      const admin = createKafkaClient({
        brokers: testEndpoints.kafkaBrokers,
        clientId: 'full-run-cleanup',
      }).admin();
      await admin.connect();
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${summary!.namespace}.`));
      if (topics.length > 0) await admin.deleteTopics({ topics });
      await admin.disconnect();
      await deleteKeysUnder(redis, summary.keyPrefix);
    }
    await redis.quit();
    rmSync(folder, { recursive: true, force: true });
  });

  const count = async (sql: string): Promise<number> => Number((await db!.query(sql))[0].count);

  it('runs to the end and finds the books in order itself', () => {
    if (exitCode !== 0) console.error(output.slice(-6_000));
    expect(exitCode).toBe(0);
    expect(summary).toMatchObject({ kept: true, booksHold: true });
    expect(summary!.eventsPublished).toBeGreaterThan(10_000);
    expect(summary!.creditLineEvents).toBeGreaterThan(0);
  });

  it('passes a separate ledger verify of the kept database', () => {
    const verify = spawnSync('npm', ['run', '-s', 'ledger', '--', 'verify'], {
      cwd: projectRoot,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: summary!.databaseUrl },
    });
    if (verify.status !== 0) console.error(verify.stdout, verify.stderr);
    expect(verify.status).toBe(0);
  });

  it('moved real money: loans of every life, repayments from settlements, journal entries', async () => {
    const byStatus: Array<{ status: string; count: string }> = await db!.query(
      `SELECT status, count(*) FROM loans GROUP BY status ORDER BY status`,
    );
    const loans = Object.fromEntries(byStatus.map((row) => [row.status, Number(row.count)]));
    expect(loans.REPAID ?? 0).toBeGreaterThan(0);
    expect((loans.ACTIVE ?? 0) + (loans.REPAID ?? 0) + (loans.WRITTEN_OFF ?? 0)).toBeGreaterThan(10);
    // Each drawdown request made at most one loan (a refusal makes none).
    const total = Object.values(loans).reduce((sum, n) => sum + n, 0);
    expect(total).toBeLessThanOrEqual(summary!.drawdownsRequested);
    expect(await count(`SELECT count(DISTINCT request_id) FROM loans`)).toBe(total);
    expect(
      await count(`SELECT count(*) FROM repayments WHERE source = 'SETTLEMENT_HOLDBACK'`),
    ).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) FROM journal_entries`)).toBeGreaterThan(total);
  });

  it('left nothing half-done: no disbursement waiting on treasury, no event unpublished', async () => {
    expect(await count(`SELECT count(*) FROM loans WHERE status = 'PENDING_DISBURSEMENT'`)).toBe(0);
    expect(await count(`SELECT count(*) FROM outbox WHERE published_at IS NULL`)).toBe(0);
  });

  it('emitted each effect exactly once: one event per loan transition and per repayment', async () => {
    const events = async (type: string) =>
      count(`SELECT count(*) FROM outbox WHERE payload->>'type' = '${type}'`);
    const loansIn = (statuses: string) => count(`SELECT count(*) FROM loans WHERE status IN (${statuses})`);
    expect(await events('disbursement.requested')).toBe(
      await loansIn(`'ACTIVE','REPAID','WRITTEN_OFF','CANCELLED'`),
    );
    expect(await events('loan.activated')).toBe(await loansIn(`'ACTIVE','REPAID','WRITTEN_OFF'`));
    expect(await events('loan.repaid')).toBe(await loansIn(`'REPAID'`));
    expect(await events('loan.written-off')).toBe(await loansIn(`'WRITTEN_OFF'`));
    expect(await events('repayment.collected')).toBe(await count(`SELECT count(*) FROM repayments`));
    // Every event id once in the outbox (a second copy would be a second effect).
    expect(await count(`SELECT count(*) - count(DISTINCT event_id) AS count FROM outbox`)).toBe(0);
  });
});
