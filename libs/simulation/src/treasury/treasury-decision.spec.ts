import fc from 'fast-check';
import { decodeEvent, encodeEvent, Topics } from '@lendstream/contracts';
import { DISBURSEMENT_FAILURE_REASONS } from './failure-reasons';
import {
  confirmationDueAtMs,
  confirmationEvent,
  confirmationEventId,
  decideDisbursement,
  TREASURY_SOURCE,
  treasuryRefOf,
} from './treasury-decision';

const SAMPLE_SIZE = 20_000;
const ids = (count: number, prefix = 'd'): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}-${String(index).padStart(6, '0')}`);

const failedShare = (seed: string, failShareBps: number, disbursementIds: readonly string[]): number =>
  disbursementIds.filter((id) => decideDisbursement(id, { seed, failShareBps }).outcome === 'failed').length /
  disbursementIds.length;

describe('decideDisbursement', () => {
  it('gives the same request the same answer every time', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 10_000 }),
        (seed, id, failShareBps) => {
          const settings = { seed, failShareBps };
          expect(decideDisbursement(id, settings)).toEqual(decideDisbursement(id, settings));
        },
      ),
    );
  });

  it.each([
    [0, 0],
    [1, 0.0001],
    [500, 0.05],
    [2_500, 0.25],
    [5_000, 0.5],
    [9_900, 0.99],
    [10_000, 1],
  ])('fails about %p bp of %p requests', (failShareBps, expected) => {
    const share = failedShare('share', failShareBps, ids(SAMPLE_SIZE));
    // Three standard deviations of a binomial share over 20,000 draws is at most 0.0107.
    expect(Math.abs(share - expected)).toBeLessThan(0.011);
    if (expected === 0 || expected === 1) expect(share).toBe(expected);
  });

  it('only turns settled requests into failed ones when the share rises (same seed)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (id, a, b) => {
          const [lower, higher] = a <= b ? [a, b] : [b, a];
          const before = decideDisbursement(id, { seed: 'monotone', failShareBps: lower });
          const after = decideDisbursement(id, { seed: 'monotone', failShareBps: higher });
          return before.outcome === 'settled' || after.outcome === 'failed';
        },
      ),
    );
  });

  it('answers differently under another seed', () => {
    const sample = ids(2_000);
    const outcomes = (seed: string) =>
      sample.map((id) => decideDisbursement(id, { seed, failShareBps: 5_000 }).outcome).join();
    expect(outcomes('one')).not.toEqual(outcomes('two'));
  });

  it('picks failure reasons by their weights', () => {
    const counts = new Map<string, number>();
    for (const id of ids(SAMPLE_SIZE)) {
      const decision = decideDisbursement(id, { seed: 'reasons', failShareBps: 10_000 });
      if (decision.outcome !== 'failed') throw new Error('every request fails at 10,000 bp');
      counts.set(decision.reason, (counts.get(decision.reason) ?? 0) + 1);
    }
    for (const [reason, weight] of DISBURSEMENT_FAILURE_REASONS) {
      expect(Math.abs((counts.get(reason) ?? 0) / SAMPLE_SIZE - weight / 100)).toBeLessThan(0.011);
    }
  });

  it('gives a settled request its treasury reference', () => {
    expect(decideDisbursement('d-1', { seed: 's', failShareBps: 0 })).toEqual({
      outcome: 'settled',
      treasuryRef: treasuryRefOf('d-1'),
    });
  });
});

describe('treasuryRefOf', () => {
  it('derives a stable reference from the id alone, distinct per id, whatever the id length', () => {
    expect(treasuryRefOf('d-1')).toBe(treasuryRefOf('d-1'));
    expect(treasuryRefOf('d-1')).toMatch(/^TRX-[0-9A-F]{24}$/);
    expect(treasuryRefOf('x'.repeat(128))).toMatch(/^TRX-[0-9A-F]{24}$/);
    expect(new Set(ids(SAMPLE_SIZE).map(treasuryRefOf)).size).toBe(SAMPLE_SIZE);
  });
});

describe('confirmationEvent', () => {
  const request = { merchantId: 'm-000042', disbursementId: 'disb-7' };
  const decidedAt = new Date('2026-11-11T00:00:05.000Z');

  it.each([
    [
      { outcome: 'settled', treasuryRef: 'TRX-1' } as const,
      'disbursement.settled',
      { merchantId: 'm-000042', disbursementId: 'disb-7', treasuryRef: 'TRX-1' },
    ],
    [
      { outcome: 'failed', reason: 'ACCOUNT_CLOSED' } as const,
      'disbursement.failed',
      { merchantId: 'm-000042', disbursementId: 'disb-7', reason: 'ACCOUNT_CLOSED' },
    ],
  ])(
    'builds a contract-valid %p confirmation with an id derived from the disbursement',
    (decision, type, data) => {
      const event = confirmationEvent(request, decision, decidedAt);
      expect(event).toEqual({
        specversion: '1.0',
        id: 'disb-7:confirmation',
        source: TREASURY_SOURCE,
        type,
        time: '2026-11-11T00:00:05.000Z',
        subject: 'm-000042',
        datacontenttype: 'application/json',
        data,
      });
      const decoded = decodeEvent({ topic: Topics.treasury, key: 'm-000042', value: encodeEvent(event) });
      expect(decoded).toEqual({ ok: true, value: event });
    },
  );

  it('keeps one id per disbursement whatever the outcome, so the inbox keeps only the first answer', () => {
    const settled = confirmationEvent(request, { outcome: 'settled', treasuryRef: 'TRX-1' }, decidedAt);
    const failed = confirmationEvent(request, { outcome: 'failed', reason: 'BANK_REJECTED' }, decidedAt);
    expect(settled.id).toBe(failed.id);
    expect(settled.id).toBe(confirmationEventId('disb-7'));
    expect(confirmationEventId('disb-8')).not.toBe(settled.id);
  });
});

describe('confirmationDueAtMs', () => {
  it.each([
    ['a request read at once', { appendedAtMs: 1_000, receivedAtMs: 1_000, delayMs: 2_000 }, 3_000],
    [
      'a request that waited in the topic',
      { appendedAtMs: 1_000, receivedAtMs: 2_500, delayMs: 2_000 },
      3_000,
    ],
    [
      'a request read after its delay (a restart)',
      { appendedAtMs: 1_000, receivedAtMs: 9_000, delayMs: 2_000 },
      3_000,
    ],
    [
      'a timestamp from a clock running ahead',
      { appendedAtMs: 5_000, receivedAtMs: 1_000, delayMs: 2_000 },
      3_000,
    ],
    [
      'a record with no usable timestamp',
      { appendedAtMs: Number.NaN, receivedAtMs: 1_000, delayMs: 2_000 },
      3_000,
    ],
    ['no delay', { appendedAtMs: 1_000, receivedAtMs: 1_200, delayMs: 0 }, 1_000],
  ])('counts the delay from the arrival on the topic: %s', (_case, timing, dueAtMs) => {
    expect(confirmationDueAtMs(timing)).toBe(dueAtMs);
  });

  it('never asks to wait longer than the delay after the read (property)', () => {
    fc.assert(
      fc.property(fc.nat(1e12), fc.nat(1e12), fc.nat(3_600_000), (appendedAtMs, receivedAtMs, delayMs) => {
        const dueAtMs = confirmationDueAtMs({ appendedAtMs, receivedAtMs, delayMs });
        return dueAtMs <= receivedAtMs + delayMs && dueAtMs >= Math.min(appendedAtMs, receivedAtMs) + delayMs;
      }),
    );
  });
});
