/**
 * Brightpearl's response forms, for every route module of the simulator:
 *   success   `{"response": ...}`
 *   failure   `{"errors":[{"code":"CMNC-018","message":"..."}]}`
 *   auth      401 `{"response":"Authorization token expired"}` (a bare string, no WWW-Authenticate)
 * Route handlers throw `BrightpearlApiError`; the app's error handler writes the envelope.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { BrightpearlSimState } from './data';

/**
 * Error codes. The first four are Brightpearl's own (see the reference); the rest are the
 * simulator's stand-ins where the reference names the status but not the code.
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
} as const;

export class BrightpearlApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BrightpearlApiError';
  }
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

/** What a route module gets; later modules (orders, credits, goods-out, webhooks) use the same. */
export interface BrightpearlRouteContext {
  state: BrightpearlSimState;
}

/**
 * A route module registers routes relative to `/public-api/{accountCode}/`, e.g.
 * `app.get('/product-service/product/:idSet', ...)`.
 */
export type BrightpearlRouteModule = (app: FastifyInstance, ctx: BrightpearlRouteContext) => void;
