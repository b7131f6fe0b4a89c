/**
 * What WC_REST_CRUD_Controller does for every collection (products, variations, and later orders and
 * refunds): parameter validation in WordPress's words, paging, ordering, created/modified date
 * windows with `dates_are_gmt`, X-WP-Total / X-WP-TotalPages / Link headers, and `_fields`.
 */
import type { FastifyRequest } from 'fastify';
import type { PhpParams } from '../../woocommerce/oauth';
import { listWithAnd, ParamErrors } from './errors';
import { phpQuery, requestPath } from './auth';

export const MAX_PER_PAGE = 100;

/** Reads and validates query parameters, collecting every problem for one rest_invalid_param. */
export class ParamReader {
  readonly errors = new ParamErrors();

  constructor(readonly query: PhpParams) {}

  has(name: string): boolean {
    return this.query[name] !== undefined;
  }

  string(name: string): string | undefined {
    const v = this.query[name];
    if (v === undefined) return undefined;
    if (Array.isArray(v)) {
      this.errors.add(name, `${name} is not of type string.`);
      return undefined;
    }
    return v;
  }

  int(name: string, bounds: { min?: number; max?: number } = {}): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || Math.round(n) !== n) {
      this.errors.add(name, `${name} is not of type integer.`);
      return undefined;
    }
    const { min, max } = bounds;
    if (min !== undefined && max !== undefined && (n < min || n > max)) {
      this.errors.add(name, `${name} must be between ${min} (inclusive) and ${max} (inclusive)`);
      return undefined;
    }
    if (min !== undefined && n < min) {
      this.errors.add(name, `${name} must be greater than or equal to ${min}`);
      return undefined;
    }
    return n;
  }

  bool(name: string): boolean | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const lower = raw.toLowerCase();
    if (['true', '1'].includes(lower)) return true;
    if (['false', '0', ''].includes(lower)) return false;
    this.errors.add(name, `${name} is not of type boolean.`);
    return undefined;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    this.errors.add(name, `${name} is not one of ${listWithAnd(values)}.`);
    return undefined;
  }

  /** wp_parse_id_list: comma list or `name[]=` array of integers. */
  idList(name: string): number[] | undefined {
    const v = this.query[name];
    if (v === undefined) return undefined;
    const parts = (Array.isArray(v) ? v : v.split(/[\s,]+/)).filter((s) => s !== '');
    const ids: number[] = [];
    for (const part of parts) {
      const n = Number(part);
      if (!Number.isInteger(n)) {
        this.errors.add(name, `${name}[${ids.length}] is not of type integer.`);
        return undefined;
      }
      ids.push(Math.abs(n));
    }
    return ids;
  }

  /** rest_parse_date format; returns the instant, reading an offset-less value in `zoneOffsetSeconds`. */
  date(name: string, zoneOffsetSeconds: () => number): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/.exec(raw);
    if (!m) {
      this.errors.add(name, 'Invalid date.', 'rest_invalid_date');
      return undefined;
    }
    const [, y, mo, d, h, mi, s, zone] = m;
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
    if (Number.isNaN(wall)) {
      this.errors.add(name, 'Invalid date.', 'rest_invalid_date');
      return undefined;
    }
    // An explicit offset is taken as an absolute instant (WordPress's handling is unverified).
    if (zone) {
      if (zone === 'Z' || zone === 'z') return wall;
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const offset = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2) || '0') * 60);
      return wall - offset;
    }
    return wall - zoneOffsetSeconds();
  }
}

export interface CollectionQuery {
  page: number;
  perPage: number;
  offset?: number;
  order: 'asc' | 'desc';
  orderby: string;
  include?: number[];
  exclude?: number[];
  parent?: number[];
  search?: string;
  /** Exclusive bounds as unix seconds. */
  createdAfter?: number;
  createdBefore?: number;
  modifiedAfter?: number;
  modifiedBefore?: number;
  fields?: string[];
}

export interface CollectionDefaults {
  orderbyValues: readonly string[];
  orderby?: string;
  order?: 'asc' | 'desc';
}

