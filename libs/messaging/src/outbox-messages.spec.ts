import { createEvent, encodeEvent, Topics } from '@lendstream/contracts';
import {
  groupOutboxRowsByTopic,
  InvalidOutboxEventError,
  outboxEntryFromEvent,
  outboxRowToMessage,
  PendingOutboxRow,
} from './outbox-messages';

const ID = '9d7e3c1a-4c1b-4e5f-9d0e-2f6a7b8c9d0e';

const disbursement = (overrides: { id?: string; merchantId?: string; loanId?: string } = {}) =>
  createEvent({
    type: 'disbursement.requested',
    id: overrides.id ?? ID,
    source: '/lendstream/lending',
    time: '2026-11-11T00:00:03.120Z',
    data: {
      merchantId: overrides.merchantId ?? 'm-000042',
      disbursementId: 'disb-1',
      loanId: overrides.loanId ?? 'loan-1',
      creditLineId: 'cl-1',
      amountMinor: 9_007_199_254_740_993n, // past 2^53: must survive as digits
      currency: 'CNY',
      requestedAt: '2026-11-11T00:00:03.000Z',
    },
  });

describe('outboxEntryFromEvent', () => {
  it('keys the row by the subject, on the type’s contract topic, with the encoded event and its content type', () => {
    const event = disbursement();
    expect(outboxEntryFromEvent(event)).toEqual({
      eventId: ID,
      topic: Topics.disbursements,
      messageKey: 'm-000042',
      payload: encodeEvent(event),
      headers: { 'content-type': 'application/cloudevents+json' },
    });
    expect(outboxEntryFromEvent(event).payload).toContain('"amountMinor":"9007199254740993"');
  });

  it.each([
    ['an id that is not a UUID (the column is a uuid)', { ...disbursement(), id: 'disb-1' }, /not a UUID/],
    ['a subject that is not the merchant', { ...disbursement(), subject: 'm-other' }, /subject/],
    ['data that breaks its schema', disbursement({ loanId: '' }), /data\.loanId/],
  ])('refuses %s', (_case, event, message) => {
    expect(() => outboxEntryFromEvent(event)).toThrow(message);
    expect(() => outboxEntryFromEvent(event)).toThrow(InvalidOutboxEventError);
    expect(() => outboxEntryFromEvent(event)).toThrow(/^OUTBOX\.INVALID_EVENT/);
  });

  it('refuses an event over the contract’s 64 KiB, which every consumer would dead-letter', () => {
    const event = disbursement();
    // Unknown data fields pass the schema (they are stripped on decode), but count in the bytes.
    const oversized = { ...event, data: { ...event.data, note: 'x'.repeat(64 * 1024) } };
    expect(() => outboxEntryFromEvent(oversized)).toThrow(/limit is 65536/);
  });
});

const row = (id: string, topic: string, messageKey = 'm-1'): PendingOutboxRow => ({
  id,
  eventId: `e-${id}`,
  topic,
  messageKey,
  payload: `{"n":${id}}`,
  headers: { 'content-type': 'application/cloudevents+json' },
  attempts: 0,
});

describe('groupOutboxRowsByTopic', () => {
  it('keeps id order within each topic, topics in the order they first appear', () => {
    const rows = [row('3', 'b'), row('5', 'a'), row('9', 'b'), row('10', 'a'), row('11', 'c')];
    expect(
      groupOutboxRowsByTopic(rows).map((batch) => [batch.topic, batch.rows.map((each) => each.id)]),
    ).toEqual([
      ['b', ['3', '9']],
      ['a', ['5', '10']],
      ['c', ['11']],
    ]);
  });

  it('compares ids as integers, not text ("10" follows "9")', () => {
    expect(() =>
      groupOutboxRowsByTopic([row('9', 'a'), row('10', 'a'), row('9007199254740993', 'a')]),
    ).not.toThrow();
  });

  it.each([
    ['out of order', ['10', '9']],
    ['repeated', ['4', '4']],
  ])('refuses rows %s: they would be published out of order', (_case, ids) => {
    expect(() => groupOutboxRowsByTopic(ids.map((id) => row(id, 'a')))).toThrow(/ascending id order/);
  });

  it('returns nothing for nothing', () => {
    expect(groupOutboxRowsByTopic([])).toEqual([]);
  });
});

describe('outboxRowToMessage', () => {
  it('publishes the stored bytes under the stored key and headers', () => {
    expect(outboxRowToMessage(row('7', 'a', 'm-9'))).toEqual({
      key: 'm-9',
      value: '{"n":7}',
      headers: { 'content-type': 'application/cloudevents+json' },
    });
  });
});
