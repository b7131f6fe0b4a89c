import type { SyncType } from '../../src/domain/constants';
import type { Flow, FlowContext } from '../../src/engine/flow';
import type { Outcome } from '../../src/store';
import { deferred, type Deferred } from './async';

/** What the fake does with one entity in a run. */
export interface PlannedEntity {
  entityId: string;
  info?: string;
  bpId?: string;
  wcId?: string;
  /** `throw` makes the per-entity handler throw; the flow catches it and records a failure. */
  outcome: 'synced' | 'failed' | 'unchanged' | 'throw';
  message?: string;
  value?: string;
  request?: unknown;
  response?: unknown;
}

/** What one run saw, for assertions after the fact. */
export interface RecordedRun {
  runId: number;
  trigger: string;
  scope: string[] | undefined;
  since: string | undefined;
  handled: string[];
  abortedAt: 'never' | 'while-held' | 'after';
  signal: AbortSignal;
}

/**
 * A Flow that does what the test says and records what happened. By default it handles every
 * planned entity (or only `ctx.scope`), one `record()` per entity, so one failure never stops the
 * others. `hold()` makes runs wait (until `release()` or the run's abort signal) so tests can look
 * at a run in flight; `failWith()` makes the next runs throw after handling their entities.
 */
export class FakeFlow implements Flow {
  readonly runs: RecordedRun[] = [];
  plan: PlannedEntity[];
  private gate: Deferred | null = null;
  private error: Error | null = null;
  private readonly startWaiters: ((ctx: FlowContext) => void)[] = [];
  private readonly endWaiters: ((run: RecordedRun) => void)[] = [];
  /** Runs in progress in this process right now (never more than one if the engine is right). */
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    readonly type: SyncType,
    plan: PlannedEntity[] = [],
  ) {
    this.plan = plan;
  }

  hold(): this {
    if (!this.gate) this.gate = deferred();
    return this;
  }

  release(): void {
    const g = this.gate;
    this.gate = null;
    g?.resolve();
  }

  failWith(error: Error | null): this {
    this.error = error;
    return this;
  }

  /** Resolves with the context of the next run that starts. */
  nextStart(): Promise<FlowContext> {
    return new Promise((resolve) => this.startWaiters.push(resolve));
  }

  /** Resolves when the next run returns or throws. */
  nextEnd(): Promise<RecordedRun> {
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  async run(ctx: FlowContext): Promise<void> {
    const rec: RecordedRun = { runId: ctx.runId, trigger: ctx.trigger, scope: ctx.scope, since: ctx.since, handled: [], abortedAt: 'never', signal: ctx.signal };
    this.runs.push(rec);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    for (const w of this.startWaiters.splice(0)) w(ctx);
    try {
      if (this.gate) {
        const gate = this.gate.promise;
        await new Promise<void>((resolve) => {
          if (ctx.signal.aborted) return resolve();
          ctx.signal.addEventListener('abort', () => resolve(), { once: true });
          void gate.then(() => resolve());
        });
        if (ctx.signal.aborted) {
          rec.abortedAt = 'while-held';
          return;
        }
      }
      const due = ctx.scope ? this.plan.filter((p) => ctx.scope?.includes(p.entityId)) : this.plan;
      ctx.seen(due.map((p) => ({ entityId: p.entityId, info: p.info ?? `Item ${p.entityId}`, bpId: p.bpId ?? null, wcId: p.wcId ?? null })));
      for (const p of due) {
        if (ctx.signal.aborted) {
          rec.abortedAt = 'after';
          break;
        }
        ctx.record([this.handle(p)]);
        rec.handled.push(p.entityId);
      }
      if (this.error) throw this.error;
    } finally {
      this.inFlight--;
      for (const w of this.endWaiters.splice(0)) w(rec);
    }
  }

  private handle(p: PlannedEntity): Outcome {
    try {
      switch (p.outcome) {
        case 'synced':
          return { entityId: p.entityId, status: 'synced', message: p.message, value: p.value, wcId: p.wcId, request: p.request, response: p.response };
        case 'unchanged':
          return { entityId: p.entityId, status: 'unchanged', value: p.value };
        case 'failed':
          return { entityId: p.entityId, status: 'failed', message: p.message ?? 'failed', request: p.request, response: p.response };
        case 'throw':
          throw new Error(p.message ?? `handler for ${p.entityId} threw`);
      }
    } catch (err) {
      return { entityId: p.entityId, status: 'failed', message: (err as Error).message };
    }
  }
}
