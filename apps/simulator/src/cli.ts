/**
 * `npm run simulate -- --seed demo --merchants 50 --days 90`: simulates a seeded marketplace
 * and publishes its events to Kafka, or writes them as JSON lines with `--out`.
 * `npm run simulate -- treasury --delay-ms 2000 --fail-share 0.05`: runs the simulated
 * treasury, which answers Lendstream's disbursement requests, until Ctrl-C.
 */
import { Writable } from 'node:stream';
import { parseCliArgs, parseTreasuryArgs, TREASURY_COMMAND, TREASURY_USAGE, USAGE } from './cli-args';
import { EventSink } from './event-sink';
import { JsonLinesEventSink } from './json-lines-event-sink';
import { KafkaEventSink } from './kafka-event-sink';
import { publishMarket } from './publish-market';
import { formatSummary } from './summary-report';
import { runTreasuryCommand } from './treasury/treasury-command';

export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Stops the run between two batches, or stops the treasury (Ctrl-C or SIGTERM). */
  readonly signal?: AbortSignal;
}

/** Progress goes to stderr at most this often. */
const PROGRESS_INTERVAL_MS = 2_000;
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Runs the CLI and returns its exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === TREASURY_COMMAND) return runTreasuryCli(argv.slice(1), io);
  const parsed = parseCliArgs(argv, io.env);
  if (!parsed.ok) {
    io.stderr.write(`simulate: ${parsed.error} (see --help)\n`);
    return EXIT_USAGE;
  }
  const options = parsed.value;
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  // With `--out -` the events own stdout; everything else goes to stderr.
  const report = options.out === '-' ? io.stderr : io.stdout;
  const destination =
    options.out === '-' ? 'stdout' : (options.out ?? `Kafka at ${options.brokers.join(',')}`);

  let sink: (EventSink & { close(): Promise<void> }) | undefined;
  try {
    sink =
      options.out === undefined
        ? await KafkaEventSink.connect({ brokers: options.brokers })
        : JsonLinesEventSink.open(options.out);
    let lastProgressAt = Date.now();
    const summary = await publishMarket(options.market, sink, {
      rate: options.rate,
      topicNamespace: options.topicNamespace,
      signal: io.signal,
      onProgress: (published) => {
        if (Date.now() - lastProgressAt < PROGRESS_INTERVAL_MS) return;
        lastProgressAt = Date.now();
        io.stderr.write(`simulate: ${published} events published so far\n`);
      },
    });
    await sink.close();
    sink = undefined;
    report.write(`${formatSummary(summary, destination)}\n`);
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`simulate: failed publishing to ${destination}: ${describe(error)}\n`);
    return EXIT_FAILED;
  } finally {
    await sink?.close().catch(() => undefined);
  }
}

async function runTreasuryCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseTreasuryArgs(argv, io.env);
  if (!parsed.ok) {
    io.stderr.write(`simulate treasury: ${parsed.error} (see treasury --help)\n`);
    return EXIT_USAGE;
  }
  if (parsed.value.help) {
    io.stdout.write(`${TREASURY_USAGE}\n`);
    return EXIT_OK;
  }
  return runTreasuryCommand(parsed.value, io);
}

if (require.main === module) {
  const interrupt = new AbortController();
  // The first Ctrl-C (or SIGTERM) stops between batches, or drains the treasury, and still
  // prints the summary; a second one exits at once.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupt.abort();
      process.once(signal, () => process.exit(130));
    });
  }
  void runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: interrupt.signal,
  }).then((code) => {
    // Exit at once: after a failed publish kafkajs may still hold retry timers that would
    // keep a finished CLI alive.
    process.exit(code);
  });
}
