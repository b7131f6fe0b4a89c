import { FLOW_DEFINITIONS, SYNC_TYPES, type SyncType } from '../domain/constants';
import { iso, type Clock } from './clock';
import type { Db } from './database';

export interface FlowRow {
  id: SyncType;
  enabled: boolean;
  schedule: string;
  cursor: string | null;
  lockOwner: string | null;
  lockRunId: number | null;
  lockExpiresAt: string | null;
  heartbeatAt: string | null;
  updatedAt: string;
}

interface RawFlow {
  id: SyncType;
  enabled: number;
  schedule: string;
  cursor: string | null;
  lock_owner: string | null;
  lock_run_id: number | null;
  lock_expires_at: string | null;
  heartbeat_at: string | null;
  updated_at: string;
}

const toFlow = (r: RawFlow): FlowRow => ({
  id: r.id,
  enabled: r.enabled === 1,
  schedule: r.schedule,
  cursor: r.cursor,
  lockOwner: r.lock_owner,
  lockRunId: r.lock_run_id,
  lockExpiresAt: r.lock_expires_at,
  heartbeatAt: r.heartbeat_at,
  updatedAt: r.updated_at,
});

export class FlowStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Creates the five flows on first start from configured defaults; existing rows are left alone. */
  ensure(defaults: Partial<Record<SyncType, { enabled: boolean; schedule: string }>>): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO flows (id, enabled, schedule, updated_at) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const type of SYNC_TYPES) {
        const d = defaults[type] ?? { enabled: true, schedule: FLOW_DEFINITIONS[type].defaultSchedule };
        insert.run(type, d.enabled ? 1 : 0, d.schedule, iso(this.clock()));
      }
    })();
  }

  list(): FlowRow[] {
    const rows = this.db.prepare('SELECT * FROM flows').all() as RawFlow[];
    const order = new Map(SYNC_TYPES.map((t, i) => [t, i]));
    return rows.map(toFlow).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }

  get(id: SyncType): FlowRow | undefined {
    const row = this.db.prepare('SELECT * FROM flows WHERE id = ?').get(id) as RawFlow | undefined;
    return row && toFlow(row);
  }

  update(id: SyncType, patch: { enabled?: boolean; schedule?: string }): FlowRow | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    this.db
      .prepare('UPDATE flows SET enabled = ?, schedule = ?, updated_at = ? WHERE id = ?')
      .run((patch.enabled ?? current.enabled) ? 1 : 0, patch.schedule ?? current.schedule, iso(this.clock()), id);
    return this.get(id);
  }

  getCursor(id: SyncType): string | null {
    return (this.db.prepare('SELECT cursor FROM flows WHERE id = ?').pluck().get(id) as string | null | undefined) ?? null;
  }

  setCursor(id: SyncType, cursor: string | null): void {
    this.db.prepare('UPDATE flows SET cursor = ? WHERE id = ?').run(cursor, id);
  }

  /** Takes the lock when free or expired. Caller decides about stale owners (see Engine). */
  tryLock(id: SyncType, owner: string, runId: number, ttlMs: number): boolean {
    const now = this.clock();
    const res = this.db
      .prepare(
        `UPDATE flows SET lock_owner = ?, lock_run_id = ?, lock_expires_at = ?, heartbeat_at = ?
         WHERE id = ? AND (lock_owner IS NULL OR lock_expires_at < ?)`,
      )
      .run(owner, runId, iso(new Date(now.getTime() + ttlMs)), iso(now), id, iso(now));
    return res.changes === 1;
  }

  /** Extends the lock; false when another owner took it (ours had expired). */
  heartbeat(id: SyncType, owner: string, ttlMs: number): boolean {
    const now = this.clock();
    const res = this.db
      .prepare('UPDATE flows SET lock_expires_at = ?, heartbeat_at = ? WHERE id = ? AND lock_owner = ?')
      .run(iso(new Date(now.getTime() + ttlMs)), iso(now), id, owner);
    return res.changes === 1;
  }

  unlock(id: SyncType, owner: string): void {
    this.db
      .prepare('UPDATE flows SET lock_owner = NULL, lock_run_id = NULL, lock_expires_at = NULL WHERE id = ? AND lock_owner = ?')
      .run(id, owner);
  }

  /** Clears a lock whose owner is known dead, so it can be taken at once. */
  breakLock(id: SyncType, staleOwner: string): boolean {
    const res = this.db
      .prepare('UPDATE flows SET lock_owner = NULL, lock_run_id = NULL, lock_expires_at = NULL WHERE id = ? AND lock_owner = ?')
      .run(id, staleOwner);
    return res.changes === 1;
  }
}
