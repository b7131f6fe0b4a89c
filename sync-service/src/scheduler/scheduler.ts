/**
 * One node-cron task per enabled flow, read from the store. `reload(type)` applies a changed
 * schedule or enabled flag at once, without a restart.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { SYNC_TYPES, type SyncType } from '../domain/constants';
import type { Engine } from '../engine/engine';
import { FlowBusyError } from '../engine/errors';
import { silentLogger, type Logger } from '../engine/logger';
import type { Store } from '../store';

export interface SchedulerOptions {
  store: Store;
  engine: Engine;
  log?: Logger;
  timezone?: string;
}

export class Scheduler {
  private readonly tasks = new Map<SyncType, { task: ScheduledTask; schedule: string }>();
  private started = false;
  private startedAt = 0;

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    this.started = true;
    this.startedAt = Date.now();
    for (const type of SYNC_TYPES) this.reload(type);
  }

  /** Re-reads the flow from the store and (re)creates or removes its task. */
  reload(type: SyncType): void {
    if (!this.started) return;
    const flow = this.options.store.flows.get(type);
    const current = this.tasks.get(type);
    const wanted = flow && flow.enabled && this.options.engine.isAvailable(type) ? flow.schedule : null;
    if (current && current.schedule === wanted) return;
    if (current) {
      void current.task.destroy();
      this.tasks.delete(type);
    }
    if (!wanted) return;
    const task = cron.schedule(wanted, () => this.fire(type), {
      name: `bpwc-${type}`,
      timezone: this.options.timezone,
      // The engine's lock already refuses overlaps; this just avoids noise.
      noOverlap: true,
    });
    this.tasks.set(type, { task, schedule: wanted });
  }

  private fire(type: SyncType): void {
    const log = this.options.log ?? silentLogger;
    try {
      this.options.engine.start(type, { trigger: 'schedule' });
    } catch (err) {
      if (err instanceof FlowBusyError) log.debug({ flow: type }, 'scheduled run skipped: the flow is still running');
      else log.warn({ flow: type, err: (err as Error).message }, 'scheduled run could not start');
    }
  }

  /** Milliseconds between two scheduled runs (from the next two fire times); null when not scheduled. */
  intervalMs(type: SyncType): number | null {
    const next = this.tasks.get(type)?.task.getNextRuns(2);
    return next && next.length === 2 ? (next[1] as Date).getTime() - (next[0] as Date).getTime() : null;
  }

  /** When scheduling began in this process (a flow cannot be overdue before then). */
  since(): number {
    return this.startedAt;
  }

  nextRunAt(type: SyncType): Date | null {
    return this.tasks.get(type)?.task.getNextRun() ?? null;
  }

  stop(): void {
    for (const { task } of this.tasks.values()) void task.destroy();
    this.tasks.clear();
    this.started = false;
  }
}
