/**
 * Publishes one event by hand: `npm run publish -- <topic> <merchantId> '<cloudevent json>'`
 * (or the JSON on standard input). The event is checked against the contract first and
 * refused with the reason a consumer would give; `--force` publishes it anyway, to watch it
 * land on the dead-letter queue.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CLOUDEVENTS_CONTENT_TYPE, decodeEvent } from '@lendstream/contracts';
import { KafkaEventProducer } from '@lendstream/messaging';
import { loadPlatformEnv } from '@lendstream/platform';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false } },
  });
  const [topic, key, inline] = positionals;
  if (topic === undefined || key === undefined) {
    console.error("usage: npm run publish -- <topic> <merchantId> ['<cloudevent json>'] [--force]");
    return 2;
  }
  const value = inline ?? readFileSync(0, 'utf8');
  const decoded = decodeEvent({ topic, key, value });
  if (!decoded.ok) {
    console.error(
      `publish: the contract refuses this event: ${decoded.error.reason} (${decoded.error.message})`,
    );
    if (!values.force) return 1;
    console.error('publish: --force: publishing it anyway; it will be dead-lettered');
  }
  const env = loadPlatformEnv();
  const producer = new KafkaEventProducer({ brokers: env.KAFKA_BROKERS, clientId: 'lendstream-publish' });
  await producer.connect();
  try {
    const [receipt] = await producer.publish(topic, [
      { key, value, headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE } },
    ]);
    console.log(
      `published to ${receipt!.topic} partition ${receipt!.partition} at offset ${receipt!.baseOffset}`,
    );
    return 0;
  } finally {
    await producer.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`publish: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
