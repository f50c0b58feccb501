/**
 * Group members (`groupMembers`): kafkajs fetches again only once every batch of its last fetch
 * is processed, so within one member a stuck partition holds back the others; each member has
 * its own fetch loop, so with a member per partition the others move on. Both sides are shown,
 * so the test fails if the members ever shared a fetch loop again (or if kafkajs stopped waiting).
 */
import { encodeEvent, Topics } from '@lendstream/contracts';
import { KafkaBatchMembers } from '../../libs/messaging/src/adapters/kafka-batch-members';
import { resolveBatchTransportOptions } from '../../libs/messaging/src/batch-transport-options';
import type { InboundBatch } from '../../libs/messaging/src/inbound';
import { KafkaTestKit } from '../support/kafka-helpers';
import { orderPaid, sleep, testConsumerOptions } from './consumer-fixtures';

jest.setTimeout(90_000);

describe('group members (real broker)', () => {
  let kit: KafkaTestKit;
  let members: KafkaBatchMembers | undefined;

  beforeAll(async () => {
    kit = await KafkaTestKit.create('members', [Topics.orders, Topics.deadLetters], { partitions: 2 });
  });
  afterEach(async () => {
    await members?.stop();
    members = undefined;
  });
  afterAll(() => kit.cleanup());

  const produceTo = (partition: number, sequence: number) =>
    kit.produce(Topics.orders, [
      { key: `m-p${partition}`, value: encodeEvent(orderPaid(sequence, `m-p${partition}`)), partition },
    ]);

  /**
   * Partition 0's first batch blocks until released. Returns whether a record produced to
   * partition 1 after that batch started was handled while partition 0 was still stuck.
   */
  async function otherPartitionMovesWhileOneIsStuck(label: string, groupMembers: number): Promise<boolean> {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const handled: InboundBatch[] = [];
    let partitionZeroStarted = false;
    members = new KafkaBatchMembers(
      resolveBatchTransportOptions(
        testConsumerOptions(kit, label, { groupMembers, partitionsConsumedConcurrently: 2 }),
      ),
      [
        {
          topic: Topics.orders,
          handler: async (batch) => {
            if (batch.partition === 0 && !partitionZeroStarted) {
              partitionZeroStarted = true;
              await stuck;
            }
            handled.push(batch);
          },
        },
      ],
    );
    // Both first records before the start, so that one member's first fetch holds both.
    const sequence = 1_000 * groupMembers;
    await produceTo(0, sequence);
    await produceTo(1, sequence);
    await members.start();
    try {
      await kit.waitFor('partition 0 to be stuck and partition 1 handled', () =>
        partitionZeroStarted && handled.some((batch) => batch.partition === 1),
      );
      // A later record of partition 1: a fresh fetch must happen for it.
      await produceTo(1, sequence + 1);
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && handled.filter((batch) => batch.partition === 1).length < 2) await sleep(50);
      return handled.filter((batch) => batch.partition === 1).length >= 2;
    } finally {
      release();
    }
  }

  it('with one member, a stuck partition holds back the other (kafkajs waits for its whole fetch)', async () => {
    expect(await otherPartitionMovesWhileOneIsStuck('one-member', 1)).toBe(false);
  });

  it('with a member per partition, the other partition moves on while one is stuck', async () => {
    expect(await otherPartitionMovesWhileOneIsStuck('two-members', 2)).toBe(true);
  });
});
