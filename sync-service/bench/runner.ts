/**
 * Child process: the service side. Opens a real SQLite store, builds the production clients and
 * flows against the simulators' URLs, and runs one flow at a time through the Engine, exactly as
 * the service does; or seeds a sync log and serves the HTTP API over it. Memory is sampled here,
 * so the figures are the service's own (the simulators live in another process).
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../src/api/app';
import { BrightpearlClient } from '../src/brightpearl/client';
import type { SyncType } from '../src/domain/constants';
import { Engine } from '../src/engine/engine';
import type { Flow } from '../src/engine/flow';
import { buildFlows, type FlowDependencies } from '../src/flows';
import { Scheduler } from '../src/scheduler/scheduler';
import { DEMO_MAPPINGS } from '../src/simulators/demo-mappings';
import { Store, type IdMapping, type RunRow } from '../src/store';
import { openDatabase } from '../src/store/database';
import { MIGRATIONS } from '../src/store/migrations';
import { WooCommerceClient } from '../src/woocommerce/client';
import { serveRequests } from './ipc';
import { seedLogs, type LogSeedOptions, type LogSeedResult } from './logs-seed';
import { API_TOKEN, INTEGRATION_INSTANCE_ID, WC_KEY, WC_SECRET, type PlannedStock, type RunResult } from './shared';

// --- memory sampling -------------------------------------------------------------------------

let peak = 0;
const sample = () => {
  const rss = process.memoryUsage.rss();
  if (rss > peak) peak = rss;
};
setInterval(sample, 10).unref();
const markRss = () => {
  peak = 0;
  sample();
};
const maxRss = () => process.resourceUsage().maxRSS * 1024;

// --- service side ----------------------------------------------------------------------------

let store: Store | undefined;
let engine: Engine | undefined;
let clients: { brightpearl: BrightpearlClient; woocommerce: WooCommerceClient } | undefined;
let api: FastifyInstance | undefined;
let orderFlowSource: string | undefined;

const need = <T>(x: T | undefined, what: string): T => {
  if (x === undefined) throw new Error(`${what} is not open`);
  return x;
};

/**
 * The order flow, whichever way it is available: wired into buildFlows(), or only as
 * `OrderFlow` in src/flows/order (constructed with the same dependencies buildFlows gets).
 */
