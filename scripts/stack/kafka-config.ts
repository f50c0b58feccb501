/**
 * The single-node KRaft broker's server.properties: one process is both broker and
 * controller. Rewritten on every start, so a change here applies at the next `up` after a
 * `down`; the data directory keeps its cluster id across rewrites.
 */
import { LOCAL_BROKER } from './endpoints';

export interface BrokerConfigInput {
  readonly dataDir: string;
  /** Default partition count of topics created without one (CreateTopics always names it). */
  readonly partitions: number;
}

export function renderServerProperties({ dataDir, partitions }: BrokerConfigInput): string {
  const { host, port, controllerPort } = LOCAL_BROKER;
  return `# Written by scripts/stack/kafka-config.ts on every broker start; edits here are lost.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=${host}:${controllerPort}
# Clients use ${port}; ${controllerPort} is the controller's own listener, never a client's.
listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}
advertised.listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${dataDir}

# The defaults (3, 3, 2, 3, 2) assume three brokers: a single node would never serve
# consumer groups, transactions or share groups without these.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Consumers in tests join at once instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0
# Topics are created only by \`npm run stack -- up\` (every one named in libs/contracts):
# a typo in a topic name fails loudly instead of creating a new, silent topic.
auto.create.topics.enable=false
num.partitions=${partitions}
`;
}
