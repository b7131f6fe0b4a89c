/** Figures, their targets, the printed table and the JSON file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, hostname, loadavg, totalmem, type as osType, release } from 'node:os';
import { dirname } from 'node:path';

export type Op = '<=' | '>=' | '<' | '>' | '==';

export interface Target {
  op: Op;
  value: number;
}

export interface Figure {
  section: string;
  /** Stable key, e.g. `inventory.full.brightpearl_calls_ratio`. */
  id: string;
  label: string;
  /** null when it could not be measured (then `note` says why). */
  value: number | null;
  unit: string;
  target?: Target;
  /** true/false against the target; null without a target or value. */
  pass: boolean | null;
  /** What the number is made of (calls and floors, sizes). */
  detail?: string;
  note?: string;
}

export function check(value: number | null, target: Target | undefined): boolean | null {
  if (value === null || !target || Number.isNaN(value)) return null;
  switch (target.op) {
    case '<=':
      return value <= target.value;
    case '>=':
      return value >= target.value;
    case '<':
      return value < target.value;
    case '>':
      return value > target.value;
    case '==':
      return value === target.value;
  }
}

export class Figures {
  readonly list: Figure[] = [];

  add(f: Omit<Figure, 'pass'>): Figure {
    const figure: Figure = { ...f, pass: check(f.value, f.target) };
    this.list.push(figure);
    return figure;
  }

  /** A figure that could not be produced (section failed or a dependency is missing). */
  missing(section: string, id: string, label: string, unit: string, note: string, target?: Target): Figure {
    return this.add({ section, id, label, value: null, unit, target, note });
  }
}

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return 'n/a';
  const abs = Math.abs(value);
  const digits = abs >= 100 || Number.isInteger(value) ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const text = value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit ? `${text} ${unit}` : text;
}

export function formatTarget(t: Target | undefined, unit: string): string {
  if (!t) return '';
  const op = t.op === '<=' ? '≤' : t.op === '>=' ? '≥' : t.op === '==' ? '=' : t.op;
  return `${op} ${formatValue(t.value, unit)}`;
}

export function table(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.label,
    formatValue(f.value, f.unit),
    formatTarget(f.target, f.unit),
    f.pass === null ? (f.value === null ? 'n/a' : '') : f.pass ? 'pass' : 'MISS',
    f.detail ?? f.note ?? '',
  ]);
  const head = ['figure', 'measured', 'target', 'pass/miss', 'detail'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const widthsCapped = widths.map((w, i) => (i === 4 ? Math.min(w, 90) : w));
  const line = (cells: string[]) => cells.map((c, i) => (i === 4 ? c : c.padEnd(widthsCapped[i] as number))).join(' | ');
  const out = [line(head), widthsCapped.map((w) => '-'.repeat(w)).join('-|-')];
  let section = '';
  for (let i = 0; i < rows.length; i++) {
    const f = figures[i] as Figure;
    if (f.section !== section) {
      section = f.section;
      out.push(`[${section}]`);
    }
    out.push(line(rows[i] as string[]));
  }
  return out.join('\n');
}

/** The same table in Markdown (for BENCHMARKS.md), one section heading row per section. */
export function markdownTable(figures: readonly Figure[]): string {
  const esc = (t: string) => t.replace(/\|/g, '\\|');
  const out = ['| Figure | Measured | Target | Pass/miss | Detail |', '|---|---|---|---|---|'];
  let section = '';
  for (const f of figures) {
    if (f.section !== section) {
      section = f.section;
      out.push(`| **${section}** | | | | |`);
    }
    const verdict = f.pass === null ? (f.value === null ? 'n/a' : '') : f.pass ? 'pass' : '**MISS**';
    out.push(`| ${esc(f.label)} | ${esc(formatValue(f.value, f.unit))} | ${esc(formatTarget(f.target, f.unit))} | ${verdict} | ${esc(f.detail ?? f.note ?? '')} |`);
  }
  return out.join('\n');
}

export function machine(): { host: string; os: string; cpus: number; cpuModel: string; memoryGiB: number; freeMemoryGiB: number; node: string; loadAverage: number[] } {
  const cpu = cpus();
  return {
    host: hostname(),
    os: `${osType()} ${release()}`,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function writeJson(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}

export const MiB = 1024 * 1024;
