/**
 * One structured log line: a JSON object on one line with `time`, `level`, `service`,
 * `context` (the component), `message`, then the entry's own fields (the event id, topic,
 * partition and offset of a Kafka record; the request id of an HTTP request). Pure.
 */
export const LOG_LINE_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLineLevel = (typeof LOG_LINE_LEVELS)[number];

export interface LogEntry {
  readonly time: Date;
  readonly level: LogLineLevel;
  readonly service: string;
  readonly context?: string;
  readonly message: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** The keys every line has; an entry's field of the same name goes under `fields` instead. */
const CORE_KEYS: ReadonlySet<string> = new Set(['time', 'level', 'service', 'context', 'message']);

/** Longest line written; a bigger entry is cut (and says so) rather than flooding the log pipeline. */
export const LOG_LINE_MAX_CHARS = 32_768;

export function formatLogLine(entry: LogEntry): string {
  const line: Record<string, unknown> = {
    time: entry.time.toISOString(),
    level: entry.level,
    service: entry.service,
  };
  if (entry.context !== undefined && entry.context !== '') line.context = entry.context;
  line.message = entry.message;
  const clashing: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry.fields ?? {})) {
    if (value === undefined) continue;
    if (CORE_KEYS.has(key)) clashing[key] = value;
    else line[key] = value;
  }
  if (Object.keys(clashing).length > 0) line.fields = clashing;
  const text = safeStringify(line);
  if (text.length <= LOG_LINE_MAX_CHARS) return text;
  return safeStringify({
    time: line.time,
    level: line.level,
    service: line.service,
    context: line.context,
    message: entry.message.slice(0, 4_096),
    truncated: `the entry was ${text.length} characters; its fields were dropped`,
  });
}

/** JSON.stringify that survives bigint, Error and cycles (a log line must never throw). */
export function safeStringify(value: unknown): string {
  const ancestors: object[] = [];
  return JSON.stringify(value, function replacer(this: unknown, _key: string, current: unknown): unknown {
    if (typeof current === 'bigint') return current.toString();
    if (typeof current !== 'object' || current === null) return current;
    // `this` is the object holding `current`: leave the branches we are done with, then look for a cycle.
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(current)) return '[Circular]';
    const written =
      current instanceof Error
        ? { name: current.name, message: current.message, stack: current.stack }
        : current;
    ancestors.push(written);
    return written;
  });
}
