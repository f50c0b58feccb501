import { decodeEvent } from '@lendstream/contracts';
import { FAULT_KINDS, selectFaults } from './chaos-sizes';
import {
  generateHostileMessages,
  HOSTILE_CATEGORIES,
  HOSTILE_TOPICS,
  validEventFor,
} from './hostile-messages';

describe('hostile messages', () => {
  const merchants = ['m-000001', 'm-000002', 'm-000003'];
  const messages = generateHostileMessages(700, merchants, 7);

  it('are as many as asked, deterministic for a seed', () => {
    expect(messages).toHaveLength(700);
    const again = generateHostileMessages(700, merchants, 7);
    expect(again.map((message) => message.value.toString('base64'))).toEqual(
      messages.map((message) => message.value.toString('base64')),
    );
  });

  it('are each refused by the contract (a bad message that is valid would be counted as lost)', () => {
    for (const message of messages)
      expect(decodeEvent({ topic: message.topic, key: message.key, value: message.value }).ok).toBe(false);
  });

  it('cover every input topic and every category', () => {
    expect(new Set(messages.map((message) => message.topic))).toEqual(
      new Set(HOSTILE_TOPICS.map((entry) => entry.topic)),
    );
    expect(new Set(messages.map((message) => message.category))).toEqual(new Set(HOSTILE_CATEGORIES));
  });

  it.each(HOSTILE_TOPICS.map((entry) => [entry.topic]))('start from a valid event of %s', (topic) => {
    const event = validEventFor(topic, 'm-000001', 1);
    expect(decodeEvent({ topic, key: 'm-000001', value: JSON.stringify(event) }).ok).toBe(true);
  });
});

describe('--only', () => {
  it.each([
    [undefined, FAULT_KINDS],
    ['crash', ['crash']],
    ['crash, hostile-input', ['crash', 'hostile-input']],
  ])('%s selects %j', (only, faults) => {
    expect([...selectFaults(only)].sort()).toEqual([...faults].sort());
  });

  it('refuses an unknown fault, naming it', () => {
    expect(() => selectFaults('crash,meteor')).toThrow('meteor');
  });
});
