/**
 * `npm run replay -- decisions [--database-url URL] [--page-size N]`
 * `npm run replay -- profiles --namespace <namespace|none> [--from-prefix lp] [--keep] [--timeout-ms N]`
 *
 * Recomputes stored credit decisions (issue 3, item 5) and exits 1 on any mismatch, 0 when
 * every decision is reproduced, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { loadPlatformEnv } from '@lendstream/platform';
import { formatDecisionCheck } from './replay/decision-check';
import { runReplayDecisions } from './replay/replay-decisions';
import { runReplayProfiles } from './replay/replay-profiles';

const USAGE = `usage:
  npm run replay -- decisions [--database-url URL] [--page-size N]
  npm run replay -- profiles --namespace <topic namespace|none> [--from-prefix lp] [--keep]
                             [--database-url URL] [--page-size N] [--timeout-ms N]`;

const wholeNumberOption = (raw: string | undefined, name: string): number | undefined => {
  if (raw === undefined) return undefined;
  if (!/^\d{1,9}$/.test(raw)) throw new UsageError(`--${name} expects a whole number, got "${raw}"`);
  return Number(raw);
};

class UsageError extends Error {}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'database-url': { type: 'string' },
      'page-size': { type: 'string' },
      namespace: { type: 'string' },
      'from-prefix': { type: 'string' },
      keep: { type: 'boolean', default: false },
      'timeout-ms': { type: 'string' },
    },
  });
  const env = loadPlatformEnv();
  const databaseUrl = values['database-url'] ?? env.DATABASE_URL;
  const pageSize = wholeNumberOption(values['page-size'], 'page-size');
  const [mode, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);

  if (mode === 'decisions') {
    const report = await runReplayDecisions({ databaseUrl, pageSize });
    console.log(`(${report.live} live, ${report.shadow} shadow)`);
    console.log(formatDecisionCheck('replay decisions', report));
    return report.mismatches === 0 ? 0 : 1;
  }
  if (mode === 'profiles') {
    const namespace = values.namespace;
    if (namespace === undefined)
      throw new UsageError('profiles needs --namespace <topic namespace> (or "none" for the live topics)');
    const report = await runReplayProfiles({
      databaseUrl,
      redisUrl: env.REDIS_URL,
      brokers: env.KAFKA_BROKERS,
      topicNamespace: namespace === 'none' ? undefined : namespace,
      fromPrefix: values['from-prefix'],
      keep: values.keep,
      pageSize,
      timeoutMs: wholeNumberOption(values['timeout-ms'], 'timeout-ms'),
    });
    const { rebuild } = report;
    console.log(
      `rebuilt ${rebuild.keyPrefix} from ${rebuild.recordsToConsume} input records ` +
        `(${rebuild.eventsAccepted} accepted, ${rebuild.eventsRejected} rejected) in ${rebuild.elapsedMs} ms` +
        (report.keptPrefix === null ? '; deleted' : '; kept'),
    );
    console.log(formatDecisionCheck('replay profiles (every live decision)', report));
    const counts = (what: string, found: { checked: number; mismatches: number }) =>
      `  ${what}: ${found.checked} checked, ${found.mismatches} mismatch`;
    console.log(counts("each merchant's newest, whole", report.newest));
    console.log(counts('older, whole as of their instant (latest-state fields aside)', report.older));
    console.log(
      counts('older, made while their day was arriving: the days before it', report.olderSettledDays),
    );
    for (const [why, count] of Object.entries(report.skipped)) console.log(`  skipped ${count}: ${why}`);
    console.log(
      '  not compared for older decisions (the store holds their latest state, not as of the decision):',
    );
    for (const [field, why] of Object.entries(report.notComparedForOlder))
      console.log(`    ${field}: ${why}`);
    console.log(`features rebuilt differently: ${report.featureDifferences}`);
    return report.mismatches === 0 ? 0 : 1;
  }
  throw new UsageError(mode === undefined ? 'which replay?' : `unknown replay "${mode}"`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      console.error(`replay: ${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error('replay failed:', error);
    process.exit(1);
  },
);
