/** Log lines and dead-letter headers carry error text, so it is capped: a limit on everything. */
export const MAX_ERROR_DESCRIPTION_LENGTH = 1024;

/**
 * A one-line description of anything thrown. Nest's RPC exception filter turns a handler's
 * error into a plain `{ status, message }` object, so objects with a `message` count too.
 */
export function describeError(error: unknown): string {
  let text: string;
  if (error instanceof Error) text = error.message ? `${error.name}: ${error.message}` : error.name;
  else if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  ) {
    text = (error as { message: string }).message;
  } else text = String(error);
  return truncate(text, MAX_ERROR_DESCRIPTION_LENGTH);
}

export function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}
