/**
 * A simulated Brightpearl account over HTTP, faithful to the reference where the sync depends on
 * it: URL shape, the three auth modes and their 401 form, the response envelope, ID sets and
 * their caps, resource search, product availability quirks and the per-account request cap with
 * its headers. Fault injection and call counters come from the shared controls (`/__sim/...`).
 *
 * Route modules (`ROUTE_MODULES`): products and prices, warehouses and availability, reference
 * data, contacts, sales orders / orders / credits, customer payments, goods-out notes, webhooks.
 * Webhooks are delivered from data changes by the WebhookDispatcher.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { buildCatalog, type Catalog, type CatalogOptions } from '../catalog';
import { installControls, type Controls, type SimulatorControls } from '../shared/controls';
import { seededRandom } from '../shared/random';
import { OrderActivity, type ActivityReport, type OrderActivityOptions } from './activity';
import { createState, randomStockActivity, setStock, type BrightpearlSimState, type StockLevel } from './data';
import {
  BrightpearlApiError,
  ERROR_CODES,
  sendBareMessage,
  sendErrors,
  type BrightpearlRouteModule,
} from './envelope';
import { createNoteForOrder, shipNote, unfulfilledRows, type NoteRequest } from './goods-out';
import { contactRoutes } from './routes/contacts';
import { goodsOutRoutes } from './routes/goods-out';
import { orderRoutes } from './routes/orders';
import { paymentRoutes } from './routes/payments';
import { productRoutes } from './routes/products';
import { referenceRoutes } from './routes/reference';
import { warehouseRoutes } from './routes/warehouses';
import { webhookRoutes } from './routes/webhooks';
import { requireOrder, setOrderStatus } from './sales';
import { seedAccount, trackingNumberFor } from './seed';
import { ThrottleWindow, type ThrottleState } from './throttle';
import { WebhookDispatcher } from './webhooks';

export const API_PREFIX = '/public-api/';
export const REMAINING_HEADER = 'brightpearl-requests-remaining';
export const PERIOD_HEADER = 'brightpearl-next-throttle-period';

/** Route modules, each registered under `/public-api/:accountCode`. */
export const ROUTE_MODULES: BrightpearlRouteModule[] = [
  productRoutes,
  warehouseRoutes,
  referenceRoutes,
  contactRoutes,
  orderRoutes,
  paymentRoutes,
  goodsOutRoutes,
  webhookRoutes,
];

export interface BrightpearlSimulatorOptions {
  catalog?: Catalog | CatalogOptions;
  accountCode?: string;
  appRef?: string;
  /** System (private) app token. */
  accountToken?: string;
  /** Staff (private) app token. */
  staffToken?: string;
  /** OAuth access token. */
  oauthToken?: string;
  devRef?: string;
  /** Requests per throttle window per account (200 for real). */
  requestsPerMinute?: number;
  /** Throttle window length; 60 s for real, shorter in tests. */
  throttleWindowMs?: number;
  controls?: Partial<Controls>;
  seed?: number;
  logger?: boolean;
  /** Seed customers, phone orders with goods-out notes, payments and a credit (default true). */
  seedOrders?: boolean;
  /** Webhook calls go out this long after the change (batched meanwhile). Default 1000; tests ~10. */
  webhookDelayMs?: number;
  /** Attempts per webhook call (QoS retries included). Default 5. */
  webhookMaxAttempts?: number;
  /** First webhook retry delay, doubled per attempt. Default `webhookDelayMs`. */
  webhookRetryDelayMs?: number;
  webhookTimeoutMs?: number;
  /** The warehouse side of `startActivity` / `activityTick` (default on). */
  orderActivity?: boolean | OrderActivityOptions;
  /** The account's clock (record timestamps). */
  now?: () => number;
}

export interface BrightpearlSimulator {
  app: FastifyInstance;
  state: BrightpearlSimState;
  controls: SimulatorControls;
  throttle: ThrottleWindow;
  /** Starts listening; returns the base URL to give the client (`http://127.0.0.1:port`). */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  webhooks: WebhookDispatcher;
  setStock(productId: number, warehouseId: number, change: { inStock?: number; allocated?: number }): StockLevel;
  /**
   * Every interval: the stock of a few random products changes, and (unless `orderActivity:
   * false`) the warehouse works on orders: goods-out notes, tracking, shipping, invoicing (demo).
   */
  startActivity(intervalMs?: number): void;
  stopActivity(): void;
  /** One activity tick now; what the order side did (deterministic for a seed). */
  activityTick(): ActivityReport;
  /** Moves an order to a status with the API's rules (throws BrightpearlApiError when refused). */
  setOrderStatus(orderId: number, statusId: number, note?: string): void;
  /** A goods-out note for (part of) an order; default everything not yet on a note. Returns its id. */
  createGoodsOutNote(orderId: number, request?: Omit<NoteRequest, 'historic'>): number;
  /** Sets tracking (when given) and ships a note (SHW). */
  shipGoodsOutNote(noteId: number, opts?: { reference?: string; shippingMethodId?: number }): void;
  /**
   * Puts everything left of an order on one note and ships it with a tracking number in the
   * carrier's format (or `reference`). Returns the note id, or undefined when nothing was left.
   */
  shipOrder(orderId: number, opts?: { reference?: string }): number | undefined;
  /** Resolves once every queued webhook call (and its retries) is done. */
  webhooksIdle(): Promise<void>;
}

