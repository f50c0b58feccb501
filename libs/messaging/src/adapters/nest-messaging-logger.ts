import { Logger } from '@nestjs/common';
import type { LogFields, MessagingLogger } from '../logger';

/**
 * A Nest log message that carries its fields as data. It is a lazy message (a function): Nest's
 * ConsoleLogger calls it and prints the text it returns, `message {"topic":…}` as before, while a
 * structured logger (the platform's JsonLogger) reads `logText` and `logFields` and writes the
 * fields as JSON properties of the line, so `eventId`, `topic`, `partition` and `offset` can be
 * searched, not grepped.
 */
export interface StructuredLogMessage {
  (): string;
  readonly logText: string;
  readonly logFields: LogFields;
}

export function structuredLogMessage(text: string, fields: LogFields): StructuredLogMessage {
  return Object.assign(() => `${text} ${safeJson(fields)}`, { logText: text, logFields: fields });
}

/** The messaging plumbing's lines through Nest's logger, so they follow the app's logger setup. */
export function createNestMessagingLogger(context: string): MessagingLogger {
  const logger = new Logger(context);
  const line = (message: string, fields?: LogFields): string | StructuredLogMessage =>
    fields === undefined || Object.keys(fields).length === 0
      ? message
      : structuredLogMessage(message, fields);
  return {
    error: (message, fields) => logger.error(line(message, fields)),
    warn: (message, fields) => logger.warn(line(message, fields)),
    info: (message, fields) => logger.log(line(message, fields)),
    debug: (message, fields) => logger.debug(line(message, fields)),
  };
}

function safeJson(fields: LogFields): string {
  try {
    return JSON.stringify(fields, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
  } catch {
    return '{"fields":"unserialisable"}';
  }
}
