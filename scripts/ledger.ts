/**
 * `npm run ledger -- verify [--database-url URL]`
 * `npm run ledger -- trial-balance [--currency CNY] [--database-url URL]`
 *
 * verify runs every check of scripts/ledger/checks.ts in one read-only snapshot, prints one
 * line per check, and exits 1 on any breach (or a check that could not run), 0 when the books
 * hold. trial-balance prints each currency's accounts and totals, and exits 1 when debits do
 * not equal credits. Both exit 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { accountBalances, trialBalance, verifyLedgerInSnapshot } from '@lendstream/ledger';
import { createDataSource, loadPlatformEnv } from '@lendstream/platform';
import type { DataSource } from 'typeorm';
import { isCheckScope, ledgerChecks } from './ledger/checks';
import { formatTrialBalance, formatVerification } from './ledger/report-format';

const USAGE = `usage:
  npm run ledger -- verify [--only ledger|lending] [--database-url URL]
  npm run ledger -- trial-balance [--currency CNY] [--database-url URL]`;

class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { 'database-url': { type: 'string' }, currency: { type: 'string' }, only: { type: 'string' } },
  });
  const [command, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (command !== 'verify' && command !== 'trial-balance')
    throw new UsageError(command === undefined ? 'which command?' : `unknown command "${command}"`);
  const currency = values.currency;
  if (currency !== undefined && command !== 'trial-balance')
    throw new UsageError('--currency applies to trial-balance only');
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency))
    throw new UsageError(`--currency expects an ISO 4217 code such as CNY, got "${currency}"`);
  const only = values.only;
  if (only !== undefined && command !== 'verify') throw new UsageError('--only applies to verify only');
  if (only !== undefined && !isCheckScope(only))
    throw new UsageError(`--only expects ledger or lending, got "${only}"`);
  const databaseUrl = values['database-url'] ?? loadPlatformEnv().DATABASE_URL;

  return withDatabase(databaseUrl, async (dataSource) => {
    if (command === 'verify') {
      const verification = await verifyLedgerInSnapshot(dataSource, ledgerChecks(only ?? 'all'));
      console.log(formatVerification(verification));
      return verification.ok ? 0 : 1;
    }
    const trial = trialBalance(await accountBalances(dataSource.manager, { currency }));
    console.log(formatTrialBalance(trial));
    return trial.balanced ? 0 : 1;
  });
}

async function withDatabase<T>(
  databaseUrl: string,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = createDataSource({ databaseUrl, applicationName: 'lendstream-ledger', poolSize: 1 });
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
      console.error(`ledger: ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error('ledger failed:', error);
    process.exit(1);
  },
);
