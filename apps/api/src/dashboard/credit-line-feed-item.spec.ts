import { createEvent, encodeEvent } from '@lendstream/contracts';
import { creditLineFeedItemOf, serverSentEvent } from './credit-line-feed-item';

const data = {
  merchantId: 'm-000042',
  creditLineId: 'cl-1',
  status: 'FROZEN' as const,
  limitMinor: 9007199254740993n,
  availableMinor: 0n,
  outstandingMinor: 150000n,
  currency: 'CNY',
  dailyRateBps: 5,
  grade: 'B',
  score: 712,
  reasons: [{ code: 'MANUAL_FREEZE', message: 'fraud review' }],
  policyVersion: 'v1',
  decisionId: 'd-1',
  profileAsOf: '2026-11-28T10:00:00.000Z',
  decidedAt: '2026-11-28T10:00:01.000Z',
};
const frozen = createEvent({
  id: 'e-1',
  source: '/lendstream/underwriter',
  type: 'credit-line.frozen',
  time: '2026-11-28T10:00:01.000Z',
  data,
});

describe('creditLineFeedItemOf', () => {
  it('reads a credit-line event with money as exact strings', () => {
    expect(
      creditLineFeedItemOf({ key: Buffer.from('m-000042'), value: Buffer.from(encodeEvent(frozen)) }),
    ).toEqual({
      id: 'e-1',
      type: 'credit-line.frozen',
      time: '2026-11-28T10:00:01.000Z',
      merchantId: 'm-000042',
      creditLineId: 'cl-1',
      status: 'FROZEN',
      currency: 'CNY',
      limitMinor: '9007199254740993',
      availableMinor: '0',
      outstandingMinor: '150000',
      grade: 'B',
      score: 712,
      reasons: [{ code: 'MANUAL_FREEZE', message: 'fraud review' }],
      policyVersion: 'v1',
      decisionId: 'd-1',
      decidedAt: '2026-11-28T10:00:01.000Z',
    });
  });

  it.each<[string, Buffer | null, Buffer | null]>([
    ['no value', Buffer.from('m-000042'), null],
    ['not JSON', Buffer.from('m-000042'), Buffer.from('{')],
    ['another key', Buffer.from('m-other'), Buffer.from(encodeEvent(frozen))],
    [
      'an event of another topic',
      Buffer.from('m-000042'),
      Buffer.from(
        encodeEvent(
          createEvent({
            id: 'e-2',
            source: '/platform/orders',
            type: 'order.cancelled',
            time: '2026-11-28T10:00:01.000Z',
            data: { merchantId: 'm-000042', orderId: 'o-1' },
          }),
        ),
      ),
    ],
  ])('%s → null', (_case, key, value) => expect(creditLineFeedItemOf({ key, value })).toBeNull());
});

describe('serverSentEvent', () => {
  it('writes one message with its id', () => {
    expect(serverSentEvent('credit-line', { a: 'x\ny' }, 'e-1')).toBe(
      'event: credit-line\nid: e-1\ndata: {"a":"x\\ny"}\n\n',
    );
  });

  it('keeps a newline out of the id line', () => {
    expect(serverSentEvent('ready', {}, 'a\nb')).toBe('event: ready\nid: ab\ndata: {}\n\n');
  });
});
