import { countBy, lagBefore, offsetLag } from './consumer-metrics';

describe('offsetLag', () => {
  it.each([
    // highWatermark, last processed offset, lag
    ['10', '9', 0],
    ['10', '4', 5],
    ['1', '0', 0],
    // A watermark read before later records were processed (the fetch is older than the offset).
    ['5', '9', 0],
    // Offsets past 2^53 stay exact: they are int64 strings.
    ['9007199254740995', '9007199254740992', 2],
  ])('watermark %s after offset %s is %d behind', (highWatermark, offset, lag) => {
    expect(offsetLag(highWatermark, offset)).toBe(lag);
  });

  it.each([
    [undefined, '3'],
    ['', '3'],
    ['ten', '3'],
    ['10', 'x'],
  ])('is unknown for watermark %p and offset %p', (highWatermark, offset) => {
    expect(offsetLag(highWatermark, offset)).toBeUndefined();
  });
});

describe('lagBefore', () => {
  it('counts the next record to process as behind', () => {
    expect(lagBefore('10', '0')).toBe(10);
    expect(lagBefore('10', '10')).toBe(0);
    expect(lagBefore(undefined, '0')).toBeUndefined();
  });
});

describe('countBy', () => {
  it('counts each key once per item, in first-seen order', () => {
    expect([...countBy(['order.paid', 'order.placed', 'order.paid'], (type) => type)]).toEqual([
      ['order.paid', 2],
      ['order.placed', 1],
    ]);
    expect(countBy([], String).size).toBe(0);
  });
});
