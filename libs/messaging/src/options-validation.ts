import { z } from 'zod';

/**
 * Shared pieces of the messaging options' schemas. Every number has a floor, a ceiling and
 * a default (STYLE.md: a limit on everything), and a bad option names itself in the error
 * at construction, before anything connects.
 */
export class InvalidMessagingOptionsError extends Error {
  constructor(
    readonly subject: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid ${subject} options: ${problems.join('; ')}`);
    this.name = 'InvalidMessagingOptionsError';
  }
}

export const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const boundedRatio = z
  .number({ error: 'must be a number' })
  .min(0, 'must be at least 0')
  .max(1, 'must be at most 1');

const hostAndPort = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;

/** More brokers than this in a bootstrap list is a mistake, not a cluster. */
export const MAX_BOOTSTRAP_BROKERS = 64;

export const brokerList = z
  .array(z.string().regex(hostAndPort, 'must be host:port'), { error: 'must be a list of host:port' })
  .min(1, 'must name at least one broker')
  .max(MAX_BOOTSTRAP_BROKERS, `must name at most ${MAX_BOOTSTRAP_BROKERS} brokers`);

/** Kafka's own rule for client and group ids is looser; this one keeps logs and metrics readable. */
export const identifier = (maxLength: number) =>
  z
    .string({ error: 'must be a string' })
    .regex(/^[A-Za-z0-9._-]+$/, 'must be letters, digits, ".", "_" or "-"')
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`);

/** A topic namespace (`<namespace>.<topic>`); Kafka caps topic names at 249 characters. */
export const topicNamespace = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be 1-100 letters, digits, "_" or "-"');

export const kafkaLogLevel = z.enum(['nothing', 'error', 'warn', 'info', 'debug'], {
  error: 'must be one of nothing, error, warn, info, debug',
});

/** Parses `input` with `schema`, or throws naming every bad option by its path. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidMessagingOptionsError(
    subject,
    result.error.issues.map(
      (issue) => `${issue.path.map(String).join('.') || '(options)'}: ${issue.message}`,
    ),
  );
}
