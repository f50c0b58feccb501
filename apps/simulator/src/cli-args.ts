import { parseArgs } from 'node:util';
import { err, ok, Result } from '@lendstream/contracts';
import {
  checkTreasurySettings,
  DEFAULT_TREASURY_SETTINGS,
  MARKET_LIMITS,
  MarketConfig,
  parseShareAsBps,
  resolveMarketConfig,
  TREASURY_LIMITS,
  TreasurySettings,
} from '@lendstream/simulation';
import { defaultTreasuryGroupId } from './treasury/treasury-options';

export interface CliOptions {
  readonly market: MarketConfig;
  /** Events per second; 0 = as fast as possible. */
  readonly rate: number;
  /** Write JSON lines here (`-` for stdout) instead of publishing to Kafka. */
  readonly out: string | undefined;
  readonly brokers: readonly string[];
  readonly topicNamespace: string | undefined;
  readonly help: boolean;
}

/** `npm run simulate -- treasury [flags]`: the simulated treasury (see TREASURY_USAGE). */
export interface TreasuryCliOptions {
  readonly settings: TreasurySettings;
  readonly groupId: string;
  readonly brokers: readonly string[];
  readonly topicNamespace: string | undefined;
  readonly help: boolean;
}

/** The subcommand that runs the simulated treasury instead of publishing a market. */
export const TREASURY_COMMAND = 'treasury';

export const USAGE = `Usage: npm run simulate -- [flags]
       npm run simulate -- treasury [flags]   (the simulated treasury; treasury --help)

Simulates a seeded marketplace and publishes its order, warehouse and logistics events
to Kafka (or writes them as JSON lines).

  --seed <text>          the same seed gives exactly the same events (default: lendstream)
  --merchants <n>        merchants to simulate, 1-${MARKET_LIMITS.merchantsMax} (default: 50)
  --days <n>             days to simulate, 1-${MARKET_LIMITS.daysMax} (default: 90)
  --start <date>         first day, a UTC date (default: 2026-08-01)
  --rate <events/s>      publishing rate; 0 = as fast as possible (default: 0)
  --scale <x>            multiplies every merchant's daily orders (default: 1)
  --late-share <x>       share of events delivered up to 48 h late, 0-${MARKET_LIMITS.lateEventShareMax} (default: 0)
  --out <file|->         write {topic,key,value} JSON lines to a file or stdout instead of Kafka
  --brokers <h:p,...>    Kafka brokers (default: $KAFKA_BROKERS or 127.0.0.1:9092)
  --namespace <name>     publish to <name>.<topic> (default: $KAFKA_TOPIC_NAMESPACE, none)
  --help                 this text`;

export const TREASURY_USAGE = `Usage: npm run simulate -- treasury [flags]

Runs the simulated treasury until Ctrl-C: consumes disbursement.requested from
scf.disbursements.v1 and, a delay after each request arrived, publishes disbursement.settled
or disbursement.failed on scf.treasury.v1. The same seed gives a request the same answer
and the same event id, however often it is delivered.

  --delay-ms <ms>        delay before each confirmation, 0-${TREASURY_LIMITS.delayMsMax} (default: ${DEFAULT_TREASURY_SETTINGS.delayMs})
  --fail-share <x>       share of requests that fail, 0-1, at most four decimals (default: ${DEFAULT_TREASURY_SETTINGS.failShareBps / 10_000})
  --seed <text>          decides which requests fail, and why (default: ${DEFAULT_TREASURY_SETTINGS.seed})
  --group <id>           consumer group (default: ${defaultTreasuryGroupId(undefined)}, prefixed by the namespace)
  --brokers <h:p,...>    Kafka brokers (default: $KAFKA_BROKERS or 127.0.0.1:9092)
  --namespace <name>     consume and publish <name>.<topic> (default: $KAFKA_TOPIC_NAMESPACE, none)
  --help                 this text`;

