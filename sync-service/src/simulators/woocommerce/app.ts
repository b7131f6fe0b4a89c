/**
 * A simulated WooCommerce store (wc/v3) over real HTTP, faithful to the reference where the sync
 * depends on it: auth by scheme, WordPress error envelopes, paging headers, the stock rules and
 * batch semantics, orders with their status side effects, refunds, notes, the Shipment Tracking
 * extension and webhooks delivered asynchronously. Route modules register on the same app and
 * share the state.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildCatalog, type Catalog, type CatalogOptions } from '../catalog';
import { installControls, type Controls, type SimulatorControls } from '../shared/controls';
import { seededRandom } from '../shared/random';
import { parsePhpQuery } from '../../woocommerce/oauth';
import { activityTick, DEFAULT_ORDER_ACTIVITY, type OrderActivityRates } from './activity';
import { homeUrl, installAuth, sendRestError } from './auth';
import { checkout, type CheckoutContext, type CheckoutInput } from './checkout';
import {
  buildWooCommerceState,
  DEFAULT_CONSUMER_KEY,
  DEFAULT_CONSUMER_SECRET,
  type ExtensionsOptions,
  type PostRecord,
  type StoreEvent,
  type WooCommerceState,
} from './data';
import { noRoute, WooRestError } from './errors';
import { registerNoteRoutes } from './notes';
import type { OrderRecord, OrderStatus, RefundRecord } from './order-model';
import { OrderOperations } from './order-ops';
import { renderOrder, renderRefund } from './order-render';
import { seedOrders } from './order-seed';
import { orderInvalidId, readOrderWrite, registerOrderRoutes } from './orders';
import { registerProductRoutes, renderProduct, renderVariation } from './products';
import { readRefundWrite, registerRefundRoutes } from './refunds';
import { registerSettingsRoutes } from './settings';
import { registerStoreConfigRoutes } from './store-config';
import { registerTrackingRoutes } from './tracking';
import { registerWebhookRoutes, WebhookDispatcher, type WebhookDeliveryRecord } from './webhooks';

export interface WooCommerceSimulatorOptions {
  catalog?: Catalog | CatalogOptions;
  consumerKey?: string;
  consumerSecret?: string;
  /** Treat requests as HTTPS (as behind a TLS proxy WordPress recognises): Basic auth and consumer_key query params work. */
  assumeHttps?: boolean;
  /** woocommerce_rest_batch_items_limit */
  batchLimit?: number;
  controls?: Partial<Controls>;
  seed?: number;
  logger?: boolean;
  /** Milliseconds clock for the store (dates, OAuth timestamps); defaults to Date.now. */
  now?: () => number;
  /** Orders seeded over the last days (default 30; 0 for none). Deterministic for `seed` and the clock. */
  seedOrders?: number;
  /** Installed extensions; Shipment Tracking is on by default (off: its routes are 404 rest_no_route). */
  extensions?: Partial<ExtensionsOptions>;
  /** WooCommerce version reported (default 9.4.2); below 9.0 there is no store-wide GET /refunds. */
  wcVersion?: string;
  /** A sequential-order-number plugin numbers new orders (`number` ≠ `id`); default true. */
  sequentialOrderNumbers?: boolean;
  /** Delay before a queued webhook delivery is sent (WooCommerce's Action Scheduler lag); default 1000 ms. */
  webhookDelayMs?: number;
  /** Timeout of each webhook delivery and ping; default 5000 ms. */
  webhookTimeoutMs?: number;
  /** woocommerce_max_webhook_delivery_failures; default 5 (disabled on the 7th consecutive failure). */
  maxWebhookFailures?: number;
  /** Chances per startActivity tick of a new order, an on-hold order being paid, a partial refund. */
  orderActivity?: Partial<OrderActivityRates>;
}

