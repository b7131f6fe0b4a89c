import { ATTEMPT_OUTCOME, SYNC_STATUS, type AttemptOutcome, type SyncStatus, type SyncType } from '../domain/constants';
import { summarize } from '../domain/redact';
import { withoutRetryNote } from '../domain/retry-note';
import { iso, type Clock } from './clock';
import type { Db } from './database';
import { Statements } from './statements';

export interface SyncItem {
  id: number;
  type: SyncType;
  entityId: string;
  bpId: string | null;
  wcId: string | null;
  info: string;
  status: SyncStatus;
  /** When our service first saw the entity (the Synced At column). */
  syncedAt: string;
  updatedAt: string;
  error: string | null;
  attempts: number;
  lastValue: string | null;
}

export interface Attempt {
  id: number;
  runId: number | null;
  at: string;
  outcome: AttemptOutcome;
  message: string | null;
  request: unknown;
  response: unknown;
}

export interface EntityRef {
  entityId: string;
  info: string;
  bpId?: string | null;
  wcId?: string | null;
}

/** What a flow decided about one entity in a run. */
export type Outcome =
  | { entityId: string; status: 'synced'; message?: string; value?: string | null; wcId?: string | null; request?: unknown; response?: unknown }
  | { entityId: string; status: 'failed'; message: string; request?: unknown; response?: unknown }
  /** Already up to date on both sides: no write, no history row unless it was not Synced. */
  | { entityId: string; status: 'unchanged'; value?: string | null; wcId?: string | null };

export interface ItemFilter {
  type: SyncType;
  status?: SyncStatus;
  search?: string;
  /** Inclusive bounds on Updated At, ISO 8601. */
  from?: string;
  to?: string;
}

export interface ItemPage {
  items: SyncItem[];
  nextCursor: string | null;
  total: number;
}

interface RawItem {
  id: number;
  type: SyncType;
  entity_id: string;
  bp_id: string | null;
  wc_id: string | null;
  info: string;
  status: SyncStatus;
  first_seen_at: string;
  updated_at: string;
  last_error: string | null;
  attempts: number;
  last_value: string | null;
}

const toItem = (r: RawItem): SyncItem => ({
  id: r.id,
  type: r.type,
  entityId: r.entity_id,
  bpId: r.bp_id,
  wcId: r.wc_id,
  info: r.info,
  status: r.status,
  syncedAt: r.first_seen_at,
  updatedAt: r.updated_at,
  error: r.last_error,
  attempts: r.attempts,
  lastValue: r.last_value,
});

