import { chunkByCount, chunkByCountAndBytes } from './chunking';

describe('chunkByCount', () => {
  it.each([
    [[], 3, []],
    [[1], 3, [[1]]],
    [[1, 2, 3], 3, [[1, 2, 3]]],
    [[1, 2, 3, 4], 3, [[1, 2, 3], [4]]],
    [[1, 2, 3, 4, 5, 6, 7], 2, [[1, 2], [3, 4], [5, 6], [7]]],
    [[1, 2, 3], 1, [[1], [2], [3]]],
  ])('splits %j by %i into %j', (items, maxChunkSize, expected) => {
    expect(chunkByCount(items, maxChunkSize)).toEqual(expected);
  });

  it('keeps every item once, in order, in chunks no larger than the bound', () => {
    const items = Array.from({ length: 1_234 }, (_, index) => index);
    const chunks = chunkByCount(items, 500);
    expect(chunks.map((chunk) => chunk.length)).toEqual([500, 500, 234]);
    expect(chunks.flat()).toEqual(items);
  });

  it.each([0, -1, 2.5])('refuses a bound of %p', (maxChunkSize) => {
    expect(() => chunkByCount([1], maxChunkSize)).toThrow(RangeError);
  });
});

describe('chunkByCountAndBytes', () => {
  const sizeOf = (item: number) => item;

  it.each([
    ['fits in one', [1, 2, 3], 10, 100, [[1, 2, 3]]],
    ['count bound', [1, 1, 1, 1, 1], 2, 100, [[1, 1], [1, 1], [1]]],
    ['byte bound', [40, 40, 40], 10, 100, [[40, 40], [40]]],
    ['exactly at the byte bound', [50, 50, 50], 10, 100, [[50, 50], [50]]],
    ['an oversized item travels alone', [10, 150, 10], 10, 100, [[10], [150], [10]]],
    ['empty', [], 10, 100, []],
  ])('%s', (_name, items, maxCount, maxBytes, expected) => {
    expect(chunkByCountAndBytes(items, { maxCount, maxBytes, sizeOf })).toEqual(expected);
  });
});
