/**
 * `npm run lending -- review --as-of 2026-08-01T00:00:00Z [--limit N] [--chunk N] [--database-url URL]`
 * `npm run lending -- portfolio [--as-of 2026-08-01T00:00:00Z] [--database-url URL]`
 *
 * review runs the daily loan review once, as of the given business instant (the app runs it as
 * of the wall clock): interest of every ended day, loan.overdue once per days-past-due bucket,
 * write-offs at the policy's days past due (LENDING_WRITE_OFF_DAYS_PAST_DUE, as the app reads
 * it), and prints what it did. It is safe beside the running app (the two share the work) and
 * safe to run twice. portfolio prints the loans by status and days-past-due bucket, interest
 * earned and losses. Exit 0 when done, 1 on a failure, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { businessInstant, portfolioSummary, REVIEW_DEFAULTS, reviewLoans } from '@lendstream/lending';
import { createDataSource, loadPlatformEnv } from '@lendstream/platform';
import type { DataSource } from 'typeorm';
import { lendingPolicyFromEnv } from '../apps/lending/src/lending-config';
import { formatPortfolio, formatReview } from './lending/report-format';

const USAGE = `usage:
  npm run lending -- review --as-of <RFC 3339 instant> [--limit N] [--chunk N] [--database-url URL]
  npm run lending -- portfolio [--as-of <RFC 3339 instant>] [--database-url URL]`;

class UsageError extends Error {}

function wholeOption(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    throw new UsageError(`--${name} expects a whole number from 1 to ${max}, got "${raw}"`);
  return Number(raw);
}

function instantOption(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(raw))
    throw new UsageError(`--as-of expects an RFC 3339 instant such as 2026-08-01T00:00:00Z, got "${raw}"`);
  try {
    return businessInstant('--as-of', raw);
  } catch {
    throw new UsageError(`--as-of is not a real instant: "${raw}"`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'as-of': { type: 'string' },
      limit: { type: 'string' },
      chunk: { type: 'string' },
      'database-url': { type: 'string' },
    },
  });
  const [command, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (command !== 'review' && command !== 'portfolio')
    throw new UsageError(command === undefined ? 'which command?' : `unknown command "${command}"`);
  const asOf = instantOption(values['as-of']);
  if (command === 'portfolio' && (values.limit !== undefined || values.chunk !== undefined))
    throw new UsageError('--limit and --chunk apply to review only');
  if (command === 'review' && asOf === undefined)
    throw new UsageError('review needs --as-of: the business instant to review as of');
  const limit = wholeOption('limit', values.limit, REVIEW_DEFAULTS.limit, 10_000_000);
  const chunkSize = wholeOption('chunk', values.chunk, REVIEW_DEFAULTS.chunkSize, 5_000);
  const policy = lendingPolicyFromEnv();
  const databaseUrl = values['database-url'] ?? loadPlatformEnv().DATABASE_URL;

  return withDatabase(databaseUrl, async (dataSource) => {
    if (command === 'review') {
      const report = await reviewLoans(dataSource, asOf!, { policy, limit, chunkSize });
      console.log(formatReview(report, policy));
      return 0;
    }
    console.log(
      formatPortfolio(await portfolioSummary(dataSource.manager, asOf ?? new Date().toISOString())),
    );
    return 0;
  });
}

async function withDatabase<T>(
  databaseUrl: string,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = createDataSource({
    databaseUrl,
    applicationName: 'lendstream-lending-cli',
    poolSize: 2,
  });
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      console.error(`lending: ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error('lending failed:', error);
    process.exit(1);
  },
);