/** Keyset cursor: the last id of a page, opaque to clients. Newest first, so rows added later never shift a page. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(JSON.stringify({ id: lastId })).toString('base64url');
}

export function decodeCursor(cursor: string): number | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown };
    return typeof parsed.id === 'number' && Number.isSafeInteger(parsed.id) && parsed.id > 0 ? parsed.id : null;
  } catch {
    return null;
  }
}

export class SyncItemStore {
  /** The statements of the per-entity paths (seen, record, intents, lookups). */
  private readonly statements: Statements;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.statements = new Statements(db);
  }

  /** Registers entities a run is about to handle; new ones start Pending with first-seen = now. One transaction. */
  seen(type: SyncType, refs: EntityRef[]): void {
    const now = iso(this.clock());
    const upsert = this.statements.get(
      `INSERT INTO sync_items (type, entity_id, bp_id, wc_id, info, status, first_seen_at, updated_at)
       VALUES (@type, @entityId, @bpId, @wcId, @info, '${SYNC_STATUS.PENDING}', @now, @now)
       ON CONFLICT (type, entity_id) DO UPDATE SET
         info = excluded.info,
         bp_id = COALESCE(excluded.bp_id, sync_items.bp_id),
         wc_id = COALESCE(excluded.wc_id, sync_items.wc_id)
       WHERE sync_items.info IS NOT excluded.info
          OR (excluded.bp_id IS NOT NULL AND sync_items.bp_id IS NOT excluded.bp_id)
          OR (excluded.wc_id IS NOT NULL AND sync_items.wc_id IS NOT excluded.wc_id)`,
    );
    this.db.transaction(() => {
      for (const r of refs) upsert.run({ type, entityId: r.entityId, bpId: r.bpId ?? null, wcId: r.wcId ?? null, info: r.info, now });
    })();
  }

  /**
   * Applies a batch of outcomes in one transaction and returns how many of each were recorded.
   * A failure identical to the one already recorded adds no history row: a SKU missing for weeks
   * must not write a row every five minutes.
   */
  record(type: SyncType, runId: number | null, outcomes: Outcome[]): { synced: number; failed: number; unchanged: number } {
    const now = iso(this.clock());
    const counts = { synced: 0, failed: 0, unchanged: 0 };
    const find = this.statements.get('SELECT id, status, last_error FROM sync_items WHERE type = ? AND entity_id = ?');
    const setSynced = this.statements.get(
      `UPDATE sync_items SET status = '${SYNC_STATUS.SYNCED}', last_error = NULL, attempts = attempts + 1, updated_at = ?,
         last_value = ?, wc_id = COALESCE(?, wc_id), last_run_id = ? WHERE id = ?`,
    );
    const setFailed = this.statements.get(
      `UPDATE sync_items SET status = '${SYNC_STATUS.FAILED}', last_error = ?, attempts = attempts + 1, updated_at = ?, last_run_id = ? WHERE id = ?`,
    );
    const touch = this.statements.get('UPDATE sync_items SET last_run_id = ?, last_value = COALESCE(?, last_value), wc_id = COALESCE(?, wc_id) WHERE id = ?');
    const addAttempt = this.statements.get(
      'INSERT INTO sync_attempts (item_id, run_id, at, outcome, message, request, response) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const o of outcomes) {
        const item = find.get(type, o.entityId) as { id: number; status: SyncStatus; last_error: string | null } | undefined;
        if (!item) throw new Error(`record(): ${type} ${o.entityId} was never registered with seen()`);
        if (o.status === 'synced') {
          setSynced.run(now, o.value ?? null, o.wcId ?? null, runId, item.id);
          addAttempt.run(item.id, runId, now, ATTEMPT_OUTCOME.SYNCED, o.message ?? null, summarize(o.request), summarize(o.response));
          counts.synced++;
        } else if (o.status === 'failed') {
          // Identical = the same reason; the retry note a run may have added is not part of it.
          if (item.status === SYNC_STATUS.FAILED && item.last_error !== null && withoutRetryNote(item.last_error) === withoutRetryNote(o.message)) {
            touch.run(runId, null, null, item.id);
          } else {
            setFailed.run(o.message, now, runId, item.id);
            addAttempt.run(item.id, runId, now, ATTEMPT_OUTCOME.FAILED, o.message, summarize(o.request), summarize(o.response));
          }
          counts.failed++;
        } else {
          if (item.status !== SYNC_STATUS.SYNCED) {
            setSynced.run(now, o.value ?? null, o.wcId ?? null, runId, item.id);
            addAttempt.run(item.id, runId, now, ATTEMPT_OUTCOME.UNCHANGED, 'Already up to date; nothing to write', null, null);
          } else {
            touch.run(runId, o.value ?? null, o.wcId ?? null, item.id);
          }
          counts.unchanged++;
        }
      }
    })();
    return counts;
  }

  /**
   * Records the intent to create something remote for an entity (its own transaction, committed
   * before the remote call). After a crash, `intentOf()` tells the flow to look the entity up
   * remotely (e.g. by externalRef) before creating it again.
   */
  recordIntent(type: SyncType, entityId: string, intent: Record<string, unknown>, runId: number | null = null): void {
    const now = iso(this.clock());
    this.db.transaction(() => {
      const item = this.statements.get('SELECT id FROM sync_items WHERE type = ? AND entity_id = ?').get(type, entityId) as { id: number } | undefined;
      if (!item) throw new Error(`recordIntent(): ${type} ${entityId} was never registered with seen()`);
      this.statements.get('UPDATE sync_items SET last_value = ? WHERE id = ?').run(JSON.stringify({ intent, at: now }), item.id);
      this.statements
        .get('INSERT INTO sync_attempts (item_id, run_id, at, outcome, message, request) VALUES (?, ?, ?, ?, ?, ?)')
        .run(item.id, runId, now, ATTEMPT_OUTCOME.INTENT, 'About to create it remotely', summarize(intent));
    })();
  }

  /** The intent recorded for an entity and not yet replaced by a synced value, if any. */
  intentOf(type: SyncType, entityId: string): { intent: Record<string, unknown>; at: string } | undefined {
    const raw = this.statements.get('SELECT last_value FROM sync_items WHERE type = ? AND entity_id = ?').pluck().get(type, entityId) as string | null | undefined;
    if (!raw || !raw.startsWith('{"intent"')) return undefined;
    try {
      return JSON.parse(raw) as { intent: Record<string, unknown>; at: string };
    } catch {
      return undefined;
    }
  }

  /** Re-queues items (status Pending, a "queued" history row). Returns the affected items. */
  requeue(selector: { ids: number[] } | { type: SyncType; status: SyncStatus }, message = 'Retry requested'): SyncItem[] {
    const now = iso(this.clock());
    return this.db.transaction(() => {
      const rows =
        'ids' in selector
          ? selector.ids.length
            ? (this.db.prepare(`SELECT * FROM sync_items WHERE id IN (${selector.ids.map(() => '?').join(',')})`).all(...selector.ids) as RawItem[])
            : []
          : (this.db.prepare('SELECT * FROM sync_items WHERE type = ? AND status = ?').all(selector.type, selector.status) as RawItem[]);
      const update = this.db.prepare(`UPDATE sync_items SET status = '${SYNC_STATUS.PENDING}', updated_at = ? WHERE id = ?`);
      const addAttempt = this.db.prepare('INSERT INTO sync_attempts (item_id, run_id, at, outcome, message) VALUES (?, NULL, ?, ?, ?)');
      for (const r of rows) {
        update.run(now, r.id);
        addAttempt.run(r.id, now, ATTEMPT_OUTCOME.QUEUED, message);
      }
      return rows.map((r) => ({ ...toItem(r), status: SYNC_STATUS.PENDING, updatedAt: now }));
    })();
  }

  get(id: number): SyncItem | undefined {
    const row = this.statements.get('SELECT * FROM sync_items WHERE id = ?').get(id) as RawItem | undefined;
    return row && toItem(row);
  }

  getByEntity(type: SyncType, entityId: string): SyncItem | undefined {
    const row = this.statements.get('SELECT * FROM sync_items WHERE type = ? AND entity_id = ?').get(type, entityId) as RawItem | undefined;
    return row && toItem(row);
  }

  /** Entities of a type in a status, e.g. the Pending ones a run must pick up. */
  entityIds(type: SyncType, status: SyncStatus): string[] {
    return this.db.prepare('SELECT entity_id FROM sync_items WHERE type = ? AND status = ?').pluck().all(type, status) as string[];
  }

  attempts(itemId: number, limit = 200): Attempt[] {
    const rows = this.db
      .prepare('SELECT id, run_id, at, outcome, message, request, response FROM sync_attempts WHERE item_id = ? ORDER BY id DESC LIMIT ?')
      .all(itemId, limit) as { id: number; run_id: number | null; at: string; outcome: AttemptOutcome; message: string | null; request: string | null; response: string | null }[];
    const parse = (s: string | null): unknown => {
      if (s === null) return null;
      try {
        return JSON.parse(s);
      } catch {
        return s;
      }
    };
    return rows.map((r) => ({ id: r.id, runId: r.run_id, at: r.at, outcome: r.outcome, message: r.message, request: parse(r.request), response: parse(r.response) }));
  }

  private where(filter: ItemFilter): { sql: string; params: unknown[] } {
    const clauses = ['type = ?'];
    const params: unknown[] = [filter.type];
    if (filter.status) {
      clauses.push('status = ?');
      params.push(filter.status);
    }
    if (filter.search) {
      const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      clauses.push("(info LIKE ? ESCAPE '\\' OR entity_id = ? OR bp_id = ? OR wc_id = ?)");
      params.push(like, filter.search, filter.search, filter.search);
    }
    if (filter.from) {
      clauses.push('updated_at >= ?');
      params.push(filter.from);
    }
    if (filter.to) {
      clauses.push('updated_at <= ?');
      params.push(filter.to);
    }
    return { sql: clauses.join(' AND '), params };
  }

  page(filter: ItemFilter, limit: number, cursor?: number | null): ItemPage {
    const w = this.where(filter);
    const keyset = cursor ? ' AND id < ?' : '';
    // Ids first: the filter indexes cover them, so a date range sorts ids, not whole rows.
    const rows = this.db
      .prepare(`SELECT * FROM sync_items WHERE id IN (SELECT id FROM sync_items WHERE ${w.sql}${keyset} ORDER BY id DESC LIMIT ?) ORDER BY id DESC`)
      .all(...w.params, ...(cursor ? [cursor] : []), limit + 1) as RawItem[];
    const more = rows.length > limit;
    const items = rows.slice(0, limit).map(toItem);
    const total = this.total(filter, w);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor(last.id) : null, total };
  }

  /** Matching items: type and status come from the trigger-kept counts; other filters are counted. */
  private total(filter: ItemFilter, w: { sql: string; params: unknown[] }): number {
    if (filter.search || filter.from || filter.to) {
      return this.db.prepare(`SELECT COUNT(*) FROM sync_items WHERE ${w.sql}`).pluck().get(...w.params) as number;
    }
    const n = filter.status
      ? this.db.prepare('SELECT n FROM sync_item_counts WHERE type = ? AND status = ?').pluck().get(filter.type, filter.status)
      : this.db.prepare('SELECT SUM(n) FROM sync_item_counts WHERE type = ?').pluck().get(filter.type);
    return (n as number | null | undefined) ?? 0;
  }

  /** Every matching item, newest first, read in chunks so a long export never holds the connection. */
  *iterate(filter: ItemFilter, chunk = 1000): Generator<SyncItem> {
    const w = this.where(filter);
    let cursor: number | null = null;
    for (;;) {
      const rows = this.db
        .prepare(`SELECT * FROM sync_items WHERE ${w.sql}${cursor ? ' AND id < ?' : ''} ORDER BY id DESC LIMIT ?`)
        .all(...w.params, ...(cursor ? [cursor] : []), chunk) as RawItem[];
      for (const r of rows) yield toItem(r);
      if (rows.length < chunk) return;
      cursor = (rows[rows.length - 1] as RawItem).id;
    }
  }

  counts(type: SyncType): Record<SyncStatus, number> {
    const out: Record<SyncStatus, number> = { pending: 0, synced: 0, failed: 0 };
    const rows = this.db.prepare('SELECT status, n FROM sync_item_counts WHERE type = ?').all(type) as { status: SyncStatus; n: number }[];
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  /** Synced and failed attempts per hour for the last `hours` hours (for the Flows tab chart). */
  hourly(type: SyncType, hours: number): { hour: string; synced: number; failed: number }[] {
    const now = this.clock();
    const end = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
    const start = new Date(end.getTime() - (hours - 1) * 3_600_000);
    const rows = this.db
      .prepare(
        `SELECT substr(a.at, 1, 13) AS hour,
                SUM(a.outcome IN ('${ATTEMPT_OUTCOME.SYNCED}', '${ATTEMPT_OUTCOME.UNCHANGED}')) AS synced,
                SUM(a.outcome = '${ATTEMPT_OUTCOME.FAILED}') AS failed
         FROM sync_attempts a JOIN sync_items i ON i.id = a.item_id
         WHERE a.at >= ? AND i.type = ? GROUP BY hour`,
      )
      .all(iso(start), type) as { hour: string; synced: number; failed: number }[];
    const byHour = new Map(rows.map((r) => [r.hour, r]));
    return Array.from({ length: hours }, (_, i) => {
      const h = new Date(start.getTime() + i * 3_600_000).toISOString();
      const r = byHour.get(h.slice(0, 13));
      return { hour: h, synced: r?.synced ?? 0, failed: r?.failed ?? 0 };
    });
  }

  /** Deletes attempt history older than `before` in small chunks, so the API is never blocked for long. */
  pruneAttempts(before: string, chunk = 5000): number {
    const del = this.db.prepare('DELETE FROM sync_attempts WHERE id IN (SELECT id FROM sync_attempts WHERE at < ? LIMIT ?)');
    let total = 0;
    for (;;) {
      const n = del.run(before, chunk).changes;
      total += n;
      if (n < chunk) return total;
    }
  }
}
