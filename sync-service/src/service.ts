/**
 * Composes the service: configuration → store → clients → flows → engine → scheduler → HTTP API.
 * `close()` is the graceful shutdown: stop scheduling, stop taking requests, let running
 * flows finish the batch in hand, release their locks, close the database.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { buildApi } from './api/app';
import type { ApiContext } from './api/context';
import { BrightpearlClient } from './brightpearl/client';
import type { Config } from './config/schema';
import { SYNC_TYPES, type SyncType } from './domain/constants';
import { Engine } from './engine/engine';
import { noteRetry } from './engine/run-scope';
import type { Flow } from './engine/flow';
import { buildFlows } from './flows';
import { Scheduler } from './scheduler/scheduler';
import { readReferenceData } from './settings/reference';
import { Store } from './store';
import { WooCommerceClient } from './woocommerce/client';
import { VERSION } from './version';

export interface Service {
  config: Config;
  store: Store;
  engine: Engine;
  scheduler: Scheduler;
  api: FastifyInstance;
  /** Starts listening and scheduling; returns the base URL. */
  start(): Promise<string>;
  close(): Promise<void>;
}

export interface ServiceOptions {
  config: Config;
  log: PinoLogger;
  token: string;
  /** Tests and benchmarks may swap the flows. */
  flows?: Partial<Record<SyncType, Flow>>;
  lockTtlMs?: number;
  /** Demo mode: serve the built admin page at /preview/. */
  previewDir?: string;
}

export function buildClients(config: Config, log: PinoLogger) {
  const bp = config.brightpearl;
  const wc = config.woocommerce;
  if (!bp || !wc) return undefined;
  const onRetry = (system: 'brightpearl' | 'woocommerce') => (e: { attempt: number; delayMs: number; method: string; path: string; error: Error & { status?: number; kind?: string } }) => {
    log.warn({ system, attempt: e.attempt, delayMs: e.delayMs, call: `${e.method} ${e.path}`, err: e.error.message }, 'retrying a remote call');
    noteRetry({ system, call: `${e.method} ${e.path}`, attempt: e.attempt, reason: e.error.status ? `HTTP ${e.error.status}` : (e.error.kind ?? 'error') });
  };
  const auth = bp.oauthToken
    ? { kind: 'oauth' as const, appRef: bp.appRef, devRef: bp.devRef as string, accessToken: bp.oauthToken }
    : bp.staffToken
      ? { kind: 'staff' as const, appRef: bp.appRef, staffToken: bp.staffToken }
      : { kind: 'system' as const, appRef: bp.appRef, accountToken: bp.accountToken as string };
  return {
    brightpearl: new BrightpearlClient({ baseUrl: bp.baseUrl, accountCode: bp.accountCode, auth, timeoutMs: bp.timeoutMs, onRetry: onRetry('brightpearl') }),
    woocommerce: new WooCommerceClient({ url: wc.url, consumerKey: wc.consumerKey, consumerSecret: wc.consumerSecret, timeoutMs: wc.timeoutMs, onRetry: onRetry('woocommerce') }),
  };
}

export async function createService(options: ServiceOptions): Promise<Service> {
  const { config, log } = options;
  const store = Store.open(config.db);
  store.flows.ensure(config.flows);
  // Configured warehouses seed the mappings once; after that the Settings tab owns them.
  if (!store.settings.hasMappings() && config.inventoryWarehouseIds.length) {
    store.settings.saveMappings({ ...store.settings.mappings(), inventoryWarehouseIds: config.inventoryWarehouseIds });
  }
  const clients = buildClients(config, log);
  const flows =
    options.flows ??
    (clients
      ? buildFlows({
          brightpearl: clients.brightpearl,
          woocommerce: clients.woocommerce,
          inventoryWarehouseIds: () => store.settings.mappings().inventoryWarehouseIds,
          mappings: () => store.settings.mappings(),
          integrationInstanceId: config.brightpearl?.integrationInstanceId,
        })
      : {});
  const engine = new Engine({ store, flows, log, lockTtlMs: options.lockTtlMs });
  const scheduler = new Scheduler({ store, engine, log });
  const context: ApiContext = {
    store,
    engine,
    scheduler,
    version: VERSION,
    webhooks: {
      woocommerceSecret: config.woocommerce?.webhookSecret,
      brightpearlSecret: config.brightpearl?.webhookSecret,
      brightpearlAccount: config.brightpearl?.accountCode,
    },
  };
  if (clients) {
    context.referenceData = () => readReferenceData(clients.brightpearl, clients.woocommerce);
    context.probes = {
      brightpearl: async () => {
        const warehouses = await clients.brightpearl.getWarehouses();
        return `Connected to Brightpearl account ${config.brightpearl?.accountCode ?? ''} (${warehouses.length} warehouses).`;
      },
      woocommerce: async () => {
        const res = await clients.woocommerce.get('products', { query: { per_page: 1, _fields: 'id' } });
        return `Connected to WooCommerce at ${config.woocommerce?.url ?? ''} (${res.headers['x-wp-total'] ?? '?'} products).`;
      },
    };
  }
  const api = await buildApi({
    context,
    token: options.token,
    logger: log,
    preview: options.previewDir ? { dir: options.previewDir, token: options.token } : undefined,
  });

  // Retention: prune old attempt history hourly, in chunks, so the API is never blocked for long.
  const prune = () => {
    try {
      const before = new Date(Date.now() - config.retentionDays * 86_400_000).toISOString();
      const deleted = store.items.pruneAttempts(before) + store.webhooks.prune(before);
      if (deleted) log.info({ deleted, retentionDays: config.retentionDays }, 'pruned old attempt history');
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'pruning attempt history failed');
    }
  };
  let pruneTimer: NodeJS.Timeout | undefined;

  let closed = false;
  return {
    config,
    store,
    engine,
    scheduler,
    api,
    async start() {
      for (const type of SYNC_TYPES) engine.recoverStaleLock(type);
      const url = await api.listen({ host: config.host, port: config.port });
      scheduler.start();
      prune();
      pruneTimer = setInterval(prune, 3_600_000);
      pruneTimer.unref();
      return url;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (pruneTimer) clearInterval(pruneTimer);
      scheduler.stop();
      await engine.stop();
      await api.close();
      store.close();
    },
  };
}
