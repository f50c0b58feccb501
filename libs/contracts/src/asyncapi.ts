import { z } from 'zod';
import { EVENT_CATALOG, EventType } from './events';
import { INPUT_TOPICS, Topics } from './topics';
import { DeadLetterHeaders } from './dead-letter-reason';

/**
 * Builds the AsyncAPI 3.0 document of the Kafka contract from the schemas in this library,
 * so the published document can never drift from what the code accepts and emits.
 * Deterministic (no timestamps) so CI can compare it with the checked-in copy.
 */
export function buildAsyncApiDocument(version: string): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const topics = [...new Set(Object.values(EVENT_CATALOG).map((entry) => entry.topic))];

  const envelopeSchema = (type: EventType) => ({
    type: 'object',
    required: ['specversion', 'id', 'source', 'type', 'time', 'subject', 'data'],
    properties: {
      specversion: { const: '1.0' },
      id: { type: 'string', description: 'Unique per source; (source, id) is the idempotency key.' },
      source: { type: 'string', format: 'uri-reference' },
      type: { const: type },
      time: { type: 'string', format: 'date-time', description: 'Event time; windows are computed on it.' },
      subject: { type: 'string', description: 'Equals data.merchantId.' },
      datacontenttype: { const: 'application/json' },
      data: z.toJSONSchema(EVENT_CATALOG[type].data, {
        io: 'input',
        unrepresentable: 'any',
        target: 'draft-2020-12',
      }),
    },
  });

  for (const type of Object.keys(EVENT_CATALOG).sort() as EventType[]) {
    const messageName = type.replace(/[.-]/g, '_');
    messages[messageName] = {
      name: type,
      title: type,
      summary: EVENT_CATALOG[type].summary,
      contentType: 'application/cloudevents+json',
      correlationId: { location: '$message.payload#/id' },
      bindings: { kafka: { key: { type: 'string', description: 'The merchantId.' } } },
      payload: envelopeSchema(type),
    };
  }

  for (const topic of topics.sort()) {
    const types = (Object.keys(EVENT_CATALOG) as EventType[])
      .filter((type) => EVENT_CATALOG[type].topic === topic)
      .sort();
    const channelId = topic.replace(/[.-]/g, '_');
    channels[channelId] = {
      address: topic,
      messages: Object.fromEntries(
        types.map((type) => {
          const name = type.replace(/[.-]/g, '_');
          return [name, { $ref: `#/components/messages/${name}` }];
        }),
      ),
    };
    const consumed = (INPUT_TOPICS as readonly string[]).includes(topic) || topic === Topics.profileChanged;
    operations[`${consumed ? 'consume' : 'publish'}_${channelId}`] = {
      action: consumed ? 'receive' : 'send',
      channel: { $ref: `#/channels/${channelId}` },
    };
  }

  channels[Topics.deadLetters.replace(/[.-]/g, '_')] = {
    address: Topics.deadLetters,
    description:
      'Inputs that cannot be processed, with the original key and value untouched and these headers: ' +
      Object.values(DeadLetterHeaders).join(', ') +
      '.',
    messages: { dead_letter: { $ref: '#/components/messages/dead_letter' } },
  };
  messages.dead_letter = {
    name: 'dead-letter',
    summary: 'The original message, byte for byte.',
    headers: {
      type: 'object',
      required: Object.values(DeadLetterHeaders),
      properties: Object.fromEntries(
        Object.values(DeadLetterHeaders).map((header) => [header, { type: 'string' }]),
      ),
    },
    payload: {},
  };
  operations.publish_scf_dlq_v1 = { action: 'send', channel: { $ref: '#/channels/scf_dlq_v1' } };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Lendstream Kafka contract',
      version,
      description: 'Generated from libs/contracts by `npm run asyncapi`. Do not edit by hand.',
    },
    defaultContentType: 'application/cloudevents+json',
    channels,
    operations,
    components: { messages },
  };
}