const DEFAULTS = {
  seed: 'lendstream',
  merchants: '50',
  days: '90',
  start: '2026-08-01',
  rate: '0',
  scale: '1',
  lateShare: '0',
  brokers: '127.0.0.1:9092',
} as const;

const WHOLE_NUMBER = /^\d+$/;
const GROUP_ID = /^[A-Za-z0-9._-]{1,255}$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const BROKER = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;
const NAMESPACE = /^[A-Za-z0-9._-]{1,100}$/;
const SERVICE_NAMESPACE = /^[A-Za-z0-9_-]{1,100}$/;

const OPTIONS = {
  seed: { type: 'string' },
  merchants: { type: 'string' },
  days: { type: 'string' },
  start: { type: 'string' },
  rate: { type: 'string' },
  scale: { type: 'string' },
  'late-share': { type: 'string' },
  out: { type: 'string' },
  brokers: { type: 'string' },
  namespace: { type: 'string' },
  help: { type: 'boolean' },
} as const;

const TREASURY_OPTIONS = {
  'delay-ms': { type: 'string' },
  'fail-share': { type: 'string' },
  seed: { type: 'string' },
  group: { type: 'string' },
  brokers: { type: 'string' },
  namespace: { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** node's parseArgs errors are long; keep one line that names the flag. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${flag ?? message}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${flag ?? 'a flag'} needs a value`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return `unexpected argument ${message.split("'")[1] ?? ''}`.trim();
  return message.split('\n')[0];
}

interface Connection {
  readonly brokers: readonly string[];
  readonly topicNamespace: string | undefined;
}

/** --brokers and --namespace, falling back on KAFKA_BROKERS and KAFKA_TOPIC_NAMESPACE. */
function parseConnection(
  values: { readonly brokers?: string; readonly namespace?: string },
  env: NodeJS.ProcessEnv,
): Result<Connection, string> {
  const brokerList = values.brokers ?? (env.KAFKA_BROKERS?.trim() || DEFAULTS.brokers);
  const brokers = brokerList.split(',').map((broker) => broker.trim());
  const badBroker = brokers.find((broker) => !BROKER.test(broker));
  if (badBroker !== undefined)
    return err(`--brokers must be a comma-separated list of host:port, got "${badBroker}"`);
  const topicNamespace = values.namespace ?? (env.KAFKA_TOPIC_NAMESPACE?.trim() || undefined);
  if (topicNamespace !== undefined && !NAMESPACE.test(topicNamespace)) {
    return err(`--namespace must be 1-100 characters of A-Z a-z 0-9 . _ -, got "${topicNamespace}"`);
  }
  return ok({ brokers, topicNamespace });
}

const number = (flag: string, raw: string, pattern: RegExp, what: string): Result<number, string> =>
  pattern.test(raw) ? ok(Number(raw)) : err(`--${flag} must be ${what}, got "${raw}"`);

/**
 * Reads the CLI flags into options; `env` supplies KAFKA_BROKERS and KAFKA_TOPIC_NAMESPACE.
 * The error is one line naming the offending flag.
 */
export function parseCliArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Result<CliOptions, string> {
  let values: ReturnType<
    typeof parseArgs<{ options: typeof OPTIONS; args: string[]; strict: true }>
  >['values'];
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    return err(describeParseError(error));
  }

  const merchants = number(
    'merchants',
    values.merchants ?? DEFAULTS.merchants,
    WHOLE_NUMBER,
    'a whole number',
  );
  if (!merchants.ok) return merchants;
  const days = number('days', values.days ?? DEFAULTS.days, WHOLE_NUMBER, 'a whole number');
  if (!days.ok) return days;
  const rate = number('rate', values.rate ?? DEFAULTS.rate, DECIMAL, 'a number of events per second >= 0');
  if (!rate.ok) return rate;
  const scale = number('scale', values.scale ?? DEFAULTS.scale, DECIMAL, 'a positive number');
  if (!scale.ok) return scale;
  const lateShare = number(
    'late-share',
    values['late-share'] ?? DEFAULTS.lateShare,
    DECIMAL,
    'a share from 0 to 0.5',
  );
  if (!lateShare.ok) return lateShare;
  const start = values.start ?? DEFAULTS.start;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start))
    return err(`--start must be a date such as 2026-08-01, got "${start}"`);

  const connection = parseConnection(values, env);
  if (!connection.ok) return connection;
  const { brokers, topicNamespace } = connection.value;
  if (values.out === '') return err('--out needs a file name, or - for stdout');

  const market: MarketConfig = {
    seed: values.seed ?? DEFAULTS.seed,
    merchants: merchants.value,
    days: days.value,
    start,
    ordersPerDayScale: scale.value,
    lateEventShare: lateShare.value,
  };
  // The simulation checks its own limits; map its field names back to the flags.
  const resolved = resolveMarketConfig(market);
  if (!resolved.ok) return err(`--${flagOf(resolved.error, FLAG_OF_FIELD)}`);

  return ok({
    market,
    rate: rate.value,
    out: values.out,
    brokers,
    topicNamespace,
    help: values.help ?? false,
  });
}

