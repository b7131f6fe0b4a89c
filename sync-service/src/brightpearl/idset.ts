/**
 * Brightpearl ID sets: `8`, `1001-1010` (ascending ranges only), `4,9,2`, `34-40,120,1000-1010`.
 * Shared by the client (formatting and chunking under per-request caps) and the simulator (parsing).
 */

/** An inclusive range; a single id is a range of one. */
export interface IdRange {
  from: number;
  to: number;
}

export interface ParsedIdSet {
  ranges: IdRange[];
  /** Tokens that are not an id or an ascending range (Brightpearl mostly ignores them). */
  invalid: string[];
}

/** The largest id Brightpearl's (Java int) ids can hold; bigger numbers are not valid ids. */
export const MAX_BRIGHTPEARL_ID = 2_147_483_647;

/** Whether `id` can be written into an ID set at all. */
export function isValidId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}

/** Sorted, de-duplicated copy; throws on a value that is not a positive integer (a caller bug). */
export function normalizeIds(ids: Iterable<number>): number[] {
  const unique = new Set<number>();
  for (const id of ids) {
    if (!isValidId(id)) throw new RangeError(`Not a Brightpearl id: ${String(id)}`);
    unique.add(id);
  }
  return [...unique].sort((a, b) => a - b);
}

/** Runs of consecutive ids in sorted, de-duplicated input. */
function toRanges(sortedIds: readonly number[]): IdRange[] {
  const ranges: IdRange[] = [];
  for (const id of sortedIds) {
    const last = ranges[ranges.length - 1];
    if (last && id === last.to + 1) last.to = id;
    else ranges.push({ from: id, to: id });
  }
  return ranges;
}

function formatRange(r: IdRange): string {
  if (r.from === r.to) return String(r.from);
  // Two neighbours read better as a list and cost the same characters.
  if (r.to === r.from + 1) return `${r.from},${r.to}`;
  return `${r.from}-${r.to}`;
}

/** The most compact ID set for `ids` (any order, duplicates allowed): `1001-1010,1020,1022-1030`. */
export function formatIdSet(ids: Iterable<number>): string {
  return toRanges(normalizeIds(ids)).map(formatRange).join(',');
}

const ID_TOKEN = /^\d+$/;
const RANGE_TOKEN = /^(\d+)-(\d+)$/;

function parseId(text: string): number | undefined {
  if (!ID_TOKEN.test(text)) return undefined;
  const n = Number(text);
  return n > 0 && n <= MAX_BRIGHTPEARL_ID ? n : undefined;
}

/** Parses an ID set without expanding ranges (a range like `1-999999999` stays cheap). */
export function parseIdSet(text: string): ParsedIdSet {
  const ranges: IdRange[] = [];
  const invalid: string[] = [];
  for (const raw of text.split(',')) {
    const token = raw.trim();
    if (token === '') continue;
    const range = RANGE_TOKEN.exec(token);
    if (range) {
      const from = parseId(range[1] as string);
      const to = parseId(range[2] as string);
      if (from !== undefined && to !== undefined && from <= to) ranges.push({ from, to });
      else invalid.push(token);
      continue;
    }
    const id = parseId(token);
    if (id === undefined) invalid.push(token);
    else ranges.push({ from: id, to: id });
  }
  return { ranges, invalid };
}

/** How many ids the set names (overlaps counted twice, as a server counting its input would). */
export function idSetSize(set: ParsedIdSet): number {
  return set.ranges.reduce((sum, r) => sum + (r.to - r.from + 1), 0);
}

export function idSetContains(set: ParsedIdSet, id: number): boolean {
  return set.ranges.some((r) => id >= r.from && id <= r.to);
}

/** Expands a parsed set into sorted unique ids; refuses sets larger than `limit` (memory guard). */
export function expandIdSet(set: ParsedIdSet, limit = 100_000): number[] {
  if (idSetSize(set) > limit) throw new RangeError(`ID set names more than ${limit} ids`);
  const ids: number[] = [];
  for (const r of set.ranges) for (let id = r.from; id <= r.to; id++) ids.push(id);
  return normalizeIds(ids);
}

/** Splits ids (sorted, de-duplicated) into lists of at most `maxIds`. */
export function chunkIds(ids: Iterable<number>, maxIds: number): number[][] {
  if (!(maxIds >= 1)) throw new RangeError('maxIds must be at least 1');
  const sorted = normalizeIds(ids);
  const chunks: number[][] = [];
  for (let i = 0; i < sorted.length; i += maxIds) chunks.push(sorted.slice(i, i + maxIds));
  return chunks;
}

export interface IdSetChunk {
  ids: number[];
  /** The formatted ID set for the URL. */
  idSet: string;
}

/**
 * Chunks ids for GETs that cap the ids per request (`maxIds`) and, because scattered ids make long
 * URLs that proxies answer with 414, the formatted length (`maxLength` characters).
 */
export function idSetChunks(ids: Iterable<number>, opts: { maxIds: number; maxLength?: number }): IdSetChunk[] {
  const maxLength = opts.maxLength ?? 1800;
  const result: IdSetChunk[] = [];
  for (const chunk of chunkIds(ids, opts.maxIds)) {
    let current: number[] = [];
    // Length of the formatted set without its last range, and that last range, so each id costs O(1).
    let closedLength = 0;
    let open: IdRange | undefined;
    const lengthWith = (closed: number, last: IdRange) => closed + (closed > 0 ? 1 : 0) + formatRange(last).length;
    for (const id of chunk) {
      let nextClosed = closedLength;
      let nextOpen: IdRange;
      if (open && id === open.to + 1) nextOpen = { from: open.from, to: id };
      else {
        if (open) nextClosed = lengthWith(closedLength, open);
        nextOpen = { from: id, to: id };
      }
      if (current.length > 0 && lengthWith(nextClosed, nextOpen) > maxLength) {
        result.push({ ids: current, idSet: formatIdSet(current) });
        current = [id];
        closedLength = 0;
        open = { from: id, to: id };
      } else {
        current.push(id);
        closedLength = nextClosed;
        open = nextOpen;
      }
    }
    if (current.length > 0) result.push({ ids: current, idSet: formatIdSet(current) });
  }
  return result;
}
