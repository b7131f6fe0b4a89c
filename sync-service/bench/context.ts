import type { Figures } from './report';
import type { Options } from './options';
import type { CounterSnapshot } from './shared';

export interface BenchContext {
  opts: Options;
  figures: Figures;
  /** Scratch folder (SQLite files), removed at the end. */
  tmp: string;
  /** Raw measurements per section, written to the JSON beside the figures. */
  raw: Record<string, unknown>;
  log(message: string): void;
}

/** Calls that are not reads (POST/PUT/PATCH/DELETE). */
export function writesIn(c: CounterSnapshot): number {
  return Object.entries(c.calls)
    .filter(([k]) => !k.startsWith('GET ') && !k.startsWith('OPTIONS '))
    .reduce((n, [, v]) => n + v, 0);
}

export function readsIn(c: CounterSnapshot): number {
  return c.total - writesIn(c);
}

/** Catalogue options for exactly `total` SKUs, about `variantShare` of them variations (groups of 3–5). */
export function catalogFor(total: number, variantShare = 0.2, seed = 42): { simpleCount: number; variableCount: number; quirks: false; seed: number } {
  let variants = 0;
  let groups = 0;
  // buildCatalog: even groups have 4 sizes, odd groups 3 + (g % 3) colours.
  const size = (g: number) => (g % 2 === 0 ? 4 : 3 + (g % 3));
  while (variants + size(groups) <= total * variantShare) {
    variants += size(groups);
    groups++;
  }
  return { simpleCount: total - variants, variableCount: groups, quirks: false, seed };
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
