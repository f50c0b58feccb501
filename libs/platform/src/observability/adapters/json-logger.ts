import type { LoggerService, LogLevel } from '@nestjs/common';
import { NEST_LOG_LEVELS, type NestLogLevel } from '../../config/env-fields';
import { currentLogContext } from '../log-context';
import { formatLogLine, LogLineLevel } from '../log-line';

/**
 * Nest's LoggerService as JSON lines on stdout, one object per line (log-line.ts), for every
 * app: Nest's own lines, the apps' `new Logger(...)` lines and the messaging plumbing's, whose
 * fields (event id, topic, partition, offset) become properties of the line.
 *
 * Hand-written rather than pino: a line is a synchronous write of one JSON.stringify (pino's
 * asynchronous buffering could lose the last lines when main.ts exits after a fatal boot
 * error), Nest's argument conventions need adapting either way, and it is one dependency less.
 */
export interface JsonLoggerOptions {
  /** The `service` of every line: `api`, `profiler`, `underwriter`, `lending`. */
  readonly service: string;
  /** Nest's levels enabled (from LOG_LEVEL); info and above by default. */
  readonly levels?: readonly NestLogLevel[];
  readonly write?: (line: string) => void;
  readonly clock?: () => Date;
}

const LINE_LEVEL: Record<NestLogLevel, LogLineLevel> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

export class JsonLogger implements LoggerService {
  private enabled: ReadonlySet<string>;
  private readonly write: (line: string) => void;
  private readonly clock: () => Date;

  constructor(private readonly options: JsonLoggerOptions) {
    this.enabled = new Set(options.levels ?? NEST_LOG_LEVELS.info!);
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.clock = options.clock ?? (() => new Date());
  }

  /** A logger for a process before its configuration is read: LOG_LEVEL taken leniently. */
  static forProcess(service: string, logLevel: string | undefined = process.env.LOG_LEVEL): JsonLogger {
    return new JsonLogger({ service, levels: NEST_LOG_LEVELS[logLevel ?? 'info'] ?? NEST_LOG_LEVELS.info });
  }

  log(message: unknown, ...params: unknown[]): void {
    this.entry('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.entry('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.entry('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.entry('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.entry('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.entry('fatal', message, params);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.enabled = new Set(levels);
  }

  private entry(level: NestLogLevel, message: unknown, params: readonly unknown[]): void {
    if (!this.enabled.has(level)) return;
    try {
      const { context, fields: paramFields } = splitParams(level, params);
      const { text, fields: messageFields } = readMessage(message);
      this.write(
        formatLogLine({
          time: this.clock(),
          level: LINE_LEVEL[level],
          service: this.options.service,
          context,
          message: text,
          fields: { ...currentLogContext(), ...messageFields, ...paramFields },
        }),
      );
    } catch (error) {
      // Logging must never take a request or a batch down with it.
      this.write(
        JSON.stringify({
          time: this.clock().toISOString(),
          level: 'error',
          service: this.options.service,
          message: `A log line could not be written: ${error instanceof Error ? error.message : String(error)}`,
        }),
      );
    }
  }
}

/**
 * Nest's conventions: `new Logger(context)` appends its context as the last argument; `error`
 * takes a stack (several lines) before it; anything else is data. A message is a string, a lazy message (a
 * function, perhaps carrying `logText` and `logFields`: libs/messaging's structured lines), an
 * Error, or an object.
 */
function readMessage(message: unknown): { text: string; fields: Record<string, unknown> } {
  if (typeof message === 'function') {
    const structured = message as { logText?: unknown; logFields?: unknown };
    if (typeof structured.logText === 'string')
      return {
        text: structured.logText,
        fields:
          typeof structured.logFields === 'object' && structured.logFields !== null
            ? { ...(structured.logFields as Record<string, unknown>) }
            : {},
      };
    return readMessage((message as () => unknown)());
  }
  if (typeof message === 'string') return { text: message, fields: {} };
  if (message instanceof Error) return { text: message.message, fields: { error: message } };
  if (typeof message === 'object' && message !== null) {
    const { message: text, ...rest } = message as Record<string, unknown>;
    return typeof text === 'string' ? { text, fields: rest } : { text: '', fields: { data: message } };
  }
  return { text: String(message), fields: {} };
}

function splitParams(
  level: NestLogLevel,
  params: readonly unknown[],
): { context: string | undefined; fields: Record<string, unknown> } {
  const rest = [...params];
  const last = rest[rest.length - 1];
  // A context is one line; a stack never is.
  const context = typeof last === 'string' && !last.includes('\n') ? (rest.pop() as string) : undefined;
  const fields: Record<string, unknown> = {};
  const extra: unknown[] = [];
  for (const param of rest) {
    if (typeof param === 'string' && isErrorLevel(level)) fields.stack = param;
    else if (param instanceof Error) fields.error = param;
    else if (typeof param === 'object' && param !== null && !Array.isArray(param))
      Object.assign(fields, param);
    else if (param !== undefined) extra.push(param);
  }
  if (extra.length > 0) fields.params = extra;
  return { context, fields };
}

const isErrorLevel = (level: NestLogLevel): boolean => level === 'error' || level === 'fatal';