const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  seed: 'seed',
  merchants: 'merchants',
  days: 'days',
  start: 'start',
  ordersPerDayScale: 'scale',
  lateEventShare: 'late-share',
};

/** `merchants: must be ...` → `merchants must be ...`, with the field renamed to its flag. */
function flagOf(error: string, flagOfField: Readonly<Record<string, string>>): string {
  const [field, ...rest] = error.split(': ');
  return `${flagOfField[field] ?? field} ${rest.join(': ')}`;
}

const FLAG_OF_TREASURY_FIELD: Readonly<Record<string, string>> = {
  delayMs: 'delay-ms',
  failShareBps: 'fail-share',
  seed: 'seed',
};

/**
 * Reads the `treasury` subcommand's flags (what follows `treasury`); `env` supplies
 * KAFKA_BROKERS and KAFKA_TOPIC_NAMESPACE. The error is one line naming the offending flag.
 */
export function parseTreasuryArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Result<TreasuryCliOptions, string> {
  let values: ReturnType<
    typeof parseArgs<{ options: typeof TREASURY_OPTIONS; args: string[]; strict: true }>
  >['values'];
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: TREASURY_OPTIONS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return err(describeParseError(error));
  }

  const delayMs = number(
    'delay-ms',
    values['delay-ms'] ?? String(DEFAULT_TREASURY_SETTINGS.delayMs),
    WHOLE_NUMBER,
    'a whole number of milliseconds',
  );
  if (!delayMs.ok) return delayMs;
  let failShareBps = DEFAULT_TREASURY_SETTINGS.failShareBps;
  if (values['fail-share'] !== undefined) {
    const share = parseShareAsBps(values['fail-share']);
    if (!share.ok) return err(`--fail-share ${share.error}`);
    failShareBps = share.value;
  }
  const settings = checkTreasurySettings({
    delayMs: delayMs.value,
    failShareBps,
    seed: values.seed ?? DEFAULT_TREASURY_SETTINGS.seed,
  });
  // The settings check their own limits; map their field names back to the flags.
  if (!settings.ok) return err(`--${flagOf(settings.error, FLAG_OF_TREASURY_FIELD)}`);

  const connection = parseConnection(values, env);
  if (!connection.ok) return connection;
  const { brokers, topicNamespace } = connection.value;
  // The treasury talks to Lendstream's services, whose namespaces cannot hold a dot.
  if (topicNamespace !== undefined && !SERVICE_NAMESPACE.test(topicNamespace)) {
    return err(
      `--namespace must be 1-100 characters of A-Z a-z 0-9 _ - for the treasury, got "${topicNamespace}"`,
    );
  }
  const groupId = values.group ?? defaultTreasuryGroupId(topicNamespace);
  if (!GROUP_ID.test(groupId)) {
    return err(`--group must be 1-255 characters of A-Z a-z 0-9 . _ -, got "${groupId}"`);
  }
  return ok({ settings: settings.value, groupId, brokers, topicNamespace, help: values.help ?? false });
}
