/**
 * The process environment, read once at boot and validated, so that a typo in a variable
 * stops the process before it connects to anything, with a message naming the variable.
 *
 * Every variable has a default that fits the local stack (`npm run stack -- up`), so a fresh
 * clone runs with no `.env`. An empty value counts as unset (a common artefact of
 * `FOO= cmd` and of compose files), so it also falls back to the default.
 *
 * Pure: no Nest, no I/O. Apps that need more variables extend `platformEnvShape` and call
 * `loadEnvWith` with their own schema.
 */
import { z } from 'zod';

export const ENV_DEFAULTS = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'info',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_PARTITIONS: 6,
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lendstream',
  REDIS_URL: 'redis://127.0.0.1:6379',
} as const;

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/** More partitions than this on one topic is a typo, not a plan (it costs broker memory). */
export const MAX_KAFKA_PARTITIONS = 1000;

/** Treats an empty string as "unset" so the default applies. */
const unsetIfEmpty = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * `prefault`, not `default`: zod 4's `default` returns the fallback as the output without
 * parsing it, while the fallbacks here are raw strings that must go through the same
 * transform as a value read from the environment (e.g. KAFKA_BROKERS into a list).
 */
const withDefault = <T extends z.ZodType>(schema: T, fallback: string | number) =>
  z.preprocess(unsetIfEmpty, schema.prefault(fallback as never));

const hostPort = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;

const kafkaBrokerList = z.string().transform((raw, ctx) => {
  const brokers = raw
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  const malformed = brokers.filter((broker) => !hostPort.test(broker) || portOf(broker) > 65535);
  if (brokers.length === 0 || malformed.length > 0) {
    ctx.addIssue({ code: 'custom', message: 'expected a comma-separated list of host:port' });
    return z.NEVER;
  }
  return brokers;
});

const wholeNumber = (min: number, max: number) =>
  z.union([z.string(), z.number()]).transform((raw, ctx) => {
    const text = String(raw).trim();
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return value;
  });

const urlWithProtocol = (protocols: readonly string[]) =>
  z.string().refine(
    (raw) => {
      try {
        const url = new URL(raw);
        return protocols.includes(url.protocol) && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { error: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** The variables every Lendstream process reads. Spread into an app's own z.object to extend. */
export const platformEnvShape = {
  NODE_ENV: withDefault(
    z.enum(NODE_ENVS, { error: `expected one of ${NODE_ENVS.join(', ')}` }),
    ENV_DEFAULTS.NODE_ENV,
  ),
  LOG_LEVEL: withDefault(
    z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }),
    ENV_DEFAULTS.LOG_LEVEL,
  ),
  KAFKA_BROKERS: withDefault(kafkaBrokerList, ENV_DEFAULTS.KAFKA_BROKERS),
  KAFKA_PARTITIONS: withDefault(wholeNumber(1, MAX_KAFKA_PARTITIONS), ENV_DEFAULTS.KAFKA_PARTITIONS),
  DATABASE_URL: withDefault(urlWithProtocol(['postgres:', 'postgresql:']), ENV_DEFAULTS.DATABASE_URL),
  REDIS_URL: withDefault(urlWithProtocol(['redis:', 'rediss:']), ENV_DEFAULTS.REDIS_URL),
};

export const platformEnvSchema = z.object(platformEnvShape);
export type PlatformEnv = z.output<typeof platformEnvSchema>;

export type EnvSource = Readonly<Record<string, string | undefined>>;

export interface EnvProblem {
  readonly variable: string;
  /** The offending value as given, with any URL password masked; undefined if unset. */
  readonly value: string | undefined;
  readonly problem: string;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: readonly EnvProblem[]) {
    super(
      `Invalid environment: ${problems
        .map(
          ({ variable, value, problem }) =>
            `${variable}${value === undefined ? '' : `=${JSON.stringify(value)}`}: ${problem}`,
        )
        .join('; ')}`,
    );
    this.name = 'InvalidEnvironmentError';
  }
}

/** Reads the platform's variables from `source` (process.env by default); throws InvalidEnvironmentError. */
export function loadPlatformEnv(source: EnvSource = process.env): PlatformEnv {
  return loadEnvWith(platformEnvSchema, source);
}

/** Same as loadPlatformEnv, for an app's schema that extends platformEnvShape. */
export function loadEnvWith<S extends z.ZodObject>(schema: S, source: EnvSource = process.env): z.output<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new InvalidEnvironmentError(
    result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '(environment)');
      const raw = source[variable];
      return {
        variable,
        value: raw === undefined ? undefined : maskUrlPassword(raw),
        problem: issue.message,
      };
    }),
  );
}

/** `postgres://user:secret@host` → `postgres://user:***@host`, so an error message never leaks a password. */
export function maskUrlPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, '$1:***@');
}

function portOf(hostAndPort: string): number {
  return Number(hostAndPort.slice(hostAndPort.lastIndexOf(':') + 1));
}
