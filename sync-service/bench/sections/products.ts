/**
 * Product sync of a big catalogue: the service's peak RSS while the product flow sweeps every
 * product (first run: no watermark), matching the store's existing products by SKU and writing
 * the ones that differ. The flow runs in its own fresh process, so the high-water mark is its own.
 */
import { join } from 'node:path';
import { catalogFor, round, writesIn, type BenchContext } from '../context';
import { Child } from '../ipc';
import type { RunResult } from '../shared';
import type { CounterSnapshot, SimsInfo } from '../shared';

const S = 'products';

export async function productsSection(ctx: BenchContext): Promise<void> {
  const { figures, opts } = ctx;
  const n = opts.sizes.productSkus;
  const raw: Record<string, unknown> = {};
  ctx.raw.products = raw;
  const sims = new Child('sims.js', 'simulators', ['--max-old-space-size=4096']);
  const runner = new Child('runner.js', 'service');
  try {
    ctx.log(`products: seeding simulators with ${n.toLocaleString('en-GB')} SKUs`);
    const info = await sims.call<SimsInfo>('start', { catalog: catalogFor(n) });
    raw.catalogue = info;
    // Some products changed in Brightpearl since the store was filled, so the sweep also writes.
    const renamed = await sims.call<number>('mutateProducts', { every: 50 });
    await runner.call('open', { db: join(ctx.tmp, 'products.sqlite'), bpUrl: info.bpUrl, wcUrl: info.wcUrl });
    await sims.call('resetCounters');
    ctx.log(`products: product sync of ${info.skus.toLocaleString('en-GB')} SKUs (${renamed} renamed in Brightpearl)`);
    const r = await runner.call<RunResult>('run', { type: 'product' });
    const c = await sims.call<{ bp: CounterSnapshot; wc: CounterSnapshot }>('counters');
    raw.run = { ms: r.ms, run: r.run, counters: c, peakRss: r.peakRss, maxRss: r.maxRss, rssBefore: r.rssBefore, simsRss: await sims.call('rss') };
    if (r.run.status === 'failed') throw new Error(`the product run failed: ${r.run.error ?? ''}`);
    const peak = Math.max(r.peakRss, r.maxRss);
    figures.add({
      section: S,
      id: 'products.sync.peak_rss_mib',
      label: `product sync of ${info.skus.toLocaleString('en-GB')} SKUs: service peak RSS`,
      value: round(peak / 2 ** 20, 1),
      unit: 'MiB',
      target: { op: '<', value: 200 },
      detail: `sampled ${round(r.peakRss / 2 ** 20, 1)} MiB, high-water mark ${round(r.maxRss / 2 ** 20, 1)} MiB, ${round(r.rssBefore / 2 ** 20, 1)} MiB before the run`,
    });
    figures.add({
      section: S,
      id: 'products.sync.items_per_s',
      label: `product sync of ${info.skus.toLocaleString('en-GB')} SKUs: items/s`,
      value: Math.round(r.run.counts.seen / (r.ms / 1000)),
      unit: 'items/s',
      detail: `${round(r.ms / 1000, 1)} s; ${r.run.counts.synced} written, ${r.run.counts.unchanged} unchanged, ${r.run.counts.failed} failed; ${c.bp.total} Brightpearl calls, ${c.wc.total} WooCommerce calls (${writesIn(c.wc)} writes)`,
    });
  } finally {
    await Promise.allSettled([runner.close(), sims.close()]);
  }
}
