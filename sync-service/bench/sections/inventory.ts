/**
 * Inventory: a full sync of the catalogue, the same sync with nothing changed, incremental syncs
 * after `changed` SKUs moved (the scheduled full poll, and the webhook-scoped run of just those
 * ids), and the naive baseline (one PUT per changed SKU) on the same change sets.
 */
import { join } from 'node:path';
import { catalogFor, readsIn, round, writesIn, type BenchContext } from '../context';
import { inventoryFloor, type InventoryFloor } from '../floors';
import { Child } from '../ipc';
import type { RunResult } from '../shared';
import type { CounterSnapshot, PlannedStock, SimsInfo } from '../shared';

type Counters = { bp: CounterSnapshot; wc: CounterSnapshot };

const S = 'inventory';

export async function inventorySection(ctx: BenchContext): Promise<void> {
  const { figures, opts } = ctx;
  const n = opts.sizes.skus;
  const sims = new Child('sims.js', 'simulators');
  const runner = new Child('runner.js', 'service');
  const raw: Record<string, unknown> = {};
  ctx.raw.inventory = raw;
  try {
    const info = await sims.call<SimsInfo>('start', { catalog: catalogFor(n) });
    raw.catalogue = info;
    ctx.log(`inventory: ${info.skus} SKUs (${info.simple} simple, ${info.variations} variations of ${info.parents} parents), simulators seeded in ${info.seedMs} ms`);
    await runner.call('open', { db: join(ctx.tmp, 'inventory.sqlite'), bpUrl: info.bpUrl, wcUrl: info.wcUrl });

    const counters = () => sims.call<Counters>('counters');
    const reset = () => sims.call('resetCounters');
    const plan = (onlyIds?: number[]) => sims.call<{ changed: PlannedStock[]; tracked: number }>('inventoryPlan', { onlyIds });

    /** The naive baseline on a change set, with WooCommerce put back as it was afterwards. */
    const naive = async (changes: PlannedStock[]) => {
      await sims.call('snapshotWooStock');
      await reset();
      const r = await runner.call<{ ms: number; failed: number }>('naive', { items: changes });
      const c = await counters();
      await sims.call('restoreWooStock');
      await reset();
      return { ms: r.ms, failed: r.failed, calls: c.wc.total };
    };

    const run = async (label: string, scope?: number[]) => {
      await reset();
      const simsCpu0 = await sims.call<number>('cpu');
      const r = await runner.call<RunResult>('run', { type: 'inventory', scope: scope?.map(String) });
      const simsCpuMs = (await sims.call<number>('cpu')) - simsCpu0;
      const c = await counters();
      raw[label] = { ms: r.ms, serviceCpuMs: r.cpuMs, simulatorsCpuMs: simsCpuMs, run: r.run, counters: c, peakRssMiB: round(r.peakRss / 2 ** 20, 1) };
      if (r.run.status === 'failed') throw new Error(`the ${label} inventory run failed: ${r.run.error ?? ''}`);
      return { r, c, simsCpuMs };
    };

    const callFigures = (label: string, key: string, c: Counters, floor: InventoryFloor) => {
      figures.add({
        section: S,
        id: `inventory.${key}.brightpearl_calls_ratio`,
        label: `${label}: Brightpearl calls / minimum`,
        value: round(c.bp.total / floor.brightpearl, 3),
        unit: '×',
        target: { op: '<=', value: 1.05 },
        detail: `${c.bp.total} calls, minimum ${floor.brightpearl}`,
      });
      figures.add({
        section: S,
        id: `inventory.${key}.woocommerce_calls_ratio`,
        label: `${label}: WooCommerce calls / minimum`,
        value: round(c.wc.total / floor.woocommerce, 3),
        unit: '×',
        target: { op: '<=', value: 1.05 },
        detail: `${readsIn(c.wc)} reads + ${writesIn(c.wc)} writes, minimum ${floor.wooReads} + ${floor.wooWrites}`,
      });
    };

    // --- full sync ---
    const full = await plan();
    const fullFloor = inventoryFloor(full.tracked, full.changed);
    raw.fullPlan = { tracked: full.tracked, changed: full.changed.length, floor: fullFloor };
    ctx.log(`inventory: naive baseline, ${full.changed.length} PUTs`);
    const naiveFull = await naive(full.changed);
    raw.naiveFull = naiveFull;
    ctx.log('inventory: full sync');
    const f = await run('full');
    callFigures(`full sync of ${n.toLocaleString('en-GB')} SKUs`, 'full', f.c, fullFloor);
    figures.add({
      section: S,
      id: 'inventory.full.items_per_s',
      label: `full sync of ${n.toLocaleString('en-GB')} SKUs: items/s`,
      value: Math.round(full.tracked / (f.r.ms / 1000)),
      unit: 'items/s',
      target: { op: '>=', value: 5000 },
      detail: `${round(f.r.ms / 1000, 2)} s (CPU: service ${round(f.r.cpuMs / 1000, 1)} s, simulators ${round(f.simsCpuMs / 1000, 1)} s); ${f.r.run.counts.synced} written, ${f.r.run.counts.unchanged} unchanged`,
    });

    // --- naive baseline against the full sync ---
    figures.add({
      section: S,
      id: 'inventory.naive.woocommerce_calls_ratio',
      label: 'naive baseline / ours: WooCommerce calls (full sync)',
      value: round(naiveFull.calls / f.c.wc.total, 1),
      unit: '×',
      target: { op: '>=', value: 20 },
      detail: `naive ${naiveFull.calls} PUTs (${naiveFull.failed} failed), ours ${f.c.wc.total} calls; the floor (${fullFloor.woocommerce}) would be ${round(naiveFull.calls / fullFloor.woocommerce, 1)}×`,
    });
    figures.add({
      section: S,
      id: 'inventory.naive.time_ratio',
      label: 'naive baseline / ours: time (full sync)',
      value: round(naiveFull.ms / f.r.ms, 1),
      unit: '×',
      detail: `naive ${round(naiveFull.ms / 1000, 2)} s, ours ${round(f.r.ms / 1000, 2)} s`,
    });

    // --- nothing changed ---
    ctx.log('inventory: sync again with nothing changed');
    const same = await plan();
    const u = await run('unchanged');
    figures.add({
      section: S,
      id: 'inventory.unchanged.woocommerce_writes',
      label: 'same sync again, nothing changed: WooCommerce writes',
      value: writesIn(u.c.wc),
      unit: '',
      target: { op: '==', value: 0 },
      detail: `${same.changed.length} SKUs differed before the run; ${round(u.r.ms / 1000, 2)} s; ${u.r.run.counts.unchanged} unchanged`,
    });
    callFigures('nothing changed', 'unchanged', u.c, inventoryFloor(same.tracked, same.changed));

    // --- incremental: the scheduled poll after `changed` SKUs moved ---
    const k = opts.sizes.changed;
    const movedA = await sims.call<number[]>('changeStock', { count: k, seed: 1 });
    const pollPlan = await plan();
    ctx.log(`inventory: incremental poll after ${movedA.length} SKUs changed (${pollPlan.changed.length} to write)`);
    const p = await run('incrementalPoll');
    const pollFloor = inventoryFloor(pollPlan.tracked, pollPlan.changed);
    callFigures(`incremental, scheduled poll after ${k} changed`, 'incremental_poll', p.c, pollFloor);
    figures.add({
      section: S,
      id: 'inventory.incremental_poll.seconds',
      label: `incremental, scheduled poll after ${k} changed: time`,
      value: round(p.r.ms / 1000, 2),
      unit: 's',
      detail: `${p.r.run.counts.synced} written of ${p.r.run.counts.seen} read`,
    });

    // --- incremental: the webhook-scoped run of just the changed ids ---
    const movedB = await sims.call<number[]>('changeStock', { count: k, seed: 2, exclude: movedA });
    const scopedPlan = await plan(movedB);
    const naiveInc = await naive(scopedPlan.changed);
    raw.naiveIncremental = naiveInc;
    ctx.log(`inventory: webhook-scoped run of the ${movedB.length} changed ids`);
    const s = await run('incrementalScoped', movedB);
    const scopedFloor = inventoryFloor(movedB.length, scopedPlan.changed);
    callFigures(`incremental, webhook-scoped run of ${k} changed`, 'incremental_scoped', s.c, scopedFloor);
    figures.add({
      section: S,
      id: 'inventory.incremental_scoped.seconds',
      label: `incremental, webhook-scoped run of ${k} changed: time`,
      value: round(s.r.ms / 1000, 3),
      unit: 's',
      detail: `${s.r.run.counts.synced} written`,
    });
    figures.add({
      section: S,
      id: 'inventory.naive_incremental.woocommerce_calls_ratio',
      label: `naive baseline / ours: WooCommerce calls (${k} changed, scoped run)`,
      value: round(naiveInc.calls / s.c.wc.total, 1),
      unit: '×',
      target: { op: '>=', value: 20 },
      detail: `naive ${naiveInc.calls} PUTs in ${round(naiveInc.ms / 1000, 2)} s, ours ${s.c.wc.total} calls in ${round(s.r.ms / 1000, 3)} s; the floor (${scopedFloor.woocommerce}) would be ${round(naiveInc.calls / scopedFloor.woocommerce, 1)}×`,
    });
  } finally {
    await Promise.allSettled([runner.close(), sims.close()]);
  }
}
