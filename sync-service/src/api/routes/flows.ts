import type { FastifyInstance } from 'fastify';
import { FLOW_DEFINITIONS, type SyncType } from '../../domain/constants';
import { FlowBusyError, FlowUnavailableError } from '../../engine/errors';
import type { ApiContext } from '../context';
import { ApiError, parse } from '../errors';
import { FlowParams, FlowPatchBody, RunParams, RunStartBody } from '../schemas';
import type { FlowRow, RunRow } from '../../store';

const runView = (run: RunRow | undefined) =>
  run ? { id: run.id, trigger: run.trigger, startedAt: run.startedAt, finishedAt: run.finishedAt, status: run.status, counts: run.counts, error: run.error } : null;

/** A run's heartbeat older than this means its process stopped beating (the lock TTL default). */
const HEARTBEAT_STALE_MS = 60_000;

/**
 * `stalled` when a scheduled run is overdue (nothing started for two intervals plus a minute) or a
 * running run's heartbeat went quiet: something a store owner should look at.
 */
function flowState(ctx: ApiContext, type: SyncType, flow: FlowRow, lastRun: RunRow | undefined, now = Date.now()) {
  if (!ctx.engine.isAvailable(type)) return 'unavailable';
  if (flow.lockOwner) {
    const beat = flow.heartbeatAt ? Date.parse(flow.heartbeatAt) : 0;
    return now - beat > HEARTBEAT_STALE_MS ? 'stalled' : 'running';
  }
  if (!flow.enabled) return 'disabled';
  const interval = ctx.scheduler.intervalMs(type);
  if (interval === null) return 'idle';
  const reference = Math.max(lastRun ? Date.parse(lastRun.startedAt) : 0, ctx.scheduler.since());
  return now - reference > 2 * interval + 60_000 ? 'stalled' : 'idle';
}

export function flowView(ctx: ApiContext, type: SyncType) {
  const flow = ctx.store.flows.get(type);
  if (!flow) throw new ApiError(404, 'not_found', `No flow ${type}`);
  const def = FLOW_DEFINITIONS[type];
  const lastRun = ctx.store.runs.latest(type);
  return {
    id: type,
    name: def.name,
    direction: def.direction,
    available: ctx.engine.isAvailable(type),
    enabled: flow.enabled,
    schedule: flow.schedule,
    state: flowState(ctx, type, flow, lastRun),
    running: flow.lockRunId,
    heartbeatAt: flow.heartbeatAt,
    lastRun: runView(lastRun),
    nextRunAt: ctx.scheduler.nextRunAt(type)?.toISOString() ?? null,
    counts: ctx.store.items.counts(type),
  };
}

export async function flowRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get('/flows', async () => ({ flows: ctx.store.flows.list().map((f) => flowView(ctx, f.id)) }));

  app.get('/flows/:id', async (request) => flowView(ctx, parse(FlowParams, request.params, 'params').id));

  app.patch('/flows/:id', async (request) => {
    const { id } = parse(FlowParams, request.params, 'params');
    const patch = parse(FlowPatchBody, request.body, 'body');
    ctx.store.flows.update(id, patch);
    ctx.scheduler.reload(id);
    return flowView(ctx, id);
  });

  app.post('/flows/:id/runs', async (request, reply) => {
    const { id } = parse(FlowParams, request.params, 'params');
    const body = parse(RunStartBody, request.body, 'body');
    try {
      const { runId } = ctx.engine.start(id, { trigger: body?.since ? 'resync' : 'manual', scope: body?.entityIds, since: body?.since });
      return reply.code(202).header('location', `/api/v1/runs/${runId}`).send({ runId });
    } catch (err) {
      if (err instanceof FlowBusyError) throw new ApiError(409, 'flow_busy', err.message);
      if (err instanceof FlowUnavailableError) throw new ApiError(409, 'flow_unavailable', err.message);
      throw err;
    }
  });

  app.get('/runs/:id', async (request) => {
    const { id } = parse(RunParams, request.params, 'params');
    const run = ctx.store.runs.get(id);
    if (!run) throw new ApiError(404, 'not_found', `No run ${id}`);
    return { ...runView(run), flowId: run.flowId };
  });
}
