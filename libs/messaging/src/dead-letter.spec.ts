import { ContractViolation, DeadLetterHeaders, DeadLetterReason } from '@lendstream/contracts';
import {
  buildDeadLetter,
  buildDeadLetterHeaders,
  describeViolation,
  MAX_DEAD_LETTER_ERROR_LENGTH,
} from './dead-letter';

const source = { topic: 'scf.orders.v1', partition: 3, offset: '9007199254740993' };
const at = new Date('2026-11-11T00:00:03.120Z');

describe('describeViolation', () => {
  it.each<[string, ContractViolation, string]>([
    [
      'no field',
      { reason: DeadLetterReason.NOT_JSON, message: 'not JSON: Unexpected token' },
      'not JSON: Unexpected token',
    ],
    [
      'a field the message already names',
      {
        reason: DeadLetterReason.SCHEMA_VIOLATION,
        field: 'data.orderId',
        message: 'data.orderId: must not be empty',
      },
      'data.orderId: must not be empty',
    ],
    [
      'a field the message does not name',
      { reason: DeadLetterReason.KEY_MISMATCH, field: 'key', message: 'Kafka key "m-1" is not "m-2"' },
      'key: Kafka key "m-1" is not "m-2"',
    ],
  ])('%s', (_name, violation, expected) => {
    expect(describeViolation(violation)).toBe(expected);
  });

  it('caps a long message', () => {
    const text = describeViolation({ reason: DeadLetterReason.NOT_JSON, message: 'x'.repeat(10_000) });
    expect(text.length).toBe(MAX_DEAD_LETTER_ERROR_LENGTH);
  });
});

describe('buildDeadLetterHeaders', () => {
  const violation: ContractViolation = {
    reason: DeadLetterReason.INVALID_AMOUNT,
    field: 'data.amountMinor',
    message: 'data.amountMinor: amount must be digits',
  };

  it('adds every dlq-* header of the contract', () => {
    const headers = buildDeadLetterHeaders({ violation, source, serviceName: 'profiler', at });
    expect(headers).toEqual({
      [DeadLetterHeaders.reason]: 'INVALID_AMOUNT',
      [DeadLetterHeaders.error]: 'data.amountMinor: amount must be digits',
      [DeadLetterHeaders.sourceTopic]: 'scf.orders.v1',
      [DeadLetterHeaders.sourcePartition]: '3',
      [DeadLetterHeaders.sourceOffset]: '9007199254740993',
      [DeadLetterHeaders.service]: 'profiler',
      [DeadLetterHeaders.at]: '2026-11-11T00:00:03.120Z',
    });
  });

  it('keeps the original headers, and replaces stale dlq-* ones with this failure', () => {
    const originalHeaders = {
      'content-type': Buffer.from('application/cloudevents+json'),
      traceparent: ['a', Buffer.from('b')],
      [DeadLetterHeaders.reason]: Buffer.from('NOT_JSON'),
      absent: undefined,
    };
    const headers = buildDeadLetterHeaders({
      originalHeaders,
      violation,
      source,
      serviceName: 'profiler',
      at,
    });
    expect(headers['content-type']).toEqual(Buffer.from('application/cloudevents+json'));
    expect(headers.traceparent).toEqual(['a', Buffer.from('b')]);
    expect(headers[DeadLetterHeaders.reason]).toBe('INVALID_AMOUNT');
    expect('absent' in headers).toBe(false);
  });
});

describe('buildDeadLetter', () => {
  it('carries the key and value byte for byte', () => {
    const key = Buffer.from([0x6d, 0x2d, 0x31]);
    const value = Buffer.from([0xff, 0x00, 0x7b]);
    const deadLetter = buildDeadLetter(
      { key, value, offset: source.offset },
      source,
      { reason: DeadLetterReason.NOT_JSON, message: 'not JSON' },
      'profiler',
      at,
    );
    expect(deadLetter.message.key).toBe(key);
    expect(deadLetter.message.value).toBe(value);
    expect(deadLetter.source).toEqual(source);
  });
});
