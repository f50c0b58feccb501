import { ALL_TOPICS, namespacedTopic, TopicName, Topics } from '@lendstream/contracts';
import { MAX_SUBSCRIBED_TOPICS } from './batch-transport-options';

/** A contract topic a handler registered for, and its name on the broker. */
export interface TopicSubscription {
  readonly contractTopic: TopicName;
  readonly physicalTopic: string;
}

const CONTRACT_TOPICS: ReadonlySet<string> = new Set(ALL_TOPICS);

export const isContractTopic = (topic: string): topic is TopicName => CONTRACT_TOPICS.has(topic);

/**
 * The topics to subscribe to, from the topics handlers registered for. Handlers register
 * under contract names (`@EventPattern(Topics.orders)`), so the same code runs namespaced in
 * tests; anything else is a wiring mistake and stops the boot with a message that says so.
 */
export function planSubscriptions(
  registeredTopics: readonly string[],
  namespace: string | undefined,
): readonly TopicSubscription[] {
  if (registeredTopics.length === 0) {
    throw new Error(
      'No @EventPattern handler is registered: the Kafka batch transport has nothing to consume',
    );
  }
  if (registeredTopics.length > MAX_SUBSCRIBED_TOPICS) {
    throw new Error(
      `${registeredTopics.length} topics have handlers; one consumer group takes at most ${MAX_SUBSCRIBED_TOPICS}`,
    );
  }
  return registeredTopics.map((topic) => {
    if (!isContractTopic(topic)) {
      throw new Error(
        `"${topic}" is not a contract topic: register handlers with @EventPattern(Topics.<name>)`,
      );
    }
    if (topic === Topics.deadLetters) {
      // Its records are by definition undecodable: consuming them here would dead-letter them again, forever.
      throw new Error(`${Topics.deadLetters} cannot be consumed by the batch transport`);
    }
    return { contractTopic: topic, physicalTopic: namespacedTopic(topic, namespace) };
  });
}
