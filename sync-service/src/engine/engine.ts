/**
 * Runs flows. A run holds the flow's lock in the database, so the same flow never runs twice at
 * once, across processes too; the lock is kept alive by a heartbeat and recovered when its owner
 * died (same host, process gone) or it expired.
 */
import { RUN_STATUS, type SyncType } from '../domain/constants';
import type { RunRow, Store } from '../store';
import { FlowBusyError, FlowUnavailableError } from './errors';
import type { Flow, FlowContext } from './flow';
import { silentLogger, type Logger } from './logger';
import { isOwnerDead, makeOwnerId } from './owner';
import { describeRetries, runInScope, takeRetries } from './run-scope';

export interface EngineOptions {
  store: Store;
  flows: Partial<Record<SyncType, Flow>>;
  log?: Logger;
  owner?: string;
  lockTtlMs?: number;
  heartbeatMs?: number;
}

export interface StartOptions {
  trigger: string;
  scope?: string[];
  since?: string;
}

interface ActiveRun {
  runId: number;
  controller: AbortController;
  done: Promise<RunRow>;
}

export class Engine {
  readonly owner: string;
  private readonly store: Store;
  private readonly flows: Partial<Record<SyncType, Flow>>;
  private readonly log: Logger;
  private readonly lockTtlMs: number;
  private readonly heartbeatMs: number;
  private readonly active = new Map<SyncType, ActiveRun>();
  private readonly followUps = new Map<SyncType, StartOptions>();
  private stopping = false;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.flows = options.flows;
    this.log = options.log ?? silentLogger;
    this.owner = options.owner ?? makeOwnerId();
    this.lockTtlMs = options.lockTtlMs ?? 60_000;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(1000, Math.floor(this.lockTtlMs / 4));
  }

  isAvailable(type: SyncType): boolean {
    return this.flows[type] !== undefined;
  }

  runningRunId(type: SyncType): number | undefined {
    return this.active.get(type)?.runId;
  }

  /** Starts a run and returns its id at once; the run goes on in the background. */
  start(type: SyncType, options: StartOptions): { runId: number; done: Promise<RunRow> } {
    const flow = this.flows[type];
    if (!flow) throw new FlowUnavailableError(type, `The ${type} flow is not available in this version of the service.`);
    if (this.stopping) throw new FlowUnavailableError(type, 'The service is shutting down.');
    const mine = this.active.get(type);
    if (mine) throw new FlowBusyError(type, mine.runId);

    const runId = this.acquire(type, options.trigger);
    const controller = new AbortController();
    const done = this.execute(flow, runId, options, controller);
    this.active.set(type, { runId, controller, done });
    return { runId, done };
  }

  /**
   * Starts a run now or, when this process is already running the flow, queues one follow-up run
   * right after it (scopes merge; an unscoped request wins), so a retry is never lost.
   */
  request(type: SyncType, options: StartOptions): { runId: number | null; queued: boolean } {
    const mine = this.active.get(type);
    if (!mine) return { runId: this.start(type, options).runId, queued: false };
    const earlier = this.followUps.get(type);
    const scope =
      earlier === undefined ? options.scope : earlier.scope && options.scope ? [...new Set([...earlier.scope, ...options.scope])] : undefined;
    // A resync request wins over a plain one: the earliest `since` covers both.
    const sinces = [earlier?.since, options.since].filter((x): x is string => Boolean(x)).sort();
    this.followUps.set(type, { trigger: options.trigger, scope, since: sinces[0] });
    return { runId: null, queued: true };
  }

  /** At start-up: frees a lock whose owner is provably dead and closes its run, so the flow shows honestly. */
  recoverStaleLock(type: SyncType): boolean {
    const { flows, runs } = this.store;
    return this.store.db
      .transaction(() => {
        const row = flows.get(type);
        if (!row?.lockOwner || row.lockOwner === this.owner || !isOwnerDead(row.lockOwner)) return false;
        flows.breakLock(type, row.lockOwner);
        runs.abortRunning(type, 'The service stopped before this run finished; later runs pick up what it left.');
        this.log.warn({ flow: type, staleOwner: row.lockOwner }, 'recovered the lock of a process that died');
        return true;
      })
      .immediate();
  }

  private acquire(type: SyncType, trigger: string): number {
    const { flows, runs } = this.store;
    return this.store.db
      .transaction(() => {
        const row = flows.get(type);
        if (!row) throw new FlowUnavailableError(type, `Unknown flow ${type}.`);
        if (row.lockOwner && row.lockOwner !== this.owner && isOwnerDead(row.lockOwner)) {
          flows.breakLock(type, row.lockOwner);
          this.log.warn({ flow: type, staleOwner: row.lockOwner }, 'recovered the lock of a process that died');
        }
        const runId = runs.create(type, trigger, this.owner);
        if (!flows.tryLock(type, this.owner, runId, this.lockTtlMs)) {
          throw new FlowBusyError(type, flows.get(type)?.lockRunId ?? null);
        }
        // Whatever is still "running" here belonged to a dead process: close it honestly.
        runs.abortRunning(type, 'The service stopped before this run finished; later runs pick up what it left.', runId);
        return runId;
      })
      .immediate();
  }

  private async execute(flow: Flow, runId: number, options: StartOptions, controller: AbortController): Promise<RunRow> {
    const { store } = this;
    const type = flow.type;
    let failures = 0;
    const heartbeat = setInterval(() => {
      try {
        if (!store.flows.heartbeat(type, this.owner, this.lockTtlMs)) {
          this.log.error({ flow: type, runId }, 'lost the flow lock; stopping this run');
          controller.abort(new Error('lost the flow lock'));
        }
      } catch (err) {
        this.log.warn({ err, flow: type }, 'heartbeat failed');
      }
    }, this.heartbeatMs);
    heartbeat.unref();

    const ctx: FlowContext = {
      runId,
      type,
      trigger: options.trigger,
      store,
      log: this.log,
      signal: controller.signal,
      scope: options.scope,
      since: options.since,
      seen: (refs) => {
        if (refs.length === 0) return;
        store.items.seen(type, refs);
      },
      record: (outcomes) => {
        if (outcomes.length === 0) return;
        const retries = takeRetries();
        if (retries.length) {
          // Retries are part of what happened to these entities: keep them in their history.
          const note = describeRetries(retries);
          outcomes = outcomes.map((o) => (o.status === 'unchanged' ? o : { ...o, message: o.message ? `${o.message} — ${note}` : `Done ${note}` }));
        }
        const counts = store.items.record(type, runId, outcomes);
        failures += counts.failed;
        store.runs.addCounts(runId, { seen: outcomes.length, ...counts });
      },
    };

    this.log.info({ flow: type, runId, trigger: options.trigger }, 'run started');
    try {
      await runInScope(runId, () => flow.run(ctx));
      if (controller.signal.aborted) {
        const lostLock = (controller.signal.reason as Error | undefined)?.message === 'lost the flow lock';
        store.runs.finish(
          runId,
          RUN_STATUS.ABORTED,
          lostLock
            ? 'Stopped before the end: the flow lock was lost to another process; the next run picks up the rest.'
            : 'Stopped before the end (service shutdown); the next run picks up the rest.',
        );
      } else {
        store.runs.finish(runId, failures > 0 ? RUN_STATUS.PARTIAL : RUN_STATUS.SUCCEEDED);
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.error({ flow: type, runId, err: message }, 'run failed');
      store.runs.finish(runId, controller.signal.aborted ? RUN_STATUS.ABORTED : RUN_STATUS.FAILED, message);
    } finally {
      clearInterval(heartbeat);
      try {
        store.flows.unlock(type, this.owner);
      } catch (err) {
        this.log.warn({ err, flow: type }, 'could not release the flow lock; it expires on its own');
      }
      this.active.delete(type);
    }
    const next = this.followUps.get(type);
    if (next && !this.stopping) {
      this.followUps.delete(type);
      try {
        this.start(type, next);
      } catch (err) {
        this.log.warn({ flow: type, err: (err as Error).message }, 'queued follow-up run could not start');
      }
    }
    const run = store.runs.get(runId) as RunRow;
    this.log.info({ flow: type, runId, status: run.status, counts: run.counts }, 'run finished');
    return run;
  }

  /** Graceful stop: no new runs; running ones are asked to finish their batch, then awaited. */
  async stop(timeoutMs = 20_000): Promise<void> {
    this.stopping = true;
    const runs = [...this.active.values()];
    for (const r of runs) r.controller.abort(new Error('shutdown'));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(runs.map((r) => r.done)),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    if (timer) clearTimeout(timer);
  }
}
