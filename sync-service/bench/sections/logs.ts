/**
 * Logs API: filtered pages over a big sync log (p50/p95 measured client-side over loopback, one
 * request at a time), and the CSV export of every row of the big type, streamed (time, and the
 * service process's peak RSS).
 */
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { encodeCursor } from '../../src/store/sync-item-store';
import { seededRandom, pick } from '../../src/simulators/shared/random';
import { round, type BenchContext } from '../context';
import { percentile } from '../floors';
import { Child } from '../ipc';
import { SEARCH_WORDS, type LogSeedResult } from '../logs-seed';
import { API_TOKEN } from '../shared';

const S = 'logs';
const DAY = 86_400_000;
/** Time budget of one page scenario, and the fewest requests it makes anyway. */
const SCENARIO_BUDGET_MS = 20_000;
const MIN_REQUESTS = 20;

export async function logsSection(ctx: BenchContext): Promise<void> {
  const { figures, opts } = ctx;
  const raw: Record<string, unknown> = {};
  ctx.raw.logs = raw;
  const db = join(ctx.tmp, 'logs.sqlite');
  const { logRows, logOtherRows, logRequests } = opts.sizes;

  ctx.log(`logs: writing ${(logRows + logOtherRows).toLocaleString('en-GB')} sync log rows`);
  const seeder = new Child('runner.js', 'log seeder');
  let seeded: LogSeedResult & { countsMigrationMs: number | null };
  try {
    seeded = await seeder.call<LogSeedResult & { countsMigrationMs: number | null }>('logsSeed', { db, mainRows: logRows, otherRows: logOtherRows });
  } finally {
    await seeder.close();
  }
  raw.seed = { rows: seeded.rows, mainRows: seeded.mainRows, ms: seeded.ms, countsMigrationMs: seeded.countsMigrationMs };

  // A fresh process serves the API, so its memory high-water mark is the API's own.
  const server = new Child('runner.js', 'service API');
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 1 });
  try {
    const { url, rss: startRss } = await server.call<{ url: string; rss: number }>('logsServe', { db });
    const headers = { authorization: `Bearer ${API_TOKEN}` };
    const get = async (path: string) => {
      const t0 = performance.now();
      const res = await request(`${url}${path}`, { headers, dispatcher: agent });
      const body = await res.body.text();
      const ms = performance.now() - t0;
      if (res.statusCode !== 200) throw new Error(`GET ${path}: HTTP ${res.statusCode} ${body.slice(0, 200)}`);
      return { ms, body };
    };

    const random = seededRandom(5);
    const maxId = seeded.rows;
    const iso = (ms: number) => new Date(ms).toISOString();
    const scenarios: { key: string; label: string; path: () => string }[] = [
      { key: 'status', label: 'type + status (failed, pending or synced)', path: () => `/api/v1/logs?type=inventory&status=${pick(random, ['failed', 'pending', 'synced'])}&limit=50` },
      {
        key: 'search',
        label: 'type + search (name word or entity id)',
        path: () => `/api/v1/logs?type=inventory&search=${encodeURIComponent(random() < 0.5 ? pick(random, SEARCH_WORDS) : pick(random, seeded.sampleEntityIds))}&limit=50`,
      },
      {
        key: 'date_range',
        label: 'type + date range (7 days)',
        path: () => {
          const from = seeded.start + Math.floor(random() * (seeded.end - seeded.start - 7 * DAY));
          return `/api/v1/logs?type=inventory&from=${encodeURIComponent(iso(from))}&to=${encodeURIComponent(iso(from + 7 * DAY))}&limit=50`;
        },
      },
      {
        key: 'deep_cursor',
        label: 'deep cursor page (anywhere in the log)',
        path: () => `/api/v1/logs?type=inventory&limit=50&cursor=${encodeCursor(1 + Math.floor(random() * maxId))}`,
      },
      {
        key: 'status_deep',
        label: 'type + status, deep cursor page',
        path: () => `/api/v1/logs?type=inventory&status=failed&limit=50&cursor=${encodeCursor(1 + Math.floor(random() * maxId))}`,
      },
    ];
    const results: Record<string, unknown> = {};
    for (const s of scenarios) {
      for (let i = 0; i < 5; i++) await get(s.path()); // warm-up
      const times: number[] = [];
      // A slow scenario stops after its time budget (at least MIN_REQUESTS are always made).
      const began = performance.now();
      for (let i = 0; i < logRequests; i++) {
        times.push((await get(s.path())).ms);
        if (times.length >= MIN_REQUESTS && performance.now() - began > SCENARIO_BUDGET_MS) break;
      }
      const p50 = percentile(times, 50);
      const p95 = percentile(times, 95);
      results[s.key] = { requests: times.length, p50, p95, max: Math.max(...times) };
      figures.add({
        section: S,
        id: `logs.${s.key}.p95_ms`,
        label: `logs page, ${s.label}: p95`,
        value: round(p95, 1),
        unit: 'ms',
        target: { op: '<', value: 15 },
        detail: `p50 ${round(p50, 1)} ms, max ${round(Math.max(...times), 1)} ms, ${times.length} requests over ${seeded.mainRows.toLocaleString('en-GB')} rows of the type (${seeded.rows.toLocaleString('en-GB')} in all)`,
      });
    }
    raw.pages = results;

    // --- CSV export of every row of the big type ---
    ctx.log(`logs: CSV export of ${seeded.mainRows.toLocaleString('en-GB')} rows`);
    await server.call('markRss');
    const t0 = performance.now();
    const res = await request(`${url}/api/v1/logs/export.csv?type=inventory`, { headers, dispatcher: agent });
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
    }
    const ms = performance.now() - t0;
    const rss = await server.call<{ peak: number; maxRss: number; now: number }>('rss');
    raw.export = { status: res.statusCode, bytes, lines, ms, peakRss: rss.peak, maxRss: rss.maxRss, startRss };
    if (res.statusCode !== 200) throw new Error(`CSV export: HTTP ${res.statusCode}`);
    const rows = lines - 1;
    figures.add({
      section: S,
      id: 'logs.export.seconds',
      label: `CSV export of ${rows.toLocaleString('en-GB')} rows: time`,
      value: round(ms / 1000, 2),
      unit: 's',
      detail: `${round(bytes / 2 ** 20, 1)} MiB streamed, ${Math.round(rows / (ms / 1000)).toLocaleString('en-GB')} rows/s`,
    });
    figures.add({
      section: S,
      id: 'logs.export.peak_rss_mib',
      label: `CSV export of ${rows.toLocaleString('en-GB')} rows: service peak RSS`,
      value: round(Math.max(rss.peak, rss.maxRss) / 2 ** 20, 1),
      unit: 'MiB',
      target: { op: '<', value: 200 },
      detail: `sampled peak during the export ${round(rss.peak / 2 ** 20, 1)} MiB; process high-water mark ${round(rss.maxRss / 2 ** 20, 1)} MiB (API process, started ${round(startRss / 2 ** 20, 1)} MiB)`,
    });
    if (rows !== seeded.mainRows) throw new Error(`CSV export returned ${rows} rows, expected ${seeded.mainRows}`);
  } finally {
    await agent.close();
    await server.close();
  }
}
