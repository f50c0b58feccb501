import { topicOf, type ProfileInputEvent, type TopicName } from '@lendstream/contracts';
import type { ProfileBatch } from '@lendstream/profile';

/**
 * Turns a list of events into per-topic batches with increasing offsets, the way Kafka would
 * deliver them (one partition per topic), so tests can feed the store like the transport does.
 */
export class TopicLog {
  private readonly nextOffset = new Map<string, number>();

  constructor(private readonly namespace = '') {}

  topic(contractTopic: TopicName): string {
    return this.namespace ? `${this.namespace}.${contractTopic}` : contractTopic;
  }

  /** Appends events to their topics; consecutive events of one topic share a batch. */
  append(events: readonly ProfileInputEvent[], partition = 0): ProfileBatch[] {
    const batches: {
      topic: string;
      partition: number;
      messages: { offset: string; event: ProfileInputEvent }[];
    }[] = [];
    for (const event of events) {
      const topic = this.topic(topicOf(event.type));
      const offset = this.nextOffset.get(topic) ?? 0;
      this.nextOffset.set(topic, offset + 1);
      const last = batches[batches.length - 1];
      if (last && last.topic === topic) last.messages.push({ offset: String(offset), event });
      else batches.push({ topic, partition, messages: [{ offset: String(offset), event }] });
    }
    return batches;
  }

  /** The same message again at a given offset (a redelivery when the offset was applied already). */
  at(event: ProfileInputEvent, offset: number, partition = 0): ProfileBatch {
    return {
      topic: this.topic(topicOf(event.type)),
      partition,
      messages: [{ offset: String(offset), event }],
    };
  }
}
