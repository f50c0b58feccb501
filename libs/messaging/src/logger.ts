/**
 * The small logger the messaging plumbing writes to. Apps hand in their own (a Nest logger,
 * pino); the plumbing never decides where lines go. kafkajs's own chatter is routed here
 * too, filtered by a level of its own (see `KafkaLogLevel`), so it stays quiet by default.
 */
export type LogFields = Readonly<Record<string, unknown>>;

export interface MessagingLogger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
}

export const LOG_LEVELS = ['nothing', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How many of kafkajs's own log lines reach the logger; `error` by default (quiet). */
export type KafkaLogLevel = LogLevel;

const SEVERITY: Record<LogLevel, number> = { nothing: 0, error: 1, warn: 2, info: 3, debug: 4 };

/** Whether a line at `level` passes a threshold of `threshold`. */
export const isLogLevelEnabled = (level: Exclude<LogLevel, 'nothing'>, threshold: LogLevel): boolean =>
  SEVERITY[level] <= SEVERITY[threshold];

export const silentLogger: MessagingLogger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

/**
 * One JSON line per entry on stderr, for scripts and tests that have no logger of their own.
 * `write` is injectable so that tests can capture the lines.
 */
export function createConsoleLogger(
  threshold: LogLevel = 'warn',
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): MessagingLogger {
  const at =
    (level: Exclude<LogLevel, 'nothing'>) =>
    (message: string, fields?: LogFields): void => {
      if (!isLogLevelEnabled(level, threshold)) return;
      write(JSON.stringify({ level, time: new Date().toISOString(), message, ...fields }, jsonSafe));
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** bigint and Error do not survive JSON.stringify on their own. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
