/**
 * Small pieces the order-side route modules share: path ids, JSON replies, body field readers
 * with WordPress's validation messages.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isRecord } from './collection';
import { listWithAnd, noRoute, ParamErrors, WooRestError } from './errors';
import type { MetaWrite } from './order-ops';

export const API = '/wp-json/wc/v3';

export function apiUrl(home: string, path: string): string {
  return `${home}${API}/${path}`;
}

/** WordPress routes use (?P<id>[\d]+): anything else matches no route. */
export function idParam(request: FastifyRequest, name: string): number {
  const raw = (request.params as Record<string, string | undefined>)[name] ?? '';
  if (!/^\d+$/.test(raw)) throw noRoute();
  return Number(raw);
}

export function sendJson(reply: FastifyReply, status: number, body: unknown, headers: Record<string, string | string[]> = {}): FastifyReply {
  return reply.code(status).headers(headers).type('application/json; charset=UTF-8').send(body);
}

export function isIntegerLike(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v) && Math.round(v) === v;
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) && Math.round(Number(v)) === Number(v);
}

export function isNumberLike(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v));
}

export function isBooleanLike(v: unknown): boolean {
  return typeof v === 'boolean' || v === 0 || v === 1 || ['true', 'false', '0', '1'].includes(String(v).toLowerCase());
}

/** rest_sanitize_boolean */
export function toBool(v: unknown): boolean {
  return v === true || v === 1 || ['1', 'yes', 'true'].includes(String(v).toLowerCase());
}

/**
 * Reads a JSON body field by field with rest_validate_value_from_schema's messages; call
 * `errors.throwIfAny()` once every field has been read.
 */
export class BodyReader {
  readonly errors = new ParamErrors();
  readonly body: Record<string, unknown>;

  constructor(body: unknown) {
    this.body = isRecord(body) ? body : {};
  }

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  string(name: string): string | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.errors.add(name, `${name} is not of type string.`, 'rest_invalid_type');
      return undefined;
    }
    return v;
  }

  int(name: string): number | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (!isIntegerLike(v)) {
      this.errors.add(name, `${name} is not of type integer.`, 'rest_invalid_type');
      return undefined;
    }
    return Number(v);
  }

  bool(name: string): boolean | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (!isBooleanLike(v)) {
      this.errors.add(name, `${name} is not of type boolean.`, 'rest_invalid_type');
      return undefined;
    }
    return toBool(v);
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    this.errors.add(name, `${name} is not one of ${listWithAnd(values)}.`, 'rest_not_in_enum');
    return undefined;
  }

  object(name: string): Record<string, unknown> | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (!isRecord(v)) {
      this.errors.add(name, `${name} is not of type object.`, 'rest_invalid_type');
      return undefined;
    }
    return v;
  }

  list(name: string): Record<string, unknown>[] | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.errors.add(name, `${name} is not of type array.`, 'rest_invalid_type');
      return undefined;
    }
    return v.filter(isRecord);
  }

  meta(name = 'meta_data'): MetaWrite[] | undefined {
    const list = this.list(name);
    if (!list) return undefined;
    return list.flatMap((m) => {
      if (typeof m.key !== 'string' && !isIntegerLike(m.id)) return [];
      return [{ id: isIntegerLike(m.id) ? Number(m.id) : undefined, key: typeof m.key === 'string' ? m.key : '', value: m.value ?? null }];
    });
  }

  /** A required parameter that is missing: WordPress's rest_missing_callback_param. */
  required(names: string[]): void {
    const missing = names.filter((n) => !this.has(n));
    if (missing.length === 0) return;
    throw new WooRestError('rest_missing_callback_param', `Missing parameter(s): ${missing.join(', ')}`, 400, { params: missing });
  }
}
