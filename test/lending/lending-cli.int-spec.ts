/**
 * `npm run lending` on real Postgres: `review --as-of` runs one review at an injected business
 * instant and prints what it did (days of interest, loans overdue, written off), a second run
 * finds nothing to do; `portfolio` prints the book; usage errors exit 2.
 */
import type { DataSource } from 'typeorm';
import { LendingTestDatabase } from './support/lending-database';
import { grantLine, loanNow, makeLoan, testPolicy } from './support/lending-fixtures';
import { runScript, ScriptRun } from './support/run-script';

jest.setTimeout(180_000);

describe('npm run lending (real Postgres)', () => {
  let database: LendingTestDatabase;
  let dataSource: DataSource;
  let loanId: string;

  const lending = (args: readonly string[], env: Record<string, string> = {}): Promise<ScriptRun> =>
    runScript('scripts/lending.ts', args, { DATABASE_URL: database.url, ...env });

  beforeAll(async () => {
    database = await LendingTestDatabase.create('cli');
    dataSource = await database.connect('lending-cli', 2);
    await grantLine(dataSource, { merchantId: 'm-cli', limitMinor: 5_000_000n, dailyRateBps: 2 });
    loanId = (
      await makeLoan(
        dataSource,
        {
          merchantId: 'm-cli',
          requestId: 'cli',
          amountMinor: 1_000_000n,
          termDays: 7,
          requestedAt: '2026-07-01T08:00:00Z',
          settledAt: '2026-07-01T08:05:00Z',
        },
        testPolicy(),
      )
    ).loanId;
  });

  afterAll(() => database.cleanup());

  it('reviews as of the given instant and prints what it did; a second run does nothing', async () => {
    // Due 8 July; on 1 August 24 days past due: 31 days of interest (1–31 July) at ¥2.00 a day.
    const first = await lending(['review', '--as-of', '2026-08-01T00:00:00Z']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'review as of 2026-08-01T00:00:00.000Z (policy v1: write-off at 90 days past due)',
    );
    expect(first.stdout).toContain('accrued 31 days of interest: ¥62.00');
    expect(first.stdout).toContain(`  ${loanId} of m-cli: DPD_1_30, 24 days past due`);
    expect(first.stdout).toContain('written off: 0 loan(s)');
    expect(await loanNow(dataSource, loanId)).toMatchObject({
      lastAccruedDay: '2026-07-31',
      interestAccruedMinor: 6_200n,
    });

    const second = await lending(['review', '--as-of', '2026-08-01T00:00:00Z']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('examined 0 active loan(s) behind that instant, changed 0');
  });

  it('applies the write-off days the environment configures, as the app does', async () => {
    const run = await lending(['review', '--as-of', '2026-08-08T00:00:00Z'], {
      LENDING_WRITE_OFF_DAYS_PAST_DUE: '30',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('policy v1-h2000-w30: write-off at 30 days past due');
    expect(run.stdout).toMatch(
      new RegExp(`^  ${loanId} of m-cli: ¥10,000\\.00 principal, ¥[0-9.,]+ interest, 31 days past due$`, 'm'),
    );
    expect((await loanNow(dataSource, loanId)).status).toBe('WRITTEN_OFF');
  });

  it('prints the portfolio', async () => {
    const run = await lending(['portfolio', '--as-of', '2026-08-08T00:00:00Z']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^WRITTEN_OFF +1 +¥10,000\.00/m);
    expect(run.stdout).toMatch(/^losses \(written off\) +¥10,000\.00 principal/m);
  });

  it.each([[['review']], [['review', '--as-of', 'yesterday']], [['bogus']]])(
    '`lending %j` is a usage error: exit 2 with the usage',
    async (args) => {
      const run = await lending(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/usage:\n {2}npm run lending -- review --as-of/);
    },
  );

  it('refuses a bad policy variable, naming it', async () => {
    const run = await lending(['review', '--as-of', '2026-08-01T00:00:00Z'], {
      LENDING_HOLDBACK_SHARE_BPS: '120%',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('LENDING_HOLDBACK_SHARE_BPS');
  });
});