export const SIMULATOR_DEFAULTS = {
  accountCode: 'demo',
  appRef: 'demo_bpwc',
  accountToken: 'demo-account-token',
  staffToken: 'demo-staff-token',
  oauthToken: 'demo-oauth-token',
  devRef: 'demo_dev',
  requestsPerMinute: 200,
  throttleWindowMs: 60_000,
} as const;

/** Counter key of an API route, as `/__sim/counters` reports it: `apiCounterKey('GET', 'product-service/product/:idSet')`. */
export function apiCounterKey(method: string, routePath: string): string {
  return `${method} /public-api/:accountCode/${routePath.replace(/^\/+/, '')}`;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

type AuthConfig = Required<Pick<BrightpearlSimulatorOptions, 'appRef' | 'accountToken' | 'staffToken' | 'oauthToken' | 'devRef'>>;

/** The 401 text for a request that fails authentication, or undefined when it passes. */
function authFailure(request: FastifyRequest, auth: AuthConfig): string | undefined {
  const appRef = header(request, 'brightpearl-app-ref');
  const authorization = header(request, 'authorization');
  const staffToken = header(request, 'brightpearl-staff-token');
  const accountToken = header(request, 'brightpearl-account-token');
  if (authorization !== undefined) {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
    if (bearer !== auth.oauthToken) return 'Authorization token expired';
    if (appRef !== auth.appRef || header(request, 'brightpearl-dev-ref') !== auth.devRef) {
      return 'Invalid instance token: app reference and developer reference do not match this installation';
    }
    return undefined;
  }
  if (staffToken === undefined && accountToken === undefined) return 'Not authenticated: no credentials supplied';
  if (appRef !== auth.appRef) return `Invalid app reference: ${appRef ?? '(none)'}`;
  if (staffToken !== undefined) return staffToken === auth.staffToken ? undefined : 'Invalid staff token';
  return accountToken === auth.accountToken ? undefined : 'Invalid account token';
}

export async function createBrightpearlSimulator(options: BrightpearlSimulatorOptions = {}): Promise<BrightpearlSimulator> {
  const catalog = options.catalog && 'products' in options.catalog ? options.catalog : buildCatalog(options.catalog);
  const accountCode = options.accountCode ?? SIMULATOR_DEFAULTS.accountCode;
  const auth: AuthConfig = {
    appRef: options.appRef ?? SIMULATOR_DEFAULTS.appRef,
    accountToken: options.accountToken ?? SIMULATOR_DEFAULTS.accountToken,
    staffToken: options.staffToken ?? SIMULATOR_DEFAULTS.staffToken,
    oauthToken: options.oauthToken ?? SIMULATOR_DEFAULTS.oauthToken,
    devRef: options.devRef ?? SIMULATOR_DEFAULTS.devRef,
  };
  const state = createState({ catalog, accountCode, now: options.now });
  const seed = options.seed ?? 1;
  if (options.seedOrders !== false) seedAccount(state, seededRandom(seed + 104_729));
  const webhooks = new WebhookDispatcher(state, {
    delayMs: options.webhookDelayMs,
    maxAttempts: options.webhookMaxAttempts,
    retryDelayMs: options.webhookRetryDelayMs,
    timeoutMs: options.webhookTimeoutMs,
  });
  const throttle = new ThrottleWindow(
    options.requestsPerMinute ?? SIMULATOR_DEFAULTS.requestsPerMinute,
    options.throttleWindowMs ?? SIMULATOR_DEFAULTS.throttleWindowMs,
  );
  const activityRandom = seededRandom(seed + 7919);
  const orderActivity =
    options.orderActivity === false
      ? undefined
      : new OrderActivity(state, seededRandom(seed + 15_485_863), typeof options.orderActivity === 'object' ? options.orderActivity : {});
  const trackingRandom = seededRandom(seed + 32_452_843);
  const tick = (): ActivityReport => {
    randomStockActivity(state, activityRandom);
    return orderActivity?.step() ?? { notesCreated: [], notesTracked: [], notesShipped: [], statusChanges: [] };
  };

  // ID sets in the path may be as long as the API's own limit (MAX_IDSET_TEXT_LENGTH, answered
  // 414 by the routes); Fastify's default cap of 100 characters refused scattered-id sets.
  const app = Fastify({ logger: options.logger ?? false, routerOptions: { maxParamLength: 65_536 } });
  /** The throttle state a counted request left behind, for its response headers. */
  const throttleOf = new WeakMap<FastifyRequest, ThrottleState>();
  let errorFaults = 0;

  const controls = installControls(app, {
    initial: options.controls,
    seed: options.seed,
    apiPrefix: API_PREFIX,
    answerFault: (kind, request, reply) => {
      if (kind === 'throttle') {
        const { periodMs } = throttle.peek();
        throttleOf.set(request, { remaining: 0, periodMs });
        return sendErrors(reply, 503, [{ code: ERROR_CODES.TOO_MANY_REQUESTS, message: 'You have sent too many requests. Please wait before sending another request' }]);
      }
      // Alternate between an application 500 and a gateway 502, both in Brightpearl's envelope.
      errorFaults += 1;
      return errorFaults % 2 === 1
        ? sendErrors(reply, 500, [{ code: ERROR_CODES.INTERNAL, message: 'An internal error occurred. Please try again later' }])
        : sendErrors(reply, 502, [{ code: ERROR_CODES.BAD_GATEWAY, message: 'Bad gateway' }]);
    },
  });

  // Account, then credentials, then the account's request cap (it is per account, so it needs both).
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(API_PREFIX)) return;
    const account = request.url.slice(API_PREFIX.length).split(/[/?]/)[0] ?? '';
    if (decodeURIComponent(account) !== accountCode) {
      return sendErrors(reply, 404, [{ code: ERROR_CODES.NOT_FOUND, message: `Account ${account} was not found` }]);
    }
    const failure = authFailure(request, auth);
    // No WWW-Authenticate header, and the message is a bare string (observed).
    if (failure) return sendBareMessage(reply, 401, failure);
    const hit = throttle.hit();
    throttleOf.set(request, hit);
    if (!hit.allowed) {
      return sendErrors(reply, 503, [{ code: ERROR_CODES.TOO_MANY_REQUESTS, message: 'You have sent too many requests. Please wait before sending another request' }]);
    }
  });

  // Every API response carries the throttle headers.
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith(API_PREFIX)) return payload;
    const t = throttleOf.get(request) ?? throttle.peek();
    reply.header(REMAINING_HEADER, String(t.remaining));
    reply.header(PERIOD_HEADER, String(Math.max(0, Math.ceil(t.periodMs))));
    return payload;
  });

  // PATCH endpoints take a JSON Patch array; some clients label it application/json-patch+json.
  app.addContentTypeParser('application/json-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('ignore', 'ignore'));

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof BrightpearlApiError) return sendErrors(reply, error.status, error.entries);
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 400 || status === 415) {
      // Fastify's body parser: a missing or broken JSON body.
      return sendErrors(reply, 400, [{ code: ERROR_CODES.NO_JSON_BODY, message: `The request body could not be read as JSON: ${(error as Error).message}` }]);
    }
    if (status < 500) return sendErrors(reply, status, [{ code: ERROR_CODES.BAD_REQUEST, message: (error as Error).message }]);
    request.log.error(error);
    return sendErrors(reply, 500, [{ code: ERROR_CODES.INTERNAL, message: 'An internal error occurred' }]);
  });

  app.setNotFoundHandler((request, reply) =>
    sendErrors(reply, 404, [{ code: ERROR_CODES.NOT_FOUND, message: `No resource at ${request.method} ${request.url.split('?')[0] ?? ''}` }]),
  );

  await app.register(
    async (api) => {
      for (const register of ROUTE_MODULES) register(api, { state, webhooks });
    },
    { prefix: '/public-api/:accountCode' },
  );

  let activity: NodeJS.Timeout | undefined;
  const stopActivity = () => {
    if (activity) clearInterval(activity);
    activity = undefined;
  };

  return {
    app,
    state,
    controls,
    throttle,
    webhooks,
    async listen(port = 0, host = '127.0.0.1') {
      return app.listen({ port, host });
    },
    async close() {
      stopActivity();
      webhooks.close();
      await app.close();
    },
    setStock: (productId, warehouseId, change) => setStock(state, productId, warehouseId, change),
    startActivity(intervalMs = 3000) {
      stopActivity();
      activity = setInterval(tick, intervalMs);
      // Demo noise must never keep a process alive on its own.
      activity.unref();
    },
    stopActivity,
    activityTick: tick,
    setOrderStatus: (orderId, statusId, note) => setOrderStatus(state, orderId, statusId, note),
    createGoodsOutNote: (orderId, request = {}) => createNoteForOrder(state, orderId, { source: 'helper', ...request }),
    shipGoodsOutNote: (noteId, opts = {}) => shipNote(state, noteId, opts),
    shipOrder(orderId, opts = {}) {
      const order = requireOrder(state, orderId, 'SO');
      if (unfulfilledRows(state, order).length === 0) return undefined;
      const noteId = createNoteForOrder(state, orderId, { source: 'helper' });
      shipNote(state, noteId, { reference: opts.reference ?? trackingNumberFor(order.delivery.shippingMethodId, trackingRandom) });
      return noteId;
    },
    webhooksIdle: () => webhooks.idle(),
  };
}
