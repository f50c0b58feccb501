/**
 * A failure the developer can act on. Its message is ONE line that says what is wrong and
 * how to fix it; the CLI prints it without a stack trace.
 */
export class StackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0)
    return error.errors.map(errorMessage).join('; ');
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