export interface WooCommerceSimulator {
  app: FastifyInstance;
  state: WooCommerceState;
  controls: SimulatorControls;
  consumerKey: string;
  consumerSecret: string;
  /** Store URL once listening. */
  url: string | undefined;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  startActivity(intervalMs?: number): void;
  stopActivity(): void;
  /** The product or variation with this SKU as GET /products?sku= would show it (trash excluded). */
  productBySku(sku: string): Record<string, unknown> | undefined;
  /** The stored record behind a SKU, for assertions on internal state. */
  recordBySku(sku: string): PostRecord | undefined;

  /** Order-side operations on the store (what REST writes run), for tests that need direct control. */
  orderOps: OrderOperations;
  webhookDispatcher: WebhookDispatcher;
  /** Places an order as the storefront checkout would; returns it as GET /orders/{id} shows it. */
  placeOrder(input?: CheckoutInput): Record<string, unknown>;
  /** GET /orders/{id} as rendered now (undefined when there is no such order). */
  orderById(id: number): Record<string, unknown> | undefined;
  orderRecord(id: number): OrderRecord | undefined;
  /** Same rules as PUT /orders/{id} with a REST body; throws WooRestError like the route would answer. */
  updateOrder(id: number, body: Record<string, unknown>): Record<string, unknown>;
  setOrderStatus(id: number, status: OrderStatus): Record<string, unknown>;
  /** Same rules as POST /orders/{id}/refunds (REST body: amount string, api_refund default true, ...). */
  createRefund(orderId: number, body: Record<string, unknown>): Record<string, unknown>;
  refundById(id: number): Record<string, unknown> | undefined;
  refundRecord(id: number): RefundRecord | undefined;
  /** Saves orders without changes (a bulk edit): date_modified = `atSeconds` (default now), order.updated fires. */
  touchOrders(ids: readonly number[], atSeconds?: number): void;
  /** Sends every queued webhook delivery now and waits for them (and those they cause) to finish. */
  flushWebhooks(): Promise<void>;
  /** Pings and delivery attempts so far, oldest first. */
  webhookLog(): readonly WebhookDeliveryRecord[];
  /** Called for every /wp-json request once it is authenticated, before the route runs. */
  onRequest(listener: (method: string, url: string) => void): () => void;
}

const JSON_TYPE = 'application/json; charset=UTF-8';

const CRITICAL_ERROR = {
  code: 'internal_server_error',
  message:
    '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p>',
  data: { status: 500 },
  additional_errors: [],
};

/** How hosts and WordPress answer the injected faults: throttling proxies, PHP fatals, gateways, maintenance. */
function faultAnswerer() {
  let rotation = 0;
  return (kind: 'error' | 'throttle', _request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (kind === 'throttle') {
      return reply
        .code(429)
        .header('retry-after', '1')
        .type('text/html; charset=UTF-8')
        .send('<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1><p>You have been rate limited.</p></body></html>');
    }
    switch (rotation++ % 3) {
      case 0:
        return reply.code(500).type(JSON_TYPE).send(CRITICAL_ERROR);
      case 1:
        return reply
          .code(502)
          .type('text/html')
          .send('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>');
      default:
        return reply
          .code(503)
          .type('text/html')
          .send('<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>');
    }
  };
}

function resolveCatalog(input: Catalog | CatalogOptions | undefined): Catalog {
  if (input && 'products' in input) return input;
  return buildCatalog(input ?? {});
}

