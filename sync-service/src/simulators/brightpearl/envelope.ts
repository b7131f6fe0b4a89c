/**
 * Brightpearl's response forms, for every route module of the simulator:
 *   success   `{"response": ...}`
 *   failure   `{"errors":[{"code":"CMNC-018","message":"..."}]}`
 *   auth      401 `{"response":"Authorization token expired"}` (a bare string, no WWW-Authenticate)
 * Route handlers throw `BrightpearlApiError`; the app's error handler writes the envelope.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { BrightpearlSimState } from './data';
import type { WebhookDispatcher } from './webhooks';

/**
 * Error codes. Brightpearl's own (see the reference): CMNC-404, CMNC-010, CMNC-018, CMNC-044,
 * ORDC-005, ORDC-024, INTC-064. The rest are the simulator's stand-ins where the reference names
 * the status but not the code (`xxxC-400` = a validation failure of that service).
 */
export const ERROR_CODES = {
  NOT_FOUND: 'CMNC-404',
  NO_JSON_BODY: 'CMNC-010',
  BAD_FILTER: 'CMNC-018',
  BAD_PATCH_OP: 'CMNC-044',
  BAD_REQUEST: 'CMNC-400',
  INTERNAL: 'CMNC-500',
  BAD_GATEWAY: 'CMNC-502',
  TOO_MANY_REQUESTS: 'CMNC-503',
  /** No (or an unknown) order type. */
  ORDER_NO_TYPE: 'ORDC-005',
  /** A row quantity that is missing, not a number, not positive, or fractional where it must be whole. */
  ORDER_BAD_QUANTITY: 'ORDC-024',
  /** Any other sales order / credit / status / note validation failure (stand-in). */
  ORDER_INVALID: 'ORDC-400',
  CONTACT_INVALID: 'CONC-400',
  PAYMENT_INVALID: 'ACCC-400',
  /** transactionRef + paymentMethodCode already used by a different payment (stand-in). */
  PAYMENT_DUPLICATE: 'ACCC-409',
  GOODS_OUT_INVALID: 'WHSC-400',
  /** `If-Match` did not name the note's lastEventVersion (stand-in). */
  GOODS_OUT_VERSION_MISMATCH: 'WHSC-412',
  WEBHOOK_UNSUBSCRIBABLE: 'INTC-064',
  WEBHOOK_INVALID: 'INTC-400',
} as const;

export interface ApiErrorEntry {
  code: string;
  message: string;
}

/** A failed request; `more` carries further entries of the same `errors[]` (validation lists). */
export class BrightpearlApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly more: ApiErrorEntry[] = [],
  ) {
    super(message);
    this.name = 'BrightpearlApiError';
  }

  get entries(): ApiErrorEntry[] {
    return [{ code: this.code, message: this.message }, ...this.more];
  }

  /** One error carrying every entry of a validation list (at least one). */
  static fromList(status: number, entries: ApiErrorEntry[]): BrightpearlApiError {
    const [first, ...rest] = entries;
    if (!first) throw new Error('fromList needs at least one entry');
    return new BrightpearlApiError(status, first.code, first.message, rest);
  }
}

export function notFound(message: string): BrightpearlApiError {
  return new BrightpearlApiError(404, ERROR_CODES.NOT_FOUND, message);
}

export function sendResponse(reply: FastifyReply, response: unknown, status = 200): FastifyReply {
  return reply.code(status).type('application/json;charset=UTF-8').send({ response });
}

export function sendErrors(reply: FastifyReply, status: number, errors: { code: string; message: string }[]): FastifyReply {
  return reply.code(status).type('application/json;charset=UTF-8').send({ errors });
}

/** The 401 form: `response` holds a bare string instead of an `errors` array. */
export function sendBareMessage(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json;charset=UTF-8').send({ response: message });
}

/** Updates answer `{}` (the reference's "Response `{}`"). */
export function sendEmpty(reply: FastifyReply, status = 200): FastifyReply {
  return reply.code(status).type('application/json;charset=UTF-8').send({});
}

/** Search answers: `response` plus the top-level `reference`. */
export function sendSearch(reply: FastifyReply, result: unknown): FastifyReply {
  return reply.code(200).type('application/json;charset=UTF-8').send(result);
}

/** What a route module gets. */
export interface BrightpearlRouteContext {
  state: BrightpearlSimState;
  webhooks: WebhookDispatcher;
}

/**
 * A route module registers routes relative to `/public-api/{accountCode}/`, e.g.
 * `app.get('/product-service/product/:idSet', ...)`.
 */
export type BrightpearlRouteModule = (app: FastifyInstance, ctx: BrightpearlRouteContext) => void;
