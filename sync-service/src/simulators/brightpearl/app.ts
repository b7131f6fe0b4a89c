/**
 * A simulated Brightpearl account over HTTP, faithful to the reference where the sync depends on
 * it: URL shape, the three auth modes and their 401 form, the response envelope, ID sets and
 * their caps, resource search, product availability quirks and the per-account request cap with
 * its headers. Fault injection and call counters come from the shared controls (`/__sim/...`).
 *
 * More endpoints (orders, sales credits, contacts, goods-out, webhooks) plug in as further route
 * modules in `ROUTE_MODULES`, using the same state and envelope helpers.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { buildCatalog, type Catalog, type CatalogOptions } from '../catalog';
import { installControls, type Controls, type SimulatorControls } from '../shared/controls';
import { seededRandom } from '../shared/random';
import { createState, randomStockActivity, setStock, type BrightpearlSimState, type StockLevel } from './data';
import {
  BrightpearlApiError,
  ERROR_CODES,
  sendBareMessage,
  sendErrors,
  type BrightpearlRouteModule,
} from './envelope';
import { productRoutes } from './routes/products';
import { warehouseRoutes } from './routes/warehouses';
import { ThrottleWindow, type ThrottleState } from './throttle';

export const API_PREFIX = '/public-api/';
export const REMAINING_HEADER = 'brightpearl-requests-remaining';
export const PERIOD_HEADER = 'brightpearl-next-throttle-period';

/** Route modules, each registered under `/public-api/:accountCode`. */
export const ROUTE_MODULES: BrightpearlRouteModule[] = [productRoutes, warehouseRoutes];

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
}

export interface BrightpearlSimulator {
  app: FastifyInstance;
  state: BrightpearlSimState;
  controls: SimulatorControls;
  throttle: ThrottleWindow;
  /** Starts listening; returns the base URL to give the client (`http://127.0.0.1:port`). */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  setStock(productId: number, warehouseId: number, change: { inStock?: number; allocated?: number }): StockLevel;
  /** Every interval, changes the stock of a few random products (demo). */
  startActivity(intervalMs?: number): void;
  stopActivity(): void;
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
  const state = createState({ catalog, accountCode });
  const throttle = new ThrottleWindow(
    options.requestsPerMinute ?? SIMULATOR_DEFAULTS.requestsPerMinute,
    options.throttleWindowMs ?? SIMULATOR_DEFAULTS.throttleWindowMs,
  );
  const activityRandom = seededRandom((options.seed ?? 1) + 7919);

  const app = Fastify({ logger: options.logger ?? false });
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
    if (error instanceof BrightpearlApiError) return sendErrors(reply, error.status, [{ code: error.code, message: error.message }]);
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
      for (const register of ROUTE_MODULES) register(api, { state });
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
    async listen(port = 0, host = '127.0.0.1') {
      return app.listen({ port, host });
    },
    async close() {
      stopActivity();
      await app.close();
    },
    setStock: (productId, warehouseId, change) => setStock(state, productId, warehouseId, change),
    startActivity(intervalMs = 3000) {
      stopActivity();
      activity = setInterval(() => randomStockActivity(state, activityRandom), intervalMs);
      // Demo noise must never keep a process alive on its own.
      activity.unref();
    },
    stopActivity,
  };
}
