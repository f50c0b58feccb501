import { isUuid, lendingIds, uuidFromName } from './deterministic-uuid';

describe('uuidFromName', () => {
  it('gives the same version-8 UUID for the same name, and another for another name', () => {
    const id = uuidFromName('lending/loan\nm-1\nr-1');
    expect(id).toBe(uuidFromName('lending/loan\nm-1\nr-1'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidFromName('lending/loan\nm-1\nr-2')).not.toBe(id);
  });
});

describe('lendingIds', () => {
  it('keeps the kinds of id apart for the same business key', () => {
    const ids = [
      lendingIds.loan('m-1', 'r-1'),
      lendingIds.disbursement('m-1', 'r-1'),
      lendingIds.holdbackRepayment('m-1', 'r-1'),
      lendingIds.manualRepayment('m-1', 'r-1'),
      lendingIds.event('m-1', 'r-1'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every(isUuid)).toBe(true);
  });

  it('scopes a request id to its merchant: two merchants may use the same requestId', () => {
    expect(lendingIds.loan('m-1', 'r-1')).not.toBe(lendingIds.loan('m-2', 'r-1'));
  });
});

describe('isUuid', () => {
  it.each([
    ['00000000-0000-4000-8000-000000000000', true],
    ['tr-123', false],
    ['00000000-0000-4000-8000-00000000000', false],
    ["00000000-0000-4000-8000-000000000000' OR 1=1", false],
  ])('%s → %s', (value, expected) => expect(isUuid(value)).toBe(expected));
});