/** The §3 parameters shared by every CRUD collection. Call `reader.errors.throwIfAny()` after adding route-specific ones. */
export function readCollectionQuery(reader: ParamReader, defaults: CollectionDefaults, siteOffsetSeconds: number): CollectionQuery {
  const datesAreGmt = reader.bool('dates_are_gmt') ?? false;
  const zone = () => (datesAreGmt ? 0 : siteOffsetSeconds);
  const fields = reader.string('_fields');
  return {
    page: reader.int('page', { min: 1 }) ?? 1,
    perPage: reader.int('per_page', { min: 1, max: MAX_PER_PAGE }) ?? 10,
    offset: reader.int('offset'),
    order: reader.oneOf('order', ['asc', 'desc'] as const) ?? defaults.order ?? 'desc',
    orderby: reader.oneOf('orderby', defaults.orderbyValues) ?? defaults.orderby ?? 'date',
    include: reader.idList('include'),
    exclude: reader.idList('exclude'),
    parent: reader.idList('parent'),
    search: reader.string('search'),
    createdAfter: reader.date('after', zone),
    createdBefore: reader.date('before', zone),
    modifiedAfter: reader.date('modified_after', zone),
    modifiedBefore: reader.date('modified_before', zone),
    fields: fields === undefined ? undefined : fields.split(',').map((f) => f.trim()).filter((f) => f !== ''),
  };
}

export interface Row {
  id: number;
  parentId: number;
  created: number;
  modified: number;
}

/** include / exclude / parent and the date window (exclusive bounds, as WP_Date_Query with inclusive=false). */
export function matchesCollectionFilters(row: Row, q: CollectionQuery): boolean {
  if (q.include && q.include.length > 0 && !q.include.includes(row.id)) return false;
  if (q.exclude && q.exclude.includes(row.id)) return false;
  if (q.parent && q.parent.length > 0 && !q.parent.includes(row.parentId)) return false;
  if (q.createdAfter !== undefined && !(row.created > q.createdAfter)) return false;
  if (q.createdBefore !== undefined && !(row.created < q.createdBefore)) return false;
  if (q.modifiedAfter !== undefined && !(row.modified > q.modifiedAfter)) return false;
  if (q.modifiedBefore !== undefined && !(row.modified < q.modifiedBefore)) return false;
  return true;
}

/** Sorts by `orderby` with the id as tie-breaker in the same direction (`date ID`, `modified ID`). */
export function sortRows<T extends Row>(rows: T[], q: CollectionQuery, keyFor: (row: T, orderby: string) => string | number): T[] {
  const dir = q.order === 'asc' ? 1 : -1;
  const key = (row: T): string | number => {
    if (q.orderby === 'include') return q.include ? q.include.indexOf(row.id) : row.id;
    if (q.orderby === 'id') return row.id;
    if (q.orderby === 'date') return row.created;
    if (q.orderby === 'modified') return row.modified;
    return keyFor(row, q.orderby);
  };
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const primary = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
    return (primary || a.id - b.id) * dir;
  });
}

export interface Page<T> {
  items: T[];
  headers: Record<string, string | string[]>;
}

const AUTH_PARAM = /^(oauth_|consumer_key$|consumer_secret$)/;

/** Slices one page and builds the headers; an out-of-range page is an empty 200. */
export function paginate<T>(rows: T[], q: CollectionQuery, request: FastifyRequest, home: string): Page<T> {
  const total = rows.length;
  const totalPages = Math.ceil(total / q.perPage);
  const start = q.offset ?? (q.page - 1) * q.perPage;
  const items = rows.slice(start, start + q.perPage);
  const headers: Record<string, string | string[]> = { 'x-wp-total': String(total), 'x-wp-totalpages': String(totalPages) };

  // Link keeps the request's own parameters (minus credentials, which we do not echo) and swaps `page`.
  const raw = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const kept = raw.split('&').filter((part) => {
    if (part === '') return false;
    const key = decodeURIComponent(part.split('=')[0] ?? '');
    return key !== 'page' && !AUTH_PARAM.test(key);
  });
  const base = `${home}${requestPath(request)}`;
  const link = (page: number) => `${base}?${[...kept, `page=${page}`].join('&')}`;
  const links: string[] = [];
  if (q.page > 1) links.push(`<${link(Math.min(q.page - 1, Math.max(totalPages, 1)))}>; rel="prev"`);
  if (totalPages > q.page) links.push(`<${link(q.page + 1)}>; rel="next"`);
  if (links.length > 0) headers.link = links;
  return { items, headers };
}

/** rest_filter_response_fields: keeps requested top-level keys and `a.b` nested paths, in the object's order. */
export function pickFields(value: Record<string, unknown>, fields: readonly string[] | undefined): Record<string, unknown> {
  if (!fields || fields.length === 0) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (fields.includes(key)) {
      out[key] = v;
      continue;
    }
    const nested = fields.filter((f) => f.startsWith(`${key}.`)).map((f) => f.slice(key.length + 1));
    if (nested.length === 0) continue;
    if (Array.isArray(v)) {
      out[key] = v.map((item) => (isRecord(item) ? pickFields(item, nested) : item));
    } else if (isRecord(v)) {
      out[key] = pickFields(v, nested);
    }
  }
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readerFor(request: FastifyRequest): ParamReader {
  return new ParamReader(phpQuery(request));
}
