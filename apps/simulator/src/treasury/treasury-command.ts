import { Writable } from 'node:stream';
import { createConsoleLogger, describeError } from '@lendstream/messaging';
import type { TreasuryCliOptions } from '../cli-args';
import { SimulatedTreasury, TreasuryStats } from './simulated-treasury';

export interface TreasuryCommandIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Stops the treasury (Ctrl-C or SIGTERM); without it, it runs until it crashes. */
  readonly signal?: AbortSignal;
}

/** Progress goes to stderr at most this often, and only when something was answered. */
const PROGRESS_INTERVAL_MS = 5_000;
const EXIT_OK = 0;
const EXIT_FAILED = 1;

const formatShare = (bps: number): string => `${bps / 100}%`;

const formatStats = (stats: TreasuryStats): string =>
  `${stats.settled} settled, ${stats.failed} failed, ${stats.skipped} invalid skipped`;

/**
 * `npm run simulate -- treasury`: runs the simulated treasury until the signal aborts, then
 * drains and reports what it answered. Returns the exit code; never throws.
 */
export async function runTreasuryCommand(
  options: TreasuryCliOptions,
  io: TreasuryCommandIo,
): Promise<number> {
  const logger = createConsoleLogger('warn', (line) => io.stderr.write(`${line}\n`));
  let treasury: SimulatedTreasury;
  try {
    treasury = new SimulatedTreasury({
      brokers: options.brokers,
      topicNamespace: options.topicNamespace,
      groupId: options.groupId,
      settings: options.settings,
      logger,
    });
  } catch (error) {
    io.stderr.write(`simulate treasury: ${describeError(error)}\n`);
    return EXIT_FAILED;
  }
  if (io.signal?.aborted) return EXIT_OK;

  const { delayMs, failShareBps, seed } = options.settings;
  let crashed: Error | undefined;
  const stopped = new Promise<void>((resolve) => {
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
    treasury.onCrash((error) => {
      crashed = error;
      resolve();
    });
  });
  let progress: NodeJS.Timeout | undefined;
  try {
    await treasury.start();
    io.stderr.write(
      `simulate treasury: answering ${treasury.topics.requests} on ${treasury.topics.confirmations} ` +
        `as group ${treasury.groupId}: confirm after ${delayMs} ms, fail ${formatShare(failShareBps)} ` +
        `(seed ${JSON.stringify(seed)}); Ctrl-C stops\n`,
    );
    let reported = '';
    progress = setInterval(() => {
      const line = formatStats(treasury.stats);
      if (line === reported) return;
      reported = line;
      io.stderr.write(`simulate treasury: ${line} so far\n`);
    }, PROGRESS_INTERVAL_MS);
    await stopped;
  } catch (error) {
    io.stderr.write(
      `simulate treasury: failed to start on ${options.brokers.join(',')}: ${describeError(error)}\n`,
    );
    await treasury.stop();
    return EXIT_FAILED;
  } finally {
    clearInterval(progress);
  }
  await treasury.stop();
  if (crashed !== undefined) {
    io.stderr.write(`simulate treasury: the consumer crashed: ${describeError(crashed)}\n`);
    return EXIT_FAILED;
  }
  io.stdout.write(`simulate treasury: stopped; answered ${formatStats(treasury.stats)}\n`);
  return EXIT_OK;
}
