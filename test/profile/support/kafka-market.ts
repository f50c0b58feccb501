import {
  CLOUDEVENTS_CONTENT_TYPE,
  encodeEvent,
  TopicName,
  Topics,
  type CloudEvent,
} from '@lendstream/contracts';
import { KafkaTestKit } from '../../support/kafka-helpers';

/** The topics the profiler needs in a test namespace: its inputs, the dead letters and its signals. */
export const PROFILER_TEST_TOPICS: readonly TopicName[] = [
  Topics.orders,
  Topics.warehouse,
  Topics.logistics,
  Topics.deadLetters,
  Topics.profileChanged,
];
export const PROFILE_INPUT_TOPICS: readonly TopicName[] = [Topics.orders, Topics.warehouse, Topics.logistics];

const MESSAGES_PER_SEND = 500;

/** Produces events as the platform would (key = merchant, structured CloudEvents), many per request. */
export async function produceInBulk(
  kit: KafkaTestKit,
  events: readonly { topic: TopicName; event: CloudEvent }[],
): Promise<void> {
  const producer = kit.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const byTopic = new Map<TopicName, CloudEvent[]>();
    for (const { topic, event } of events) byTopic.set(topic, [...(byTopic.get(topic) ?? []), event]);
    for (const [topic, topicEvents] of byTopic) {
      for (let from = 0; from < topicEvents.length; from += MESSAGES_PER_SEND) {
        await producer.send({
          topic: kit.topic(topic),
          acks: -1,
          messages: topicEvents.slice(from, from + MESSAGES_PER_SEND).map((event) => ({
            key: event.subject,
            value: encodeEvent(event),
            headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
          })),
        });
      }
    }
  } finally {
    await producer.disconnect();
  }
}

/** Whether `groupId` has committed past the end of every partition of the given topics. */
export async function hasCaughtUp(
  kit: KafkaTestKit,
  groupId: string,
  topics: readonly TopicName[],
): Promise<boolean> {
  for (const topic of topics) {
    const ends = await kit.admin.fetchTopicOffsets(kit.topic(topic));
    const committed = await kit.committedOffsets(groupId, topic);
    for (const end of ends) {
      if (end.high === end.low) continue;
      if (BigInt(committed.get(end.partition) ?? '-1') < BigInt(end.high)) return false;
    }
  }
  return true;
}
