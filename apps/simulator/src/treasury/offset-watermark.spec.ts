import fc from 'fast-check';
import { OffsetWatermark } from './offset-watermark';

describe('OffsetWatermark', () => {
  it('moves only over a run of done offsets from the start of the batch', () => {
    const watermark = new OffsetWatermark(['10', '11', '12', '13']);
    expect(watermark.committable).toBeUndefined();
    expect(watermark.complete('12')).toBeUndefined();
    expect(watermark.complete('11')).toBeUndefined();
    expect(watermark.committable).toBeUndefined();
    expect(watermark.complete('10')).toBe('12');
    expect(watermark.committable).toBe('12');
    expect(watermark.allDone).toBe(false);
    expect(watermark.complete('13')).toBe('13');
    expect(watermark.allDone).toBe(true);
  });

  it('ignores an offset marked twice', () => {
    const watermark = new OffsetWatermark(['1', '2']);
    expect(watermark.complete('1')).toBe('1');
    expect(watermark.complete('1')).toBeUndefined();
    expect(watermark.committable).toBe('1');
  });

  it('is done at once for an empty batch', () => {
    expect(new OffsetWatermark([]).allDone).toBe(true);
  });

  it.each([
    ['an offset outside the batch', () => new OffsetWatermark(['1']).complete('2')],
    ['a batch with an offset twice', () => new OffsetWatermark(['1', '1'])],
  ])('refuses %s', (_case, act) => {
    expect(act).toThrow(RangeError);
  });

  it('never lets a pending offset be committed, whatever the completion order (property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 40 })
          .chain((size) =>
            fc.tuple(
              fc.constant(size),
              fc.shuffledSubarray([...Array(size).keys()], { minLength: 0, maxLength: size }),
            ),
          ),
        ([size, completed]) => {
          const offsets = Array.from({ length: size }, (_, index) => String(100 + index));
          const watermark = new OffsetWatermark(offsets);
          for (const index of completed) watermark.complete(offsets[index]);
          const doneSet = new Set(completed);
          let expectedRun = 0;
          while (expectedRun < size && doneSet.has(expectedRun)) expectedRun += 1;
          expect(watermark.committable).toBe(expectedRun === 0 ? undefined : offsets[expectedRun - 1]);
          expect(watermark.allDone).toBe(expectedRun === size);
        },
      ),
    );
  });
});
