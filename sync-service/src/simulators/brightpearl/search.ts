/**
 * Brightpearl resource search, generic over a record type: filters by column `reportDataType`,
 * `columns=` (restrict and reorder), `sort=col.ASC|DESC`, `pageSize` (default and cap 500),
 * `firstResult` (1-based), positional `results` rows with `metaData`, and a top-level `reference`.
 * An unparsable filter value is an HTTP 500 `CMNC-018`, as the real API answers.
 */
import { parseIdSet, idSetContains } from '../../brightpearl/idset';
import { BrightpearlApiError, ERROR_CODES } from './envelope';

export type ReportDataType = 'IDSET' | 'INTEGER' | 'DECIMAL' | 'STRING' | 'SEARCH_STRING' | 'BOOLEAN' | 'PERIOD';
export type SearchValue = string | number | boolean | null;

export interface SearchColumnDef<R> {
  name: string;
  reportDataType: ReportDataType;
  filterable?: boolean;
  sortable?: boolean;
  /** Keys of the `reference` tables this column refers to. */
  referenceData?: string[];
  /** PERIOD columns return ISO date strings. */
  value: (record: R) => SearchValue;
}

export interface SearchDefinition<R> {
  columns: SearchColumnDef<R>[];
  /** Column sorted on when `sort` is absent (and the tie-breaker). */
  defaultSort: string;
  /** Builds one `reference` table (id → value) for the records on the page. */
  reference?: (key: string, records: R[]) => Record<string, unknown>;
}

export type SearchQuery = Record<string, string | string[] | undefined>;

export interface SearchResult {
  response: {
    results: SearchValue[][];
    metaData: {
      morePagesAvailable: boolean;
      resultsAvailable: number;
      resultsReturned: number;
      firstResult: number;
      lastResult: number;
      columns: Record<string, unknown>[];
      sorting: { filterable: Record<string, unknown>; direction: 'ASC' | 'DESC' }[];
    };
  };
  reference: Record<string, Record<string, unknown>>;
}

export const SEARCH_MAX_PAGE_SIZE = 500;
const CONTROL_PARAMS = new Set(['columns', 'sort', 'pageSize', 'firstResult']);

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function unparsable(name: string, value: string, type: ReportDataType): BrightpearlApiError {
  return new BrightpearlApiError(500, ERROR_CODES.BAD_FILTER, `The filter ${name}=${value} cannot be parsed as: ${type}`);
}

function badRequest(message: string): BrightpearlApiError {
  return new BrightpearlApiError(400, ERROR_CODES.BAD_REQUEST, message);
}

function columnMeta<R>(c: SearchColumnDef<R>): Record<string, unknown> {
  return {
    name: c.name,
    sortable: c.sortable ?? true,
    filterable: c.filterable ?? true,
    reportDataType: c.reportDataType,
    referenceData: c.referenceData ?? [],
    isFreeTextSearchable: c.reportDataType === 'SEARCH_STRING',
    required: false,
  };
}

