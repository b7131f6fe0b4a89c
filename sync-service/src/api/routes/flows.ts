import type { FastifyInstance } from 'fastify';
import { FLOW_DEFINITIONS, type SyncType } from '../../domain/constants';
import { FlowBusyError, FlowUnavailableError } from '../../engine/errors';
import type { ApiContext } from '../context';
import { ApiError, parse } from '../errors';
import { FlowParams, FlowPatchBody, RunParams, RunStartBody } from '../schemas';
import type { RunRow } from '../../store';

const runView = (run: RunRow | undefined) =>
  run ? { id: run.id, trigger: run.trigger, startedAt: run.startedAt, finishedAt: run.finishedAt, status: run.status, counts: run.counts, error: run.error } : null;

export function flowView(ctx: ApiContext, type: SyncType) {
  const flow = ctx.store.flows.get(type);
  if (!flow) throw new ApiError(404, 'not_found', `No flow ${type}`);
  const def = FLOW_DEFINITIONS[type];
  return {
    id: type,
    name: def.name,
    direction: def.direction,
    available: ctx.engine.isAvailable(type),
    enabled: flow.enabled,
    schedule: flow.schedule,
    running: flow.lockRunId,
    lastRun: runView(ctx.store.runs.latest(type)),
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
