/**
 * kill -9 at random points. The service runs as a child process (`bin/bpwc serve`) against both
 * simulators in this process; while it syncs 500 WooCommerce orders with refunds and the
 * warehouse ships them in Brightpearl, it is killed with SIGKILL at random moments (some while a
 * run is in flight) and restarted on the same database, at least 20 times, with a few graceful
 * SIGTERM stops in between. A last start runs to convergence and is stopped with SIGTERM. Then:
 *  - exactly one Brightpearl sales order per exported WooCommerce order, one sales credit per
 *    refund, one payment each, no strays (simulators' records);
 *  - every shipped goods-out note's tracking on its WooCommerce order exactly once, no customer
 *    or "Partially shipped" note twice, fully shipped orders completed;
 *  - every order/refund/shipment row Synced or Failed with a reason, no run left running, no
 *    lock held, every restarted process took over the locks of the one killed before it.
 * Without BPWC_BRIGHTPEARL_INSTANCE_ID (Brightpearl's create is then not idempotent: only the
 * intent + externalRef lookup prevent duplicates) and, smaller, with it and a store without the
 * Shipment Tracking extension (tracking as a customer note plus the `_bpwc_shipments` meta).
 *
 * KILL_ROUNDS=n (default 20) kills per scenario; FAILURE_SUITE_LARGE=1 for 2000 orders and 60 kills;
 * FAILURE_SUITE_SEED=n changes the random points.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { seededRandom } from '../../src/simulators/shared/random';
import { DEMO_MAPPINGS } from '../../src/simulators/demo-mappings';
import { Store } from '../../src/store';
import { useTempDir } from '../helpers/tmp';
import { ServiceApi } from './helpers/api';
import { checkDatabase, checkRemoteInvariants, flowsRunBy, heldLocks, recoveryEvidence, runningRunsOf, runsById } from './helpers/invariants';
import { freePort, requireBuiltService, ServiceProcess } from './helpers/service-process';
import { SECRETS, serviceEnv, startSimulators, type Simulators } from './helpers/simulators';
import { makeRefund, placeOrders, planRefunds, Warehouse, type PlannedRefund } from './helpers/workload';

const LARGE = process.env.FAILURE_SUITE_LARGE === '1';
const KILL_ROUNDS = Math.max(1, Number(process.env.KILL_ROUNDS ?? (LARGE ? 60 : 20)));
const SEED = Number(process.env.FAILURE_SUITE_SEED ?? 20_261_204);
const FLOWS = ['order', 'refund', 'shipment'] as const;

const tmp = useTempDir('bpwc-kill-restart-');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Scenario {
  name: string;
  orders: number;
  kills: number;
  /** Every n-th round ends with SIGTERM instead (not counted as a kill). */
  sigtermEvery: number;
  integrationInstanceId?: number;
  /** The store has the Shipment Tracking extension (else: customer note + order meta). */
  trackingExtension: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'without an integration instance id (externalRef lookups only)', orders: LARGE ? 2000 : 500, kills: KILL_ROUNDS, sigtermEvery: 6, trackingExtension: true },
  { name: 'with an integration instance id, store without Shipment Tracking', orders: LARGE ? 500 : 80, kills: Math.max(1, Math.ceil(KILL_ROUNDS / 4)), sigtermEvery: 3, integrationInstanceId: 27, trackingExtension: false },
];

