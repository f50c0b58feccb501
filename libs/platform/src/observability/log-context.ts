import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Fields every log line written while handling one request carries (its request id), without
 * passing them down by hand: the HTTP middleware runs the rest of the request inside a context,
 * and the JSON logger adds its fields to each line. The fields are read when a line is written
 * (a function), because the request id is assigned by a middleware that runs after the one that
 * opens the context.
 */
export type LogContextFields = () => Readonly<Record<string, unknown>>;

const storage = new AsyncLocalStorage<LogContextFields>();

export function runWithLogContext<T>(fields: LogContextFields, work: () => T): T {
  return storage.run(fields, work);
}

/** The current context's fields; none outside one. */
export function currentLogContext(): Readonly<Record<string, unknown>> {
  const fields = storage.getStore();
  return fields === undefined ? {} : fields();
}
