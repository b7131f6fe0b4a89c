/** Command-line flags and environment variables of the benchmark. */
import { join } from 'node:path';

export const SECTIONS = ['inventory', 'orders', 'logs', 'products'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Sizes {
  /** SKUs in the inventory catalogue. */
  skus: number;
  /** SKUs changed before each incremental run. */
  changed: number;
  /** Orders synced without throttling. */
  orders: number;
  /** Brightpearl cap and the scaled window of the throttled order run. */
  throttleCap: number;
  throttleWindowMs: number;
  /** Full windows measured (after the first, which also holds the run's set-up calls). */
  throttleWindows: number;
  /** Log rows of the filtered type, and of the other types. */
  logRows: number;
  logOtherRows: number;
  /** Timed requests per logs scenario. */
  logRequests: number;
  /** SKUs in the product-sync catalogue. */
  productSkus: number;
}

export interface Options {
  quick: boolean;
  only: Section[];
  out: string;
  sizes: Sizes;
}

export const FULL_SIZES: Sizes = {
  skus: 10_000,
  changed: 100,
  orders: 2_000,
  throttleCap: 200,
  throttleWindowMs: 6_000,
  throttleWindows: 5,
  logRows: 1_000_000,
  logOtherRows: 200_000,
  logRequests: 200,
  productSkus: 100_000,
};

export const QUICK_SIZES: Sizes = {
  skus: 1_000,
  changed: 20,
  orders: 100,
  throttleCap: 200,
  throttleWindowMs: 3_000,
  throttleWindows: 1,
  logRows: 20_000,
  logOtherRows: 4_000,
  logRequests: 20,
  productSkus: 2_000,
};

const SIZE_FLAGS: Record<string, keyof Sizes> = {
  skus: 'skus',
  changed: 'changed',
  orders: 'orders',
  'throttle-window-ms': 'throttleWindowMs',
  'throttle-windows': 'throttleWindows',
  'log-rows': 'logRows',
  'log-other-rows': 'logOtherRows',
  'log-requests': 'logRequests',
  'product-skus': 'productSkus',
};

const FLAGS = ['quick', 'only', 'sections', 'out', ...Object.keys(SIZE_FLAGS)];

/**
 * Flags given to the root script (`npm run bench -- --quick`) reach this process as npm config
 * (`npm_config_quick=true`), because the root script calls npm again; `--only` is npm's own, so
 * `--sections` is its alias there.
 */
function npmFlags(env: NodeJS.ProcessEnv): Map<string, string> {
  const flags = new Map<string, string>();
  if (env.npm_lifecycle_event !== 'bench') return flags;
  for (const f of FLAGS) {
    const value = env[`npm_config_${f.replace(/-/g, '_')}`];
    if (value !== undefined && value !== '') flags.set(f, value);
  }
  return flags;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Options {
  const flags = npmFlags(env);
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg} (flags: --quick, --only=a,b (or --sections=a,b), --out=file, --skus=N ...)`);
    flags.set(m[1] as string, m[2] ?? 'true');
  }
  const quick = flags.has('quick') ? flags.get('quick') !== 'false' : env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const onlyText = flags.get('only') ?? flags.get('sections') ?? env.BENCH_ONLY ?? '';
  const only = onlyText.trim() === '' ? [...SECTIONS] : onlyText.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section ${s} (sections: ${SECTIONS.join(', ')})`);
  const sizes: Sizes = { ...(quick ? QUICK_SIZES : FULL_SIZES) };
  for (const [flag, key] of Object.entries(SIZE_FLAGS)) {
    const raw = flags.get(flag) ?? env[`BENCH_${flag.toUpperCase().replace(/-/g, '_')}`];
    if (raw === undefined) continue;
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${flag} must be a positive whole number`);
    sizes[key] = n;
  }
  for (const f of flags.keys()) if (!FLAGS.includes(f)) throw new Error(`unknown flag --${f}`);
  const out = flags.get('out') ?? env.BENCH_OUT ?? join(cwd, 'bench-results', quick ? 'quick.json' : 'latest.json');
  return { quick, only: only as Section[], out, sizes };
}
