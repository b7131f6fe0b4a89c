/**
 * The benchmark's quick mode (`npm run bench -- --quick`) end to end: compiles it the way
 * `npm run bench` does, runs every section once at smoke-test sizes, and checks that every figure
 * is produced and structurally sane. No timing is asserted: this machine's speed is not a test.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FULL_SIZES, QUICK_SIZES, parseOptions } from '../bench/options';
import { inventoryFloor, percentile, throttledOrderFloor, wooWriteFloor } from '../bench/floors';
import { catalogFor } from '../bench/context';
import { useTempDir } from './helpers/tmp';

const run = promisify(execFile);
const root = join(__dirname, '..');
const tmp = useTempDir('bpwc-bench-test-');

interface Figure {
  section: string;
  id: string;
  value: number | null;
  unit: string;
  target?: { op: string; value: number };
  pass: boolean | null;
  detail?: string;
  note?: string;
}

/** Every figure the quick run must produce. */
const EXPECTED = [
  'inventory.full.brightpearl_calls_ratio',
  'inventory.full.woocommerce_calls_ratio',
  'inventory.full.items_per_s',
  'inventory.naive.woocommerce_calls_ratio',
  'inventory.naive.time_ratio',
  'inventory.unchanged.woocommerce_writes',
  'inventory.unchanged.brightpearl_calls_ratio',
  'inventory.unchanged.woocommerce_calls_ratio',
  'inventory.incremental_poll.brightpearl_calls_ratio',
  'inventory.incremental_poll.woocommerce_calls_ratio',
  'inventory.incremental_poll.seconds',
  'inventory.incremental_scoped.brightpearl_calls_ratio',
  'inventory.incremental_scoped.woocommerce_calls_ratio',
  'inventory.incremental_scoped.seconds',
  'inventory.naive_incremental.woocommerce_calls_ratio',
  'orders.unthrottled.orders_per_s',
  'orders.unthrottled.brightpearl_calls_per_order',
  'orders.throttled.orders_per_min',
  'orders.throttled.floor_ratio',
  'logs.status.p95_ms',
  'logs.search.p95_ms',
  'logs.date_range.p95_ms',
  'logs.deep_cursor.p95_ms',
  'logs.status_deep.p95_ms',
  'logs.export.seconds',
  'logs.export.peak_rss_mib',
  'products.sync.peak_rss_mib',
  'products.sync.items_per_s',
];

describe('benchmark helpers', () => {
  test('floors follow the API limits', () => {
    // 10,000 products: 20 search pages + 100 availability calls; 100 SKU lookups.
    const changes = [...Array.from({ length: 250 }, () => ({ parentId: 0 })), ...Array.from({ length: 3 }, () => ({ parentId: 7 })), { parentId: 9 }];
    expect(wooWriteFloor(changes)).toBe(3 + 1 + 1);
    expect(inventoryFloor(10_000, changes)).toEqual({ brightpearl: 120, wooReads: 100, wooWrites: 5, woocommerce: 105 });
    expect(inventoryFloor(1, [])).toEqual({ brightpearl: 2, wooReads: 1, wooWrites: 0, woocommerce: 1 });
    expect(throttledOrderFloor(200, 4)).toBe(50);
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([...Array.from({ length: 100 }, (_, i) => i + 1)], 95)).toBe(95);
  });

  test('catalogues have exactly the asked number of SKUs, about a fifth of them variations', () => {
    for (const n of [1_000, 10_000, 100_000]) {
      const c = catalogFor(n);
      let variants = 0;
      for (let g = 0; g < c.variableCount; g++) variants += g % 2 === 0 ? 4 : 3 + (g % 3);
      expect(c.simpleCount + variants).toBe(n);
      expect(variants / n).toBeGreaterThan(0.19);
      expect(variants / n).toBeLessThanOrEqual(0.2);
    }
  });

  test('options: --quick, --only, sizes, and refusals', () => {
    expect(parseOptions([], {}, '/x')).toMatchObject({ quick: false, only: ['inventory', 'orders', 'logs', 'products'], out: '/x/bench-results/latest.json', sizes: FULL_SIZES });
    expect(parseOptions(['--quick', '--only=logs,orders'], {}, '/x')).toMatchObject({ quick: true, only: ['logs', 'orders'], sizes: QUICK_SIZES });
    expect(parseOptions([], { BENCH_QUICK: '1', BENCH_ONLY: 'inventory', BENCH_SKUS: '2000' }, '/x').sizes.skus).toBe(2000);
    expect(() => parseOptions(['--only=nope'], {}, '/x')).toThrow(/unknown section/);
    expect(() => parseOptions(['--skus=0'], {}, '/x')).toThrow(/positive/);
    expect(() => parseOptions(['--fast'], {}, '/x')).toThrow(/unknown flag/);
  });
});

