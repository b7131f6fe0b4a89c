import { RUN_STATUS, type RunStatus, type SyncType } from '../domain/constants';
import { iso, type Clock } from './clock';
import type { Db } from './database';

export interface RunCounts {
  seen: number;
  synced: number;
  failed: number;
  unchanged: number;
}

export interface RunRow {
  id: number;
  flowId: SyncType;
  trigger: string;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  counts: RunCounts;
  error: string | null;
}

interface RawRun {
  id: number;
  flow_id: SyncType;
  trigger: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  seen: number;
  synced: number;
  failed: number;
  unchanged: number;
  error: string | null;
}

const toRun = (r: RawRun): RunRow => ({
  id: r.id,
  flowId: r.flow_id,
  trigger: r.trigger,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  counts: { seen: r.seen, synced: r.synced, failed: r.failed, unchanged: r.unchanged },
  error: r.error,
});

export class RunStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  create(flowId: SyncType, trigger: string, owner: string): number {
    const res = this.db
      .prepare('INSERT INTO runs (flow_id, trigger, status, started_at, owner) VALUES (?, ?, ?, ?, ?)')
      .run(flowId, trigger, RUN_STATUS.RUNNING, iso(this.clock()), owner);
    return Number(res.lastInsertRowid);
  }

  addCounts(id: number, delta: Partial<RunCounts>): void {
    this.db
      .prepare('UPDATE runs SET seen = seen + ?, synced = synced + ?, failed = failed + ?, unchanged = unchanged + ? WHERE id = ?')
      .run(delta.seen ?? 0, delta.synced ?? 0, delta.failed ?? 0, delta.unchanged ?? 0, id);
  }

  finish(id: number, status: RunStatus, error: string | null = null): void {
    this.db
      .prepare('UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ? AND status = ?')
      .run(status, iso(this.clock()), error, id, RUN_STATUS.RUNNING);
  }

  get(id: number): RunRow | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RawRun | undefined;
    return row && toRun(row);
  }

  latest(flowId: SyncType): RunRow | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE flow_id = ? ORDER BY id DESC LIMIT 1').get(flowId) as RawRun | undefined;
    return row && toRun(row);
  }

  /** Runs still marked running whose process is gone (closed by stale-lock recovery or at start-up). */
  abortRunning(flowId: SyncType, reason: string, exceptRunId?: number): number {
    const res = this.db
      .prepare('UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE flow_id = ? AND status = ? AND id != ?')
      .run(RUN_STATUS.ABORTED, iso(this.clock()), reason, flowId, RUN_STATUS.RUNNING, exceptRunId ?? -1);
    return res.changes;
  }
}