export async function createWooCommerceSimulator(options: WooCommerceSimulatorOptions = {}): Promise<WooCommerceSimulator> {
  const assumeHttps = options.assumeHttps ?? false;
  const consumerKey = options.consumerKey ?? DEFAULT_CONSUMER_KEY;
  const consumerSecret = options.consumerSecret ?? DEFAULT_CONSUMER_SECRET;
  const catalog = resolveCatalog(options.catalog);
  const state = buildWooCommerceState({ catalog, seed: options.seed, consumerKey, consumerSecret, now: options.now });
  if (options.wcVersion) state.wcVersion = options.wcVersion;
  Object.assign(state.extensions, options.extensions ?? {});
  state.sequentialOrderNumbers = options.sequentialOrderNumbers ?? true;
  seedOrders(state, { count: options.seedOrders ?? 30, seed: options.seed ?? 7, catalog });
  const unknownSkus = new Set(catalog.quirks.missingInBrightpearl.map((x) => x.sku));
  const orderOps = new OrderOperations(state, seededRandom((options.seed ?? 1) + 3));

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 16 * 1024 * 1024,
    // Hung fault requests must not hold close() open.
    forceCloseConnections: true,
    routerOptions: { ignoreTrailingSlash: true, querystringParser: (qs: string) => parsePhpQuery(qs) },
  });

  // WordPress reads JSON bodies leniently: an empty body is no parameters, other media types are ignored.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new WooRestError('rest_invalid_json', 'Invalid JSON body passed.', 400, { json_error_code: 4, json_error_message: 'Syntax error' }), undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, _body, done) => done(null, undefined));

  app.setErrorHandler((error: unknown, _request, reply) => {
    if (error instanceof WooRestError) return sendRestError(reply, error);
    const status = typeof (error as { statusCode?: unknown }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
    if (status >= 400 && status < 500) {
      const message = error instanceof Error ? error.message : 'Bad request.';
      return sendRestError(reply, new WooRestError('rest_invalid_request', message, status));
    }
    reply.log.error(error);
    return reply.code(500).type(JSON_TYPE).send(CRITICAL_ERROR);
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/wp-json')) return sendRestError(reply, noRoute());
    return reply.code(404).type('text/html; charset=UTF-8').send('<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>');
  });

  // Faults first (a host answers before WordPress runs), then WooCommerce's authentication.
  const controls = installControls(app, {
    apiPrefix: '/wp-json/',
    initial: options.controls,
    seed: options.seed,
    answerFault: faultAnswerer(),
  });
  installAuth(app, state, { assumeHttps });

  const requestListeners: ((method: string, url: string) => void)[] = [];
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/wp-json')) return;
    for (const listener of [...requestListeners]) listener(request.method, request.url);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/wp-json')) {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('access-control-expose-headers', 'X-WP-Total, X-WP-TotalPages, Link');
    }
    return payload;
  });

  // Discovery: the site index and the namespace index need no credentials.
  app.get('/wp-json', async (request) => ({
    name: 'Simulated WooCommerce Store',
    url: homeUrl(request, assumeHttps),
    home: homeUrl(request, assumeHttps),
    gmt_offset: String(state.options.gmtOffsetHours),
    namespaces: state.extensions.shipmentTracking ? ['wc/v3', 'wc-shipment-tracking/v3'] : ['wc/v3'],
    authentication: [],
  }));
  app.get('/wp-json/wc/v3', async () => ({ namespace: 'wc/v3', routes: {} }));

  const renderResource = (resource: StoreEvent['resource'], id: number): Record<string, unknown> | undefined => {
    if (resource === 'order') {
      const order = state.orders.get(id);
      return order ? renderOrder(state, order, state.homeUrl) : undefined;
    }
    if (resource === 'product') {
      const p = state.post(id);
      if (!p) return undefined;
      return p.kind === 'variation' ? renderVariation(state, p, state.homeUrl) : renderProduct(state, p, state.homeUrl);
    }
    return undefined;
  };
  const dispatcher = new WebhookDispatcher(state, {
    delayMs: options.webhookDelayMs ?? 1000,
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    maxFailures: options.maxWebhookFailures ?? 5,
    render: renderResource,
  });
  app.addHook('onClose', async () => dispatcher.close());

  registerProductRoutes(app, { state, assumeHttps, batchLimit: options.batchLimit ?? 100 });
  registerSettingsRoutes(app, state);
  registerStoreConfigRoutes(app);
  registerOrderRoutes(app, { state, ops: orderOps, assumeHttps });
  registerRefundRoutes(app, { state, ops: orderOps, assumeHttps });
  registerNoteRoutes(app, { state, ops: orderOps, assumeHttps });
  if (state.extensions.shipmentTracking) registerTrackingRoutes(app, { state, ops: orderOps, random: seededRandom((options.seed ?? 1) + 4) });
  registerWebhookRoutes(app, { state, dispatcher, assumeHttps, random: seededRandom((options.seed ?? 1) + 5) });

  const activityRandom = seededRandom((options.seed ?? 1) + 1);
  const activityCtx: CheckoutContext = { state, ops: orderOps, random: seededRandom((options.seed ?? 1) + 2), excludeSkus: unknownSkus };
  const orderRates: OrderActivityRates = { ...DEFAULT_ORDER_ACTIVITY, ...options.orderActivity };
  let activityTimer: NodeJS.Timeout | undefined;
  const rendered = (order: OrderRecord) => renderOrder(state, order, state.homeUrl);
  const existingOrder = (id: number, notFoundStatus: number): OrderRecord => {
    const order = state.orders.get(id);
    if (!order) throw orderInvalidId(notFoundStatus);
    return order;
  };
  const shopManager = state.apiKeys[0];

  const sim: WooCommerceSimulator = {
    app,
    state,
    controls,
    consumerKey,
    consumerSecret,
    url: undefined,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
      sim.url = `http://${shownHost}:${address.port}`;
      state.homeUrl = sim.url;
      return sim.url;
    },
    async close() {
      sim.stopActivity();
      await app.close();
    },
    startActivity(intervalMs = 3000) {
      sim.stopActivity();
      activityTimer = setInterval(() => {
        try {
          activityTick(activityCtx, activityRandom, orderRates);
        } catch (err) {
          app.log.warn({ err }, 'demo activity step failed');
        }
      }, intervalMs);
      activityTimer.unref();
    },
    stopActivity() {
      if (activityTimer) clearInterval(activityTimer);
      activityTimer = undefined;
    },
    productBySku(sku) {
      const record = state.findBySku(sku);
      return record ? renderProduct(state, record, state.homeUrl) : undefined;
    },
    recordBySku(sku) {
      return state.findBySku(sku);
    },
    orderOps,
    webhookDispatcher: dispatcher,
    placeOrder(input = {}) {
      return rendered(checkout({ ...activityCtx, excludeSkus: input.items ? undefined : unknownSkus }, input));
    },
    orderById(id) {
      const order = state.orders.get(id);
      return order ? rendered(order) : undefined;
    },
    orderRecord(id) {
      return state.orders.get(id);
    },
    updateOrder(id, body) {
      const w = readOrderWrite(body);
      return rendered(orderOps.updateOrder(existingOrder(id, 400), w, { user: shopManager }));
    },
    setOrderStatus(id, status) {
      const order = existingOrder(id, 400);
      orderOps.setStatus(order, status, { user: shopManager });
      return rendered(order);
    },
    createRefund(orderId, body) {
      const w = readRefundWrite(body);
      const order = existingOrder(orderId, 404);
      if (w.amount !== undefined && w.amount < 0) {
        throw new WooRestError('woocommerce_rest_invalid_order_refund', 'Refund amount must be greater than zero.', 500, {}, {}, 400);
      }
      return renderRefund(state, orderOps.createRefund(order, w, { user: shopManager }), state.homeUrl);
    },
    refundById(id) {
      const refund = state.refunds.get(id);
      return refund ? renderRefund(state, refund, state.homeUrl, 2, true) : undefined;
    },
    refundRecord(id) {
      return state.refunds.get(id);
    },
    touchOrders(ids, atSeconds) {
      for (const id of ids) {
        const order = state.orders.get(id);
        if (order) orderOps.touch(order, { at: atSeconds });
      }
    },
    flushWebhooks() {
      return dispatcher.flush();
    },
    webhookLog() {
      return dispatcher.log;
    },
    onRequest(listener) {
      requestListeners.push(listener);
      return () => {
        const at = requestListeners.indexOf(listener);
        if (at !== -1) requestListeners.splice(at, 1);
      };
    },
  };
  await app.ready();
  return sim;
}