describe('npm run bench -- --quick', () => {
  let result: { figures: Figure[]; errors: Record<string, string>; summary: { withTarget: number }; raw: Record<string, any>; machine: { cpus: number } };
  let stdout = '';

  beforeAll(async () => {
    await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'bench/tsconfig.json'], { cwd: root });
    const out = join(tmp.dir(), 'quick.json');
    ({ stdout } = await run(process.execPath, ['dist-bench/bench/main.js', '--quick', `--out=${out}`], { cwd: root, maxBuffer: 16 * 1024 * 1024 }));
    result = JSON.parse(readFileSync(out, 'utf8'));
  }, 600_000);

  test('every section ran and every figure is there with a number', () => {
    expect(result.errors).toEqual({});
    const ids = result.figures.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(EXPECTED));
    for (const f of result.figures) {
      expect({ id: f.id, value: f.value, note: f.note }).toEqual({ id: f.id, value: expect.any(Number), note: undefined });
      expect(Number.isFinite(f.value)).toBe(true);
      expect(f.value as number).toBeGreaterThanOrEqual(0);
      expect(typeof f.unit).toBe('string');
      if (f.target) expect(typeof f.pass).toBe('boolean');
      else expect(f.pass).toBeNull();
    }
    expect(result.summary.withTarget).toBe(result.figures.filter((f) => f.target).length);
    expect(result.machine.cpus).toBeGreaterThan(0);
  });

  test('the table shows every figure beside its target', () => {
    expect(stdout).toMatch(/figure\s+\| measured\s+\| target\s+\| pass\/miss/);
    for (const section of ['[inventory]', '[orders]', '[logs]', '[products]']) expect(stdout).toContain(section);
    expect((stdout.match(/\| (pass|MISS) /g) ?? []).length).toBe(result.summary.withTarget);
  });

  test('calls are never below the floor (the floors are minima; counted calls include retries)', () => {
    for (const f of result.figures.filter((x) => x.section === 'inventory' && x.id.endsWith('_calls_ratio') && !x.id.includes('naive'))) {
      expect({ id: f.id, ratio: f.value }).toEqual({ id: f.id, ratio: expect.any(Number) });
      expect(f.value as number).toBeGreaterThanOrEqual(1);
    }
  });

  test('raw measurements are consistent with the figures', () => {
    const inv = result.raw.inventory;
    expect(inv.full.run.counts.seen).toBe(inv.catalogue.skus);
    expect(inv.full.run.counts.synced).toBe(inv.fullPlan.changed);
    expect(inv.naiveFull.calls).toBe(inv.fullPlan.changed);
    const orders = result.raw.orders;
    expect(orders.unthrottled.salesOrders).toBe(QUICK_SIZES.orders);
    expect(orders.throttled.inMeasuredWindows).toBeGreaterThan(0);
    for (const page of Object.values(result.raw.logs.pages) as { p50: number; p95: number; requests: number }[]) {
      expect(page.p50).toBeLessThanOrEqual(page.p95);
      expect(page.requests).toBeGreaterThanOrEqual(QUICK_SIZES.logRequests);
    }
    expect(result.raw.logs.export.lines - 1).toBe(QUICK_SIZES.logRows);
    expect(result.raw.products.run.run.counts.seen).toBe(QUICK_SIZES.productSkus);
  });
});
