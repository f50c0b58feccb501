import { Kafka, logLevel as KafkaJsLogLevel, LogEntry } from 'kafkajs';
import { KafkaClientOptions, resolveKafkaClientOptions } from '../kafka-client-options';
import { KafkaLogLevel, MessagingLogger } from '../logger';

/**
 * The one place that builds a kafkajs client. Apps and libraries go through it (and through
 * KafkaEventProducer and KafkaBatchTransport), never through kafkajs itself, so that the
 * client library can be swapped (say, for @confluentinc/kafka-javascript) in one folder.
 */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const resolved = resolveKafkaClientOptions(options);
  return new Kafka({
    brokers: [...resolved.brokers],
    clientId: resolved.clientId,
    connectionTimeout: resolved.connectionTimeoutMs,
    requestTimeout: resolved.requestTimeoutMs,
    logLevel: toKafkaJsLevel(resolved.kafkaLogLevel),
    logCreator: () => (entry) => forwardKafkaJsLog(resolved.logger, entry),
  });
}

const KAFKAJS_LEVELS: Record<KafkaLogLevel, KafkaJsLogLevel> = {
  nothing: KafkaJsLogLevel.NOTHING,
  error: KafkaJsLogLevel.ERROR,
  warn: KafkaJsLogLevel.WARN,
  info: KafkaJsLogLevel.INFO,
  debug: KafkaJsLogLevel.DEBUG,
};

const toKafkaJsLevel = (level: KafkaLogLevel): KafkaJsLogLevel => KAFKAJS_LEVELS[level];

/** kafkajs has filtered by level already; this only maps its entry onto our logger. */
function forwardKafkaJsLog(logger: MessagingLogger, entry: LogEntry): void {
  const { message, timestamp: _timestamp, logger: _name, ...fields } = entry.log;
  const line = `kafkajs ${entry.namespace}: ${message}`;
  switch (entry.level) {
    case KafkaJsLogLevel.ERROR:
      return logger.error(line, fields);
    case KafkaJsLogLevel.WARN:
      return logger.warn(line, fields);
    case KafkaJsLogLevel.INFO:
      return logger.info(line, fields);
    default:
      return logger.debug(line, fields);
  }
}
