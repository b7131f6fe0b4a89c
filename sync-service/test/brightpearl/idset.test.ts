import {
  chunkIds,
  expandIdSet,
  formatIdSet,
  idSetChunks,
  idSetContains,
  idSetSize,
  parseIdSet,
} from '../../src/brightpearl/idset';

describe('formatIdSet', () => {
  it('writes single ids, ranges, lists and mixed sets compactly', () => {
    expect(formatIdSet([8])).toBe('8');
    expect(formatIdSet([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010])).toBe('1001-1010');
    expect(formatIdSet([4, 9, 2])).toBe('2,4,9');
    expect(formatIdSet([34, 35, 36, 37, 38, 39, 40, 120, 1000, 1001, 1002])).toBe('34-40,120,1000-1002');
  });

  it('sorts, de-duplicates and keeps two neighbours as a list', () => {
    expect(formatIdSet([5, 3, 4, 4, 10, 11])).toBe('3-5,10,11');
  });

  it('refuses values that are not ids', () => {
    expect(() => formatIdSet([1, 0])).toThrow(RangeError);
    expect(() => formatIdSet([1.5])).toThrow(RangeError);
    expect(() => formatIdSet([Number.NaN])).toThrow(RangeError);
  });
});

describe('parseIdSet', () => {
  it('reads single, range, list and mixed sets', () => {
    expect(expandIdSet(parseIdSet('8'))).toEqual([8]);
    expect(expandIdSet(parseIdSet('1001-1003'))).toEqual([1001, 1002, 1003]);
    expect(expandIdSet(parseIdSet('4,9,2'))).toEqual([2, 4, 9]);
    expect(expandIdSet(parseIdSet('34-36,120,1000-1001'))).toEqual([34, 35, 36, 120, 1000, 1001]);
  });

  it('collects invalid tokens: letters, descending ranges, zero, ids beyond a Java int', () => {
    const set = parseIdSet('1,abc,10-5,0,2147483648,7');
    expect(expandIdSet(set)).toEqual([1, 7]);
    expect(set.invalid).toEqual(['abc', '10-5', '0', '2147483648']);
  });

  it('counts and tests membership without expanding huge ranges', () => {
    const set = parseIdSet('1-1000000000,5');
    expect(idSetSize(set)).toBe(1_000_000_001);
    expect(idSetContains(set, 999_999_999)).toBe(true);
    expect(idSetContains(set, 1_000_000_001)).toBe(false);
    expect(() => expandIdSet(set)).toThrow(RangeError);
  });

  it('round-trips with formatIdSet', () => {
    const ids = [3, 1, 2, 50, 52, 53, 54, 99, 100];
    expect(expandIdSet(parseIdSet(formatIdSet(ids)))).toEqual([...ids].sort((a, b) => a - b));
  });
});

describe('chunking', () => {
  it('splits ids under a cap', () => {
    const ids = Array.from({ length: 450 }, (_, i) => 1001 + i);
    const chunks = chunkIds(ids, 200);
    expect(chunks.map((c) => c.length)).toEqual([200, 200, 50]);
    expect(idSetChunks(ids, { maxIds: 200 }).map((c) => c.idSet)).toEqual(['1001-1200', '1201-1400', '1401-1450']);
  });

  it('also caps the formatted length so scattered ids never make an over-long URL', () => {
    const scattered = Array.from({ length: 200 }, (_, i) => 1_000_000 + i * 2);
    const chunks = idSetChunks(scattered, { maxIds: 200, maxLength: 100 });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.idSet.length).toBeLessThanOrEqual(100);
      expect(expandIdSet(parseIdSet(c.idSet))).toEqual(c.ids);
    }
    expect(chunks.flatMap((c) => c.ids)).toEqual(scattered);
  });

  it('returns nothing for no ids', () => {
    expect(idSetChunks([], { maxIds: 100 })).toEqual([]);
  });
});