function orderFlow(deps: FlowDependencies, built: Partial<Record<SyncType, Flow>>): Flow | undefined {
  if (built.order) {
    orderFlowSource = 'buildFlows()';
    return built.order;
  }
  let mod: { OrderFlow?: new (options: unknown) => Flow } | undefined;
  try {
    // A computed path: the module may not exist yet when the benchmark is compiled.
    mod = require(join(__dirname, '..', 'src', 'flows', 'order')) as typeof mod;
  } catch (err) {
    if ((err as { code?: string }).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
  if (!mod?.OrderFlow) return undefined;
  orderFlowSource = 'src/flows/order OrderFlow';
  return new mod.OrderFlow({ ...deps, warehouseIds: deps.inventoryWarehouseIds });
}

serveRequests({
  open(args: { db: string; bpUrl: string; wcUrl: string; demoMappings?: boolean }): { flows: string[]; orderFlow: string | null } {
    store = Store.open(args.db);
    store.flows.ensure({});
    if (args.demoMappings) store.settings.saveMappings(DEMO_MAPPINGS);
    const s = store;
    clients = {
      brightpearl: new BrightpearlClient({
        baseUrl: args.bpUrl,
        accountCode: 'demo',
        auth: { kind: 'system', appRef: 'demo_bpwc', accountToken: 'demo-account-token' },
      }),
      woocommerce: new WooCommerceClient({ url: args.wcUrl, consumerKey: WC_KEY, consumerSecret: WC_SECRET }),
    };
    const deps: FlowDependencies = {
      ...clients,
      inventoryWarehouseIds: () => s.settings.mappings().inventoryWarehouseIds,
      mappings: () => s.settings.mappings(),
      integrationInstanceId: INTEGRATION_INSTANCE_ID,
    };
    const flows = buildFlows(deps);
    const order = orderFlow(deps, flows);
    if (order) flows.order = order;
    engine = new Engine({ store, flows });
    return { flows: Object.keys(flows), orderFlow: order ? (orderFlowSource ?? null) : null };
  },

  link(args: { links: IdMapping[] }): number {
    need(store, 'the store').mappings.link(args.links);
    return args.links.length;
  },

  async run(args: { type: SyncType; scope?: string[]; since?: string }): Promise<RunResult> {
    const e = need(engine, 'the engine');
    const rssBefore = process.memoryUsage.rss();
    markRss();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { done } = e.start(args.type, { trigger: 'bench', scope: args.scope, since: args.since });
    const run = await done;
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    sample();
    return { ms, run, peakRss: peak, maxRss: maxRss(), rssBefore, cpuMs: (cpu.user + cpu.system) / 1000 };
  },

  /** Starts a run and answers at once; `stop` ends it (the engine finishes the batch in hand). */
  startRun(args: { type: SyncType }): number {
    const e = need(engine, 'the engine');
    markRss();
    return e.start(args.type, { trigger: 'bench' }).runId;
  },

  async stop(): Promise<RunRow[]> {
    const e = need(engine, 'the engine');
    await e.stop(60_000);
    return need(store, 'the store').db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[];
  },

  /** What generic automation does: one PUT per changed SKU, one after the other. */
  async naive(args: { items: PlannedStock[] }): Promise<{ ms: number; failed: number }> {
    const wc = need(clients, 'the clients').woocommerce;
    let failed = 0;
    const t0 = performance.now();
    for (const item of args.items) {
      const body = { manage_stock: true, stock_quantity: item.quantity };
      try {
        if (item.parentId) await wc.updateVariation(item.parentId, item.wcId, body);
        else await wc.updateProduct(item.wcId, body);
      } catch {
        failed++;
      }
    }
    return { ms: performance.now() - t0, failed };
  },

  counts(args: { type: SyncType }): Record<string, number> {
    return need(store, 'the store').items.counts(args.type);
  },

  // --- logs ---

  /**
   * Writes the rows before the migration that adds the trigger-kept counts (a bulk insert pays
   * the trigger per row), then opens the store normally, which applies it and counts what is there.
   */
  logsSeed(args: LogSeedOptions & { db: string }): LogSeedResult & { countsMigrationMs: number | null } {
    const countsAt = MIGRATIONS.find((m) => m.name === 'sync item counts')?.version;
    const db = openDatabase(args.db, countsAt === undefined ? MIGRATIONS : MIGRATIONS.filter((m) => m.version < countsAt));
    let result: LogSeedResult;
    try {
      result = seedLogs(db, args);
    } finally {
      db.close();
    }
    const t0 = Date.now();
    Store.open(args.db).close();
    return { ...result, countsMigrationMs: countsAt === undefined ? null : Date.now() - t0 };
  },

  async logsServe(args: { db: string }): Promise<{ url: string; rss: number }> {
    store = Store.open(args.db);
    engine = new Engine({ store, flows: {} });
    const scheduler = new Scheduler({ store, engine });
    api = await buildApi({ context: { store, engine, scheduler, version: 'bench' }, token: API_TOKEN });
    const url = await api.listen({ host: '127.0.0.1', port: 0 });
    return { url, rss: process.memoryUsage.rss() };
  },

  markRss(): number {
    markRss();
    return peak;
  },

  rss(): { peak: number; maxRss: number; now: number } {
    sample();
    return { peak, maxRss: maxRss(), now: process.memoryUsage.rss() };
  },

  async close(): Promise<void> {
    await api?.close();
    await engine?.stop(5000);
    store?.close();
  },
});
