import { Topics } from '@lendstream/contracts';
import { MAX_SUBSCRIBED_TOPICS } from './batch-transport-options';
import { planSubscriptions } from './topic-subscriptions';

describe('planSubscriptions', () => {
  it('maps contract topics to their names on the broker', () => {
    expect(planSubscriptions([Topics.orders, Topics.warehouse], undefined)).toEqual([
      { contractTopic: Topics.orders, physicalTopic: Topics.orders },
      { contractTopic: Topics.warehouse, physicalTopic: Topics.warehouse },
    ]);
    expect(planSubscriptions([Topics.orders], 'test-1')).toEqual([
      { contractTopic: Topics.orders, physicalTopic: `test-1.${Topics.orders}` },
    ]);
  });

  it.each([
    ['no topic', [], 'nothing to consume'],
    ['a topic outside the contract', ['orders'], 'not a contract topic'],
    ['the dead-letter topic', [Topics.deadLetters], 'cannot be consumed'],
    ['too many topics', Array.from({ length: MAX_SUBSCRIBED_TOPICS + 1 }, () => Topics.orders), 'at most'],
  ])('refuses %s', (_name, topics, expected) => {
    expect(() => planSubscriptions(topics, undefined)).toThrow(expected);
  });
});
