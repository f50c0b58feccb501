import { z } from 'zod';

/**
 * Field builders that every app's environment schema shares, so that each variable reads
 * and fails the same way everywhere: an empty value means "unset", and a bad one names the
 * range it should be in.
 */

export const unsetIfEmpty = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** A whole number in [min, max], `fallback` when unset. */
export const wholeNumber = (min: number, max: number, fallback: number) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, `expected a whole number from ${min} to ${max}`)
      .transform(Number)
      .pipe(
        z
          .number()
          .min(min, `expected a whole number from ${min} to ${max}`)
          .max(max, `expected a whole number from ${min} to ${max}`),
      )
      .optional()
      .transform((value) => value ?? fallback),
  );

/** An optional string that must match `pattern`. */
export const optionalMatching = (pattern: RegExp, message: string) =>
  z.preprocess(unsetIfEmpty, z.string().regex(pattern, message).optional());

/** Nest's logger levels, spelled as Nest spells them (this library does not import Nest). */
export type NestLogLevel = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** The platform's LOG_LEVEL as the list of Nest levels it enables. */
export const NEST_LOG_LEVELS: Readonly<Record<string, readonly NestLogLevel[]>> = {
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};
