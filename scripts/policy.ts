/**
 * `npm run policy -- diff [--challenger v3-challenger] [--database-url URL]
 *                         [--seed S --merchants N --days D [--start YYYY-MM-DD]]`
 *
 * Compares a challenger policy's shadow decisions with the live ones (issue 3, item 6). The
 * simulated market's parameters, when given, label each merchant with its archetype.
 */
import { parseArgs } from 'node:util';
import { LIVE_POLICY_VERSION } from '@lendstream/credit';
import { loadPlatformEnv } from '@lendstream/platform';
import type { MarketConfig } from '@lendstream/simulation';
import { formatPolicyDiff } from './policy/diff-tables';
import { runPolicyDiff } from './policy/policy-diff';

const USAGE = `usage: npm run policy -- diff [--challenger v3-challenger] [--database-url URL]
                           [--seed S --merchants N --days D [--start YYYY-MM-DD]]`;
/** The simulator's own default first day, so a market named by seed alone gets the same roster. */
const DEFAULT_MARKET_START = '2026-08-01';

class UsageError extends Error {}

function wholeNumber(raw: string | undefined, name: string): number {
  if (raw === undefined || !/^\d{1,9}$/.test(raw)) throw new UsageError(`--${name} expects a whole number`);
  return Number(raw);
}

function marketOf(values: Record<string, string | boolean | undefined>): MarketConfig | undefined {
  const { seed, merchants, days, start } = values;
  if (seed === undefined && merchants === undefined && days === undefined) return undefined;
  if (typeof seed !== 'string') throw new UsageError('--merchants and --days need --seed');
  return {
    seed,
    merchants: wholeNumber(typeof merchants === 'string' ? merchants : undefined, 'merchants'),
    days: wholeNumber(typeof days === 'string' ? days : undefined, 'days'),
    start: typeof start === 'string' ? start : DEFAULT_MARKET_START,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      challenger: { type: 'string' },
      'database-url': { type: 'string' },
      seed: { type: 'string' },
      merchants: { type: 'string' },
      days: { type: 'string' },
      start: { type: 'string' },
    },
  });
  if (positionals.length !== 1 || positionals[0] !== 'diff')
    throw new UsageError(`unknown command: ${positionals.join(' ') || '(none)'}`);
  const report = await runPolicyDiff({
    databaseUrl: values['database-url'] ?? loadPlatformEnv().DATABASE_URL,
    challenger: values.challenger,
    market: marketOf(values),
  });
  console.log(formatPolicyDiff(report, LIVE_POLICY_VERSION));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      console.error(`policy: ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error('policy failed:', error);
    process.exit(1);
  },
);
