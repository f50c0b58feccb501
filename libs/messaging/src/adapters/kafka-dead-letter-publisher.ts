import { Producer } from 'kafkajs';
import type { DeadLetter } from '../dead-letter';
import type { DeadLetterSink } from '../partition-batch-processor';
import { ProduceLimits, produceInOrder } from './kafka-producer';

/**
 * Writes dead letters to the dead-letter topic and resolves only once all in-sync replicas
 * have them: the consumer commits past a bad record only after this resolves, so a dead
 * letter is never lost. A failure rejects; the batch processor retries (it is transient).
 */
export class KafkaDeadLetterPublisher implements DeadLetterSink {
  constructor(
    private readonly producer: Producer,
    private readonly deadLetterTopic: string,
    private readonly limits: ProduceLimits,
  ) {}

  async send(deadLetters: readonly DeadLetter[]): Promise<void> {
    await produceInOrder(
      this.producer,
      this.deadLetterTopic,
      deadLetters.map((deadLetter) => deadLetter.message),
      this.limits,
    );
  }
}