function parseDate(text: string): number | undefined {
  if (text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? Number.NaN : ms;
}

/** A predicate for one `column=value` filter, or a CMNC-018 error. */
function buildFilter<R>(column: SearchColumnDef<R>, raw: string): (record: R) => boolean {
  const { name, reportDataType: type } = column;
  switch (type) {
    case 'IDSET': {
      const set = parseIdSet(raw);
      if (set.invalid.length > 0 || set.ranges.length === 0) throw unparsable(name, raw, type);
      return (r) => {
        const v = column.value(r);
        return typeof v === 'number' && idSetContains(set, v);
      };
    }
    case 'INTEGER': {
      if (!/^-?\d+$/.test(raw)) throw unparsable(name, raw, type);
      const n = Number(raw);
      return (r) => column.value(r) === n;
    }
    case 'DECIMAL': {
      if (!/^-?\d+(\.\d+)?$/.test(raw)) throw unparsable(name, raw, type);
      const n = Number(raw);
      return (r) => column.value(r) === n;
    }
    case 'BOOLEAN': {
      if (raw !== 'true' && raw !== 'false') throw unparsable(name, raw, type);
      const b = raw === 'true';
      return (r) => column.value(r) === b;
    }
    case 'STRING':
      return (r) => column.value(r) === raw;
    case 'SEARCH_STRING': {
      const needle = raw.toLowerCase();
      return (r) => String(column.value(r) ?? '').toLowerCase().includes(needle);
    }
    case 'PERIOD': {
      // `from/to`, either side may be empty. An unencoded `+` offset arrives as a space and fails here, as for real.
      const parts = raw.split('/');
      if (parts.length !== 2) throw unparsable(name, raw, type);
      const from = parseDate(parts[0] as string);
      const to = parseDate(parts[1] as string);
      if (Number.isNaN(from) || Number.isNaN(to) || (from === undefined && to === undefined)) throw unparsable(name, raw, type);
      return (r) => {
        const v = column.value(r);
        if (typeof v !== 'string') return false;
        const ms = Date.parse(v);
        return (from === undefined || ms >= from) && (to === undefined || ms <= to);
      };
    }
  }
}

function compare(a: SearchValue, b: SearchValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw badRequest(`${name} must be a whole number of at least 1, not ${raw}`);
  return Number(raw);
}

export function runSearch<R>(def: SearchDefinition<R>, records: Iterable<R>, query: SearchQuery): SearchResult {
  const byName = new Map(def.columns.map((c) => [c.name, c]));
  const column = (name: string, what: string): SearchColumnDef<R> => {
    const c = byName.get(name);
    if (!c) throw badRequest(`Unknown ${what} column: ${name}`);
    return c;
  };

  // Filters: any query parameter named like a column. Others are ignored, as by the real API.
  const filters: ((r: R) => boolean)[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (CONTROL_PARAMS.has(key)) continue;
    const c = byName.get(key);
    const raw = single(value);
    if (!c || raw === undefined) continue;
    if (c.filterable === false) throw badRequest(`Column ${key} is not filterable`);
    filters.push(buildFilter(c, raw));
  }

  const columnsParam = single(query.columns);
  const selected = columnsParam ? columnsParam.split(',').map((n) => column(n.trim(), 'requested')) : def.columns;

  const sortParam = single(query.sort) ?? `${def.defaultSort}.ASC`;
  const [sortName = '', directionText = 'ASC'] = sortParam.split('.');
  const sortColumn = column(sortName, 'sort');
  if (sortColumn.sortable === false) throw badRequest(`Column ${sortName} is not sortable`);
  const direction = directionText.toUpperCase();
  if (direction !== 'ASC' && direction !== 'DESC') throw badRequest(`Sort direction must be ASC or DESC, not ${directionText}`);
  const tieBreaker = column(def.defaultSort, 'sort');

  const pageSize = Math.min(SEARCH_MAX_PAGE_SIZE, positiveInt('pageSize', single(query.pageSize), SEARCH_MAX_PAGE_SIZE));
  const firstResult = positiveInt('firstResult', single(query.firstResult), 1);

  const sign = direction === 'DESC' ? -1 : 1;
  const matching = [...records]
    .filter((r) => filters.every((f) => f(r)))
    .sort((a, b) => sign * compare(sortColumn.value(a), sortColumn.value(b)) || compare(tieBreaker.value(a), tieBreaker.value(b)));
  const page = matching.slice(firstResult - 1, firstResult - 1 + pageSize);

  const reference: Record<string, Record<string, unknown>> = {};
  if (def.reference) {
    for (const key of new Set(selected.flatMap((c) => c.referenceData ?? []))) reference[key] = def.reference(key, page);
  }

  return {
    response: {
      results: page.map((r) => selected.map((c) => c.value(r))),
      metaData: {
        morePagesAvailable: firstResult - 1 + page.length < matching.length,
        resultsAvailable: matching.length,
        resultsReturned: page.length,
        firstResult,
        lastResult: firstResult - 1 + page.length,
        columns: selected.map(columnMeta),
        sorting: [{ filterable: columnMeta(sortColumn), direction }],
      },
    },
    reference,
  };
}
