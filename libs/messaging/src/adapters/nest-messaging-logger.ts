import { Logger } from '@nestjs/common';
import type { LogFields, MessagingLogger } from '../logger';

/** The messaging plumbing's lines through Nest's logger, so they follow the app's logger setup. */
export function createNestMessagingLogger(context: string): MessagingLogger {
  const logger = new Logger(context);
  const line = (message: string, fields?: LogFields): string =>
    fields === undefined || Object.keys(fields).length === 0 ? message : `${message} ${safeJson(fields)}`;
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
