import { isTopicOf, topicOf, Topics, type ProfileInputType, type TopicName } from '@lendstream/contracts';
import { PROFILE_SOURCES, ProfileSource } from './profile-state';

/** The contract topic each profile source is read from. */
export const PROFILE_SOURCE_TOPICS: Readonly<Record<ProfileSource, TopicName>> = {
  orders: Topics.orders,
  warehouse: Topics.warehouse,
  logistics: Topics.logistics,
};

/** Which input stream a (possibly namespaced) topic is, or null when it does not feed the profile. */
export function profileSourceOfTopic(topic: string): ProfileSource | null {
  return PROFILE_SOURCES.find((source) => isTopicOf(topic, PROFILE_SOURCE_TOPICS[source])) ?? null;
}

/** Whether an event type is one the given stream carries. */
export const isTypeOfSource = (type: ProfileInputType, source: ProfileSource): boolean =>
  topicOf(type) === PROFILE_SOURCE_TOPICS[source];
