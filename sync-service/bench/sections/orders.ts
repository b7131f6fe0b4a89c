/**
 * Orders: WooCommerce orders in `processing` become Brightpearl sales orders. Unthrottled first
 * (orders/s, Brightpearl calls per order), then under the Brightpearl cap on a scaled window
 * (the same cap shape, `60 s / throttleWindowMs` times faster) to compare orders per minute
 * with the floor the cap allows: cap / calls per order.
 */
import { join } from 'node:path';
import { catalogFor, round, type BenchContext } from '../context';
import { throttledOrderFloor } from '../floors';
import { Child } from '../ipc';
import type { RunResult } from '../shared';
import type { CounterSnapshot, SimsInfo } from '../shared';
import type { RunRow } from '../../src/store';

type Counters = { bp: CounterSnapshot; wc: CounterSnapshot };
type Timeline = { firstApiAt: number | null; created: number[]; salesOrders: number; throttle: unknown };

const S = 'orders';

/** `order-search 1, sales-order 1, …` per order, largest first. */
function perEndpoint(c: CounterSnapshot, orders: number): string {
  return Object.entries(c.calls)
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key.replace(/^(\w+) \/public-api\/:accountCode\/[\w-]+\//, '$1 ')} ${round(n / orders, 2)}`)
    .join(', ');
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A store with `orders` processing orders, and the service pointed at it with the demo mappings. */
async function setUp(ctx: BenchContext, name: string, orders: number, throttle?: { cap: number; windowMs: number }) {
  const sims = new Child('sims.js', `simulators (${name})`);
  const runner = new Child('runner.js', `service (${name})`);
  const info = await sims.call<SimsInfo>('start', {
    catalog: catalogFor(1_000),
    bpSeedOrders: true,
    ...(throttle ? { requestsPerMinute: throttle.cap, throttleWindowMs: throttle.windowMs } : {}),
  });
  const placed = await sims.call<{ ids: number[]; ms: number }>('placeOrders', { count: orders });
  const opened = await runner.call<{ flows: string[]; orderFlow: string | null }>('open', {
    db: join(ctx.tmp, `orders-${name}.sqlite`),
    bpUrl: info.bpUrl,
    wcUrl: info.wcUrl,
    demoMappings: true,
  });
  // Products are already linked, as after a product or inventory run.
  await runner.call('link', { links: await sims.call('productLinks') });
  await sims.call('resetCounters');
  await sims.call('resetFirstApi');
  return { sims, runner, info, placed, orderFlow: opened.orderFlow };
}

export async function ordersSection(ctx: BenchContext): Promise<void> {
  const { figures, opts } = ctx;
  const n = opts.sizes.orders;
  const raw: Record<string, unknown> = {};
  ctx.raw.orders = raw;
  const labels = {
    rate: `order sync of ${n.toLocaleString('en-GB')} orders: orders/s`,
    calls: 'Brightpearl calls per order (unthrottled)',
    throttled: `orders/min under the ${opts.sizes.throttleCap} requests/min cap / floor`,
  };

  // --- unthrottled ---
  let callsPerOrder: number | undefined;
  {
    const env = await setUp(ctx, 'unthrottled', n);
    try {
      raw.unthrottledSetup = { placeOrdersMs: env.placed.ms, orderFlow: env.orderFlow };
      if (!env.orderFlow) {
        const note = 'OrderFlow is not available (src/flows/order.ts missing or not exporting OrderFlow)';
        figures.missing(S, 'orders.unthrottled.orders_per_s', labels.rate, 'orders/s', note, { op: '>=', value: 300 });
        figures.missing(S, 'orders.unthrottled.brightpearl_calls_per_order', labels.calls, 'calls', note);
        figures.missing(S, 'orders.throttled.floor_ratio', labels.throttled, '%', note, { op: '>=', value: 95 });
        return;
      }
      ctx.log(`orders: unthrottled run of ${n} orders (flow from ${env.orderFlow})`);
      const simsCpu0 = await env.sims.call<number>('cpu');
      const r = await env.runner.call<RunResult>('run', { type: 'order' });
      const simsCpuMs = (await env.sims.call<number>('cpu')) - simsCpu0;
      const c = await env.sims.call<Counters>('counters');
      const t = await env.sims.call<Timeline>('orderTimeline');
      raw.unthrottled = { ms: r.ms, serviceCpuMs: r.cpuMs, simulatorsCpuMs: simsCpuMs, run: r.run, counters: c, salesOrders: t.salesOrders, peakRssMiB: round(r.peakRss / 2 ** 20, 1) };
      if (r.run.status === 'failed') throw new Error(`the order run failed: ${r.run.error ?? ''}`);
      const done = t.salesOrders;
      callsPerOrder = done > 0 ? c.bp.total / done : undefined;
      figures.add({
        section: S,
        id: 'orders.unthrottled.orders_per_s',
        label: labels.rate,
        value: done > 0 ? Math.round(done / (r.ms / 1000)) : null,
        unit: 'orders/s',
        target: { op: '>=', value: 300 },
        detail: `${done} sales orders in ${round(r.ms / 1000, 2)} s (CPU: service ${round(r.cpuMs / 1000, 1)} s, simulators ${round(simsCpuMs / 1000, 1)} s); run ${r.run.status}: ${r.run.counts.synced} synced, ${r.run.counts.failed} failed`,
        note: done === 0 ? 'no sales order was created' : undefined,
      });
      figures.add({
        section: S,
        id: 'orders.unthrottled.brightpearl_calls_per_order',
        label: labels.calls,
        value: callsPerOrder === undefined ? null : round(callsPerOrder, 2),
        unit: 'calls',
        detail: `${c.bp.total} for ${done} orders: ${perEndpoint(c.bp, done)}; WooCommerce ${c.wc.total} calls`,
      });
    } finally {
      await Promise.allSettled([env.runner.close(), env.sims.close()]);
    }
  }
  if (callsPerOrder === undefined) {
    figures.missing(S, 'orders.throttled.floor_ratio', labels.throttled, '%', 'no orders were synced unthrottled', { op: '>=', value: 95 });
    return;
  }

  // --- throttled, on a scaled window ---
  const { throttleCap: cap, throttleWindowMs: windowMs, throttleWindows: windows } = opts.sizes;
  const scale = 60_000 / windowMs;
  // Enough orders to keep the run busy past the measured windows.
  const perWindow = cap / callsPerOrder;
  const orders = Math.ceil(perWindow * (windows + 2) * 1.3) + 20;
  const env = await setUp(ctx, 'throttled', orders, { cap, windowMs });
  try {
    ctx.log(`orders: throttled run, ${cap} requests per ${windowMs} ms window (${scale}× faster than real), ${windows} windows measured, ${orders} orders queued`);
    await env.runner.call('startRun', { type: 'order' });
    let timeline: Timeline = await env.sims.call<Timeline>('orderTimeline');
    const began = Date.now();
    // Wait for the first Brightpearl request, then for the first window plus the measured ones.
    for (;;) {
      timeline = await env.sims.call<Timeline>('orderTimeline');
      if (timeline.firstApiAt !== null && Date.now() >= timeline.firstApiAt + (windows + 1) * windowMs + 250) break;
      if (timeline.firstApiAt === null && Date.now() - began > 120_000) throw new Error('the throttled order run made no Brightpearl request within 2 minutes');
      await sleep(200);
    }
    const c = await env.sims.call<Counters>('counters');
    const runs = await env.runner.call<RunRow[]>('stop');
    timeline = await env.sims.call<Timeline>('orderTimeline');
    const t0 = (timeline.firstApiAt as number) + windowMs;
    const t1 = t0 + windows * windowMs;
    const inWindows = timeline.created.filter((at) => at >= t0 && at < t1).length;
    const perRealMinute = inWindows / windows; // one scaled window stands for one real minute
    const floor = throttledOrderFloor(cap, callsPerOrder);
    raw.throttled = {
      cap,
      windowMs,
      scale,
      windows,
      ordersQueued: orders,
      salesOrdersCreated: timeline.salesOrders,
      inMeasuredWindows: inWindows,
      ordersPerRealMinute: perRealMinute,
      floorPerRealMinute: floor,
      counters: c,
      throttleStats: timeline.throttle,
      runs,
    };
    figures.add({
      section: S,
      id: 'orders.throttled.orders_per_min',
      label: `orders/min under the ${cap} requests/min cap (scaled back)`,
      value: round(perRealMinute, 1),
      unit: 'orders/min',
      detail: `${inWindows} sales orders in ${windows} windows of ${windowMs / 1000} s (${scale}× faster than real); floor ${round(floor, 1)}/min = ${cap} / ${round(callsPerOrder, 2)} calls`,
    });
    figures.add({
      section: S,
      id: 'orders.throttled.floor_ratio',
      label: labels.throttled,
      value: round((perRealMinute / floor) * 100, 1),
      unit: '%',
      target: { op: '>=', value: 95 },
      detail: `${round(perRealMinute, 1)} of ${round(floor, 1)} orders/min; ${c.bp.total} Brightpearl calls in ${round((Date.now() - began) / 1000, 1)} s`,
    });
  } finally {
    await Promise.allSettled([env.runner.close(), env.sims.close()]);
  }
}
