/**
 * Every Kafka topic of the contract (CONTRACT.md), plus the internal ones Lendstream uses
 * between its own services. Topic names are versioned: a breaking change gets a `.v2` topic.
 */
export const Topics = {
  orders: 'scf.orders.v1',
  warehouse: 'scf.warehouse.v1',
  logistics: 'scf.logistics.v1',
  treasury: 'scf.treasury.v1',
  drawdownRequests: 'scf.drawdown-requests.v1',
  creditLines: 'scf.credit-lines.v1',
  disbursements: 'scf.disbursements.v1',
  loans: 'scf.loans.v1',
  repayments: 'scf.repayments.v1',
  deadLetters: 'scf.dlq.v1',
  /** Internal: the profiler tells the underwriter which merchants' profiles moved. */
  profileChanged: 'scf.internal.profile-changed.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** Topics the platform and treasury produce and Lendstream consumes. */
export const INPUT_TOPICS = [
  Topics.orders,
  Topics.warehouse,
  Topics.logistics,
  Topics.treasury,
  Topics.drawdownRequests,
] as const;

/** Topics Lendstream produces for the systems around it. */
export const OUTPUT_TOPICS = [
  Topics.creditLines,
  Topics.disbursements,
  Topics.loans,
  Topics.repayments,
  Topics.deadLetters,
] as const;

/** Every topic the local stack creates. */
export const ALL_TOPICS: readonly TopicName[] = Object.values(Topics);

/**
 * A deployment may namespace every topic with a prefix (`<namespace>.<topic>`, env
 * `KAFKA_TOPIC_NAMESPACE`): tests and benchmarks use it to run on fresh topics beside the
 * real ones. These two functions are the whole rule.
 */
export const namespacedTopic = (topic: TopicName, namespace: string | undefined): string =>
  namespace ? `${namespace}.${topic}` : topic;

const DOT = 0x2e;

/** Whether `physicalTopic` is `contractTopic`, namespaced or not. */
export const isTopicOf = (physicalTopic: string, contractTopic: TopicName): boolean =>
  physicalTopic === contractTopic ||
  // `.<contractTopic>` at the end, checked without building that string (once per message).
  (physicalTopic.endsWith(contractTopic) &&
    physicalTopic.charCodeAt(physicalTopic.length - contractTopic.length - 1) === DOT);
