import {
  AppliedMessage,
  PROFILE_CHANGED_SOURCE,
  profileChangedSignalId,
  profileChangedSignals,
} from './profile-changed-signal';

const at = (iso: string) => Date.parse(iso);
const message = (offset: string, merchantId: string, time: string, rejected = false): AppliedMessage => ({
  offset,
  merchantId,
  eventTimeMs: at(time),
  status: rejected ? 'REJECTED' : 'APPLIED',
});

describe('profileChangedSignals', () => {
  const messages = [
    message('10', 'm-1', '2026-11-11T10:00:00Z'),
    message('11', 'm-2', '2026-11-11T09:00:00Z'),
    message('12', 'm-1', '2026-11-11T08:00:00Z'), // late: asOf stays the newest
    message('13', 'm-3', '2026-11-11T11:00:00Z', true),
  ];

  it('raises one signal per merchant, as of its newest event time in the batch, none for rejected-only merchants', () => {
    const signals = profileChangedSignals('scf.orders.v1', 2, messages);
    expect(signals.map((signal) => [signal.subject, signal.data.asOf, signal.time])).toEqual([
      ['m-1', '2026-11-11T10:00:00.000Z', '2026-11-11T10:00:00.000Z'],
      ['m-2', '2026-11-11T09:00:00.000Z', '2026-11-11T09:00:00.000Z'],
    ]);
    expect(signals[0]).toMatchObject({
      type: 'profile.changed',
      source: PROFILE_CHANGED_SOURCE,
      specversion: '1.0',
    });
  });

  it('names a signal by merchant, topic, partition and the merchant last offset: a redelivered batch gives the same ids', () => {
    const ids = profileChangedSignals('scf.orders.v1', 2, messages).map((signal) => signal.id);
    expect(ids).toEqual([
      profileChangedSignalId('m-1', 'scf.orders.v1', 2, '12'),
      profileChangedSignalId('m-2', 'scf.orders.v1', 2, '11'),
    ]);
    expect(profileChangedSignals('scf.orders.v1', 2, messages).map((signal) => signal.id)).toEqual(ids);
    expect(profileChangedSignalId('m-1', 'scf.orders.v1', 3, '12')).not.toBe(ids[0]);
    expect(profileChangedSignalId('m-1', 'scf.logistics.v1', 2, '12')).not.toBe(ids[0]);
  });

  it('raises nothing for an empty batch', () => {
    expect(profileChangedSignals('scf.orders.v1', 0, [])).toEqual([]);
  });
});
