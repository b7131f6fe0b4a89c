/**
 * The benchmark: one run against the simulators, a table of figures beside their targets, and
 * the same figures as JSON. See BENCHMARKS.md at the repository root.
 *
 *   node dist-bench/bench/main.js [--quick] [--only=inventory,orders,logs,products] [--out=file]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from './context';
import { parseOptions, type Section } from './options';
import { writeFileSync } from 'node:fs';
import { Figures, machine, markdownTable, table, writeJson } from './report';
import { inventorySection } from './sections/inventory';
import { logsSection } from './sections/logs';
import { ordersSection } from './sections/orders';
import { productsSection } from './sections/products';

const RUNNERS: Record<Section, (ctx: BenchContext) => Promise<void>> = {
  inventory: inventorySection,
  orders: ordersSection,
  logs: logsSection,
  products: productsSection,
};

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2), process.env, process.cwd());
  const started = new Date();
  const figures = new Figures();
  const tmp = mkdtempSync(join(tmpdir(), 'bpwc-bench-'));
  const raw: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const t0 = Date.now();
  const ctx: BenchContext = {
    opts,
    figures,
    tmp,
    raw,
    log: (m) => process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${m}\n`),
  };
  const loadBefore = loadavg();
  ctx.log(`${opts.quick ? 'quick' : 'full'} run: ${opts.only.join(', ')}; load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')}`);
  const sectionMs: Record<string, number> = {};
  try {
    for (const section of opts.only) {
      const s0 = Date.now();
      try {
        await RUNNERS[section](ctx);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        errors[section] = message;
        ctx.log(`${section} FAILED: ${message}`);
        figures.missing(section, `${section}.error`, `${section} section`, '', `failed: ${message.split('\n')[0] ?? ''}`);
      }
      sectionMs[section] = Date.now() - s0;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const result = {
    date: started.toISOString(),
    durationS: Math.round((Date.now() - t0) / 100) / 10,
    mode: opts.quick ? 'quick' : 'full',
    sections: opts.only,
    sizes: opts.sizes,
    machine: { ...machine(), loadAverageAtStart: loadBefore.map((x) => Math.round(x * 100) / 100) },
    figures: figures.list,
    summary: {
      figures: figures.list.length,
      withTarget: figures.list.filter((f) => f.pass !== null).length,
      passed: figures.list.filter((f) => f.pass === true).length,
      missed: figures.list.filter((f) => f.pass === false).map((f) => f.id),
      notMeasured: figures.list.filter((f) => f.value === null).map((f) => f.id),
    },
    sectionMs,
    errors,
    raw,
  };
  writeJson(opts.out, result);
  // The table in Markdown beside the JSON, for pasting into BENCHMARKS.md.
  writeFileSync(opts.out.replace(/\.json$/, '') + '.md', `${markdownTable(figures.list)}\n`);
  process.stdout.write(`\n${table(figures.list)}\n\n`);
  process.stdout.write(
    `${result.summary.passed}/${result.summary.withTarget} targets met` +
      (result.summary.missed.length ? `; missed: ${result.summary.missed.join(', ')}` : '') +
      `. ${started.toISOString()}, ${result.machine.cpus} CPUs, load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} at start. Written to ${opts.out}\n`,
  );
  // Misses are findings, not failures; a section that could not run is.
  return Object.keys(errors).length ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
