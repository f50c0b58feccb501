import { CloudEvent, CLOUDEVENTS_CONTENT_TYPE, encodeEvent, topicOf } from '@lendstream/contracts';
import type { OutboundMessage } from './kafka-record';

/** The header every event carries (CONTRACT.md: structured-mode CloudEvents). */
export const CONTENT_TYPE_HEADER = 'content-type';

/** An event as a Kafka record: keyed by its subject (the merchant), so a merchant's events stay in order on one partition. */
export function eventToOutboundMessage(event: CloudEvent): OutboundMessage {
  return {
    key: event.subject,
    value: encodeEvent(event),
    headers: { [CONTENT_TYPE_HEADER]: CLOUDEVENTS_CONTENT_TYPE },
  };
}

/** Events grouped by the contract topic their type belongs to; topics in first-seen order, events in their given order. */
export function groupEventsByTopic(events: readonly CloudEvent[]): Map<string, OutboundMessage[]> {
  const byTopic = new Map<string, OutboundMessage[]>();
  for (const event of events) {
    const topic = topicOf(event.type);
    const messages = byTopic.get(topic) ?? [];
    messages.push(eventToOutboundMessage(event));
    byTopic.set(topic, messages);
  }
  return byTopic;
}
