/**
 * A simulated WooCommerce store (wc/v3) over real HTTP, faithful to the reference where the sync
 * depends on it: auth by scheme, WordPress error envelopes, paging headers, the stock rules and
 * batch semantics. Route modules (products, settings; later orders, refunds, notes, shipment
 * trackings, webhooks) register on the same app and share the state.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildCatalog, type Catalog, type CatalogOptions } from '../catalog';
import { installControls, type Controls, type SimulatorControls } from '../shared/controls';
import { seededRandom } from '../shared/random';
import { parsePhpQuery } from '../../woocommerce/oauth';
import { simulatePurchase } from './activity';
import { homeUrl, installAuth, sendRestError } from './auth';
import { buildWooCommerceState, DEFAULT_CONSUMER_KEY, DEFAULT_CONSUMER_SECRET, type PostRecord, type WooCommerceState } from './data';
import { noRoute, WooRestError } from './errors';
import { registerProductRoutes, renderProduct } from './products';
import { registerSettingsRoutes } from './settings';

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
  const state = buildWooCommerceState({ catalog: resolveCatalog(options.catalog), seed: options.seed, consumerKey, consumerSecret, now: options.now });

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
    namespaces: ['wc/v3'],
    authentication: [],
  }));
  app.get('/wp-json/wc/v3', async () => ({ namespace: 'wc/v3', routes: {} }));

  registerProductRoutes(app, { state, assumeHttps, batchLimit: options.batchLimit ?? 100 });
  registerSettingsRoutes(app, state);

  const activityRandom = seededRandom((options.seed ?? 1) + 1);
  let activityTimer: NodeJS.Timeout | undefined;

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
      activityTimer = setInterval(() => simulatePurchase(state, activityRandom), intervalMs);
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
  };
  await app.ready();
  return sim;
}
