import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { SyncType } from '../../domain/constants';
import { FlowBusyError, FlowUnavailableError } from '../../engine/errors';
import { decodeCursor, type SyncItem } from '../../store/sync-item-store';
import type { ApiContext } from '../context';
import { ApiError, parse } from '../errors';
import { HourlyQuery, LogParams, LogsExportQuery, LogsQuery, PruneBody, RetryBody } from '../schemas';

const itemView = (i: SyncItem) => ({
  id: i.id,
  type: i.type,
  info: i.info,
  entityId: i.entityId,
  brightpearlId: i.bpId,
  woocommerceId: i.wcId,
  status: i.status,
  syncedAt: i.syncedAt,
  updatedAt: i.updatedAt,
  error: i.error,
  attempts: i.attempts,
});

const CSV_COLUMNS = ['id', 'type', 'info', 'entity_id', 'brightpearl_id', 'woocommerce_id', 'status', 'synced_at', 'updated_at', 'attempts', 'error'];

/** RFC 4180 quoting, and a leading quote on cells a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvRow = (i: SyncItem) =>
  [i.id, i.type, i.info, i.entityId, i.bpId, i.wcId, i.status, i.syncedAt, i.updatedAt, i.attempts, i.error].map(csvCell).join(',') + '\r\n';

export async function logRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get('/logs', async (request) => {
    const q = parse(LogsQuery, request.query, 'query');
    const cursor = q.cursor ? decodeCursor(q.cursor) : null;
    if (q.cursor && cursor === null) throw new ApiError(400, 'invalid_request', 'query.cursor: is not a cursor this API returned');
    const page = ctx.store.items.page({ type: q.type, status: q.status, search: q.search, from: q.from, to: q.to }, q.limit, cursor);
    return { items: page.items.map(itemView), nextCursor: page.nextCursor, total: page.total };
  });

  app.get('/logs/export.csv', async (request, reply) => {
    const q = parse(LogsExportQuery, request.query, 'query');
    const rows = ctx.store.items.iterate({ type: q.type, status: q.status, search: q.search, from: q.from, to: q.to });
    function* lines(): Generator<string> {
      yield CSV_COLUMNS.join(',') + '\r\n';
      // Batch rows per chunk: one write per row would dominate a million-row export.
      let buffer = '';
      let n = 0;
      for (const item of rows) {
        buffer += csvRow(item);
        if (++n % 500 === 0) {
          yield buffer;
          buffer = '';
        }
      }
      if (buffer) yield buffer;
    }
    const stamp = new Date().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="brightpearl-sync-${q.type}-logs-${stamp}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(lines()));
  });

  app.get('/logs/:id', async (request) => {
    const { id } = parse(LogParams, request.params, 'params');
    const item = ctx.store.items.get(id);
    if (!item) throw new ApiError(404, 'not_found', `No log item ${id}`);
    return { ...itemView(item), history: ctx.store.items.attempts(id) };
  });

  app.post('/logs/retry', async (request) => {
    const body = parse(RetryBody, request.body, 'body');
    if ('ids' in body) {
      const missing = body.ids.filter((id) => !ctx.store.items.get(id));
      if (missing.length) throw new ApiError(404, 'not_found', `No log item(s) ${missing.join(', ')}; nothing was queued`);
    }
    const items = ctx.store.items.requeue(body);
    const byType = new Map<SyncType, string[]>();
    for (const i of items) byType.set(i.type, [...(byType.get(i.type) ?? []), i.entityId]);
    const runs: { type: SyncType; runId: number | null; queued: boolean; error?: string }[] = [];
    for (const [type, entityIds] of byType) {
      if (!ctx.engine.isAvailable(type)) continue;
      try {
        runs.push({ type, ...ctx.engine.request(type, { trigger: 'retry', scope: entityIds }) });
      } catch (err) {
        // The items are re-queued already: another process running the flow (or a shutdown) is not a 500.
        if (!(err instanceof FlowBusyError || err instanceof FlowUnavailableError)) throw err;
        runs.push({ type, runId: null, queued: false, error: err.message });
      }
    }
    return { queued: items.length, runs };
  });

  app.post('/logs/prune', async (request) => {
    const { olderThanDays } = parse(PruneBody, request.body, 'body');
    const before = new Date(Date.now() - olderThanDays * 86_400_000).toISOString();
    return { deleted: ctx.store.items.pruneAttempts(before), before };
  });

  app.get('/stats/hourly', async (request) => {
    const q = parse(HourlyQuery, request.query, 'query');
    return { type: q.type, buckets: ctx.store.items.hourly(q.type, q.hours) };
  });
}