function attemptsCount(file: string): { attempts: number; pending: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      attempts: db.prepare('SELECT COUNT(*) FROM sync_attempts').pluck().get() as number,
      pending: db.prepare("SELECT COUNT(*) FROM sync_items WHERE status = 'pending' AND type IN ('order', 'refund', 'shipment')").pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

describe.each(SCENARIOS)('kill -9 and restart during a sync, $name', (scenario) => {
  let sims: Simulators;
  let service: ServiceProcess;
  let dbFile: string;

  beforeAll(async () => {
    requireBuiltService();
    // The real request cap is not what this suite is about (faults.test.ts is): make it roomy.
    sims = await startSimulators({ brightpearl: { requestsPerMinute: 1_000_000 }, woocommerce: { seed: SEED % 1000, extensions: { shipmentTracking: scenario.trackingExtension } } });
    dbFile = join(tmp.dir(), `kill-${scenario.integrationInstanceId ?? 'none'}.sqlite`);
    // The demo mappings, written before the first start (exported statuses: processing, completed).
    const store = Store.open(dbFile);
    store.settings.saveMappings({ ...DEMO_MAPPINGS, exportOrderStatuses: ['processing', 'completed'] });
    store.close();
    const env = serviceEnv(sims, { port: await freePort(), db: dbFile, integrationInstanceId: scenario.integrationInstanceId });
    service = new ServiceProcess(env, Number(env.BPWC_PORT));
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await sims?.close();
  });

  it('ends with every order, credit, payment and tracking exactly once, nothing left running or locked', async () => {
    const started = Date.now();
    // The workload and the kill points each have their own seeded sequence (timers interleave the workload's draws).
    const random = seededRandom(SEED + (scenario.integrationInstanceId ?? 0));
    const killRandom = seededRandom(SEED * 7 + 1 + (scenario.integrationInstanceId ?? 0));
    const { bp, wc } = sims;
    const api = new ServiceApi(() => service.url, SECRETS.token, SECRETS);

    // --- the store: orders, and the refunds made before the first start ---
    // Placed over the last two minutes, a few a second.
    const orderIds = placeOrders(wc, random, scenario.orders, 120);
    let lastStoreChange = Date.now();
    const refunds: PlannedRefund[] = planRefunds(orderIds, random);
    for (const plan of refunds) if (plan.when === 'before') makeRefund(wc, plan, random);
    const warehouse = new Warehouse(bp);
    const soOfOrder = () => new Set([...bp.state.orders.values()].filter((o) => o.orderTypeCode === 'SO').map((o) => o.externalRef));
    const numberOf = new Map(orderIds.map((id) => [id, String(wc.orderById(id)?.number)]));
    const refundTick = (all: boolean) => {
      const inBrightpearl = soOfOrder();
      for (const plan of refunds) {
        if (plan.refundId !== undefined) continue;
        // A second refund waits for the first one.
        if (refunds.some((p) => p.orderId === plan.orderId && p !== plan && p.refundId === undefined && refunds.indexOf(p) < refunds.indexOf(plan))) continue;
        if (all || inBrightpearl.has(numberOf.get(plan.orderId))) {
          makeRefund(wc, plan, random);
          lastStoreChange = Date.now();
        }
      }
    };

    // --- the catalogue first: the product flow links every product, so orders need no SKU searches ---
    await service.start();
    const products = await api.runFlow('product', 120_000);
    expect(products.status).toBe('succeeded');
    const firstStop = await service.terminate(15_000);
    expect(firstStop.code).toBe(0);

    // --- the driver: asks for runs every ~150 ms; the warehouse ships what Brightpearl has ---
    const unexpected: string[] = [];
    let driving = true;
    let posted = 0;
    /** A request sent just before the SIGTERM may be answered while the server closes. */
    let terminating = false;
    const driver = (async () => {
      while (driving) {
        if (service.running) {
          for (const flow of FLOWS) {
            try {
              if ((await api.startRun(flow)) !== undefined) posted += 1;
            } catch (err) {
              const message = (err as Error).message;
              // A connection refused or reset is the kill; anything the service answered must be 202 or 409
              // (or 503 from Fastify while a SIGTERM closes the server).
              const closing = terminating || service.terminating;
              if (/answered/.test(message) && !(closing && /answered 503/.test(message))) unexpected.push(`${closing ? 'while closing: ' : ''}${message}`);
            }
          }
        }
        await sleep(150);
      }
    })();
    const warehouseTimer = setInterval(() => {
      warehouse.step();
      refundTick(false);
    }, 250);

    // --- kill rounds ---
    let kills = 0;
    let inFlightKills = 0;
    let sigterms = 0;
    /** Flow locks a killed process left behind, and whether the next process took them over. */
    const recovered: string[] = [];
    const notRecovered: string[] = [];
    /** Runs a kill left marked running (the next start must close them as aborted). */
    const cutShort: number[] = [];
    let staleBefore: { id: string; owner: string }[] = [];
    /** After a start: the locks of the killed process were freed, and the new one runs those flows. */
    const checkTakeover = async (pid: number) => {
      const stillHeld = heldLocks(dbFile).filter((l) => staleBefore.some((s) => s.owner === l.owner));
      const until = Date.now() + 10_000;
      let ran = flowsRunBy(dbFile, pid);
      while (staleBefore.some((s) => !ran.includes(s.id)) && Date.now() < until) {
        await sleep(25);
        ran = flowsRunBy(dbFile, pid);
      }
      for (const s of staleBefore) {
        const ok = !stillHeld.some((l) => l.id === s.id) && ran.includes(s.id);
        (ok ? recovered : notRecovered).push(`${s.id} locked by ${s.owner}, taken over by pid ${pid}: ${ok}`);
      }
      staleBefore = [];
    };
    try {
      for (let round = 0; kills < scenario.kills; round++) {
        const pid = await service.start();
        await checkTakeover(pid);
        // Wait until this process has a run going (the driver asks every 150 ms), then the random point.
        const until = Date.now() + 5_000;
        while (flowsRunBy(dbFile, pid).length === 0 && Date.now() < until) await sleep(20);
        const graceful = (round + 1) % scenario.sigtermEvery === 0;
        await sleep(200 + Math.floor(killRandom() * 1300));
        // Some rounds wait until a run is really in flight before the signal.
        let inFlight = false;
        if (graceful || round % 3 === 1) {
          const deadline = Date.now() + 3000;
          while (!inFlight && Date.now() < deadline && service.running) {
            const res = await api.get('/api/v1/flows').catch(() => undefined);
            inFlight = Boolean(res?.body?.flows?.some((f: { id: string; state: string }) => FLOWS.includes(f.id as never) && f.state === 'running'));
            if (!inFlight) await sleep(20);
          }
        }
        if (graceful) {
          // SIGTERM: the batch in hand is finished or released, the locks are given back, exit 0.
          terminating = true;
          const exit = await service.terminate(15_000).finally(() => setTimeout(() => (terminating = false), 500));
          sigterms += 1;
          if (exit.code !== 0) unexpected.push(`SIGTERM in round ${round}: exit ${exit.code} ${exit.signal ?? ''}`);
          const held = heldLocks(dbFile);
          if (held.length) unexpected.push(`after SIGTERM in round ${round} locks still held: ${JSON.stringify(held)}`);
          const running = runningRunsOf(dbFile, pid);
          if (running.length) unexpected.push(`after SIGTERM in round ${round} runs ${running.join(', ')} still marked running`);
          continue;
        }
        await service.kill9();
        kills += 1;
        if (inFlight) inFlightKills += 1;
        staleBefore = heldLocks(dbFile);
        cutShort.push(...runningRunsOf(dbFile, pid));
      }
    } finally {
      driving = false;
      clearInterval(warehouseTimer);
      await driver;
    }
    const killPhaseMs = Date.now() - started;
    const duringKills = checkRemoteInvariants(bp, wc, { shipmentsSettled: false, trackingExtension: scenario.trackingExtension });

    // --- the last start: everything reaches Brightpearl, the warehouse ships the rest, converge ---
    const lastPid = await service.start();
    // (No driver now: the convergence loop below asks for the runs, which is also the takeover.)
    const lastStale = staleBefore;
    const converge = async (label: string, maxPasses = 20) => {
      let quiet = 0;
      for (let pass = 0; pass < maxPasses; pass++) {
        // The order flow reads WooCommerce up to ORDER_SETTLE_MS (5 s) before a run starts: a quiet pass only counts once the store's last change is older.
        const settle = lastStoreChange + 6_000 - Date.now();
        if (settle > 0) await sleep(settle);
        const before = attemptsCount(dbFile);
        let synced = 0;
        for (const flow of FLOWS) {
          const run = await api.runFlow(flow, 180_000);
          if (run.status === 'failed' || run.status === 'aborted') throw new Error(`${label}: ${flow} run ${run.id} ${run.status}: ${run.error}`);
          synced += run.counts.synced;
        }
        const after = attemptsCount(dbFile);
        quiet = synced === 0 && after.attempts === before.attempts && after.pending === 0 ? quiet + 1 : 0;
        if (quiet >= 2) return pass + 1;
      }
      throw new Error(`${label}: did not converge within ${maxPasses} passes`);
    };
    await converge('before the last shipments');
    const lastRan = flowsRunBy(dbFile, lastPid);
    for (const s of lastStale) (lastRan.includes(s.id) && !heldLocks(dbFile).some((l) => l.owner === s.owner) ? recovered : notRecovered).push(`${s.id} locked by ${s.owner}, taken over by the last process`);
    warehouse.step(true);
    refundTick(true);
    const passes = await converge('after the last shipments');

    // A graceful stop with runs asked for: exit 0 within a few seconds, locks released.
    for (const flow of FLOWS) await api.startRun(flow).catch(() => undefined);
    const exit = await service.terminate(10_000);
    expect(exit).toMatchObject({ code: 0, signal: null });

    // --- invariants ---
    const remote = checkRemoteInvariants(bp, wc, { shipmentsSettled: true, trackingExtension: scenario.trackingExtension });
    const local = checkDatabase(dbFile);
    const summary = {
      scenario: scenario.name,
      kills,
      inFlightKills,
      sigterms,
      runsRequested: posted,
      recoveredLocks: recovered.length,
      runsCutShort: cutShort.length,
      doneDuringKills: { salesOrders: duringKills.counts.salesOrders, credits: duringKills.counts.credits, trackings: duringKills.counts.trackings },
      ...remote.counts,
      warehouseNotes: warehouse.notesShipped,
      partialShipments: warehouse.partials,
      items: local.items,
      runs: local.runs,
      recovery: recoveryEvidence(dbFile),
      convergencePasses: passes,
      killPhaseSeconds: Math.round(killPhaseMs / 1000),
      seconds: Math.round((Date.now() - started) / 1000),
      sigtermExitMs: exit.ms,
    };
    process.stdout.write(`kill-restart summary: ${JSON.stringify(summary)}\n`);

    // Every broken invariant at once, labelled (one failure shows them all).
    const owners = local.owners.join(' ');
    const output = service.output.join('');
    const broken = [
      ...unexpected.map((p) => `unexpected: ${p}`),
      // No duplicate was created even while processes were being killed.
      ...duringKills.problems.filter((p) => /^(duplicate|stray)/.test(p)).map((p) => `during the kills: ${p}`),
      ...remote.problems.map((p) => `at the end: ${p}`),
      ...local.problems.map((p) => `database: ${p}`),
      // Runs cut short by a kill were closed as aborted by the next start; each restart took over the dead process's locks.
      ...runsById(dbFile, cutShort)
        .filter((r) => r.status !== 'aborted' || !/^The service stopped before this run finished/.test(r.error ?? ''))
        .map((r) => `run ${r.id} was cut short by a kill but is ${r.status}: ${r.error}`),
      ...notRecovered.map((l) => `lock not taken over: ${l}`),
      ...service.pids.filter((pid) => !owners.includes(`:${pid}:`)).map((pid) => `process ${pid} never started a run`),
      // Secrets never reached the service's output or an API response.
      ...Object.entries(SECRETS)
        .filter(([, secret]) => output.includes(secret))
        .map(([name]) => `${name} in the service's output`),
      ...api.leaks.map((l) => `secret: ${l}`),
    ];
    expect(broken).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(scenario.kills);
    expect(cutShort.length).toBeGreaterThan(0);
    expect(recovered.length).toBeGreaterThan(0);
    // Every order reached Brightpearl; every refund and shipment has its row; nothing is left Failed.
    expect(remote.counts.exportedOrders).toBe(scenario.orders);
    expect(remote.counts.salesOrders).toBe(scenario.orders);
    expect(remote.counts.refunds).toBe(refunds.length);
    expect(remote.counts.credits).toBe(refunds.length);
    expect(local.items.order).toEqual({ synced: scenario.orders });
    expect(local.items.refund).toEqual({ synced: refunds.length });
    expect(local.items.shipment).toEqual({ synced: remote.counts.shippedNotes });
  }, 900_000);
});
