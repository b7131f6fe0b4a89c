import { FlowBusyError, FlowUnavailableError } from '../../src/engine/errors';
import { Engine } from '../../src/engine/engine';
import { createTestContext, recordingLogger, type TestContext } from '../helpers/context';
import { FakeFlow, type PlannedEntity } from '../helpers/fake-flow';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-engine-');
let ctx: TestContext;
afterEach(async () => ctx?.close());

const entities = (outcomes: PlannedEntity['outcome'][]): PlannedEntity[] => outcomes.map((outcome, i) => ({ entityId: `E${i + 1}`, outcome, message: `${outcome} E${i + 1}` }));

describe('a run', () => {
  it('records counts and finishes succeeded', async () => {
    const flow = new FakeFlow('inventory', entities(['synced', 'synced', 'unchanged']));
    ctx = createTestContext({ file: tmp.path(), flows: { inventory: flow } });
    const { runId, done } = ctx.engine.start('inventory', { trigger: 'manual' });
    expect(ctx.engine.runningRunId('inventory')).toBe(runId);
    const run = await done;
    expect(run).toMatchObject({ id: runId, flowId: 'inventory', trigger: 'manual', status: 'succeeded', error: null, counts: { seen: 3, synced: 2, failed: 0, unchanged: 1 } });
    expect(run.finishedAt).not.toBeNull();
    expect(ctx.store.runs.get(runId)).toEqual(run);
    expect(ctx.store.items.counts('inventory')).toEqual({ pending: 0, synced: 3, failed: 0 });
    expect(ctx.engine.runningRunId('inventory')).toBeUndefined();
    expect(ctx.store.flows.get('inventory')).toMatchObject({ lockOwner: null, lockRunId: null });
    expect(flow.runs[0]).toMatchObject({ runId, trigger: 'manual', scope: undefined, handled: ['E1', 'E2', 'E3'] });
  });

  it('passes the run id, trigger, scope and store to the flow', async () => {
    const flow = new FakeFlow('order', entities(['synced', 'synced', 'synced']));
    ctx = createTestContext({ file: tmp.path(), flows: { order: flow } });
    const started = flow.nextStart();
    const { runId, done } = ctx.engine.start('order', { trigger: 'retry', scope: ['E2'] });
    const fctx = await started;
    expect(fctx).toMatchObject({ runId, type: 'order', trigger: 'retry', scope: ['E2'] });
    expect(fctx.store).toBe(ctx.store);
    expect(fctx.signal.aborted).toBe(false);
    await done;
    expect(flow.runs[0]!.handled).toEqual(['E2']);
    expect(ctx.store.items.getByEntity('order', 'E1')).toBeUndefined();
  });

  it('one failing entity does not stop the others: status partial, every entity recorded', async () => {
    const flow = new FakeFlow('inventory', entities(['synced', 'failed', 'throw', 'unchanged', 'synced']));
    ctx = createTestContext({ file: tmp.path(), flows: { inventory: flow } });
    const run = await ctx.engine.start('inventory', { trigger: 'schedule' }).done;
    expect(run.status).toBe('partial');
    expect(run.error).toBeNull();
    expect(run.counts).toEqual({ seen: 5, synced: 2, failed: 2, unchanged: 1 });
    expect(ctx.store.items.getByEntity('inventory', 'E3')).toMatchObject({ status: 'failed', error: 'throw E3' });
    expect(ctx.store.items.getByEntity('inventory', 'E5')).toMatchObject({ status: 'synced' });
    expect(ctx.store.items.counts('inventory')).toEqual({ pending: 0, synced: 3, failed: 2 });
  });

  it('a flow that throws: run failed with the message, lock released, next run possible', async () => {
    const flow = new FakeFlow('product', entities(['synced'])).failWith(new Error('Brightpearl is down (503)'));
    const log = recordingLogger();
    ctx = createTestContext({ file: tmp.path(), flows: { product: flow }, log });
    const run = await ctx.engine.start('product', { trigger: 'manual' }).done;
    expect(run).toMatchObject({ status: 'failed', error: 'Brightpearl is down (503)', counts: { seen: 1, synced: 1 } });
    expect(ctx.store.flows.get('product')).toMatchObject({ lockOwner: null, lockRunId: null, lockExpiresAt: null });
    expect(ctx.engine.runningRunId('product')).toBeUndefined();
    expect(log.lines.some((l) => l.level === 'error' && l.msg === 'run failed')).toBe(true);

    flow.failWith(null);
    expect((await ctx.engine.start('product', { trigger: 'manual' }).done).status).toBe('succeeded');
  });

  it('a flow that throws a non-Error is failed with its text', async () => {
    const flow = new FakeFlow('product');
    flow.run = async () => {
      throw 'plain string';
    };
    ctx = createTestContext({ file: tmp.path(), flows: { product: flow } });
    expect(await ctx.engine.start('product', { trigger: 'manual' }).done).toMatchObject({ status: 'failed', error: 'plain string' });
  });

  it('a run with nothing to do succeeds with zero counts', async () => {
    ctx = createTestContext({ file: tmp.path(), flows: { refund: new FakeFlow('refund') } });
    expect(await ctx.engine.start('refund', { trigger: 'manual' }).done).toMatchObject({ status: 'succeeded', counts: { seen: 0, synced: 0, failed: 0, unchanged: 0 } });
  });
});

describe('availability and overlap in one process', () => {
  it('refuses a flow without an implementation', () => {
    ctx = createTestContext({ file: tmp.path(), flows: { inventory: new FakeFlow('inventory') } });
    expect(ctx.engine.isAvailable('inventory')).toBe(true);
    expect(ctx.engine.isAvailable('order')).toBe(false);
    expect(() => ctx.engine.start('order', { trigger: 'manual' })).toThrow(FlowUnavailableError);
    expect(ctx.store.runs.latest('order')).toBeUndefined();
  });

  it('refuses a flow whose row is missing from the database', () => {
    ctx = createTestContext({ file: tmp.path(), flows: { inventory: new FakeFlow('inventory') } });
    ctx.store.db.prepare("DELETE FROM flows WHERE id = 'inventory'").run();
    expect(() => ctx.engine.start('inventory', { trigger: 'manual' })).toThrow(FlowUnavailableError);
    expect(ctx.store.runs.latest('inventory')).toBeUndefined();
  });

  it('the same flow cannot run twice at once (FlowBusyError), other flows can', async () => {
    const inv = new FakeFlow('inventory', entities(['synced'])).hold();
    const ord = new FakeFlow('order', entities(['synced']));
    ctx = createTestContext({ file: tmp.path(), flows: { inventory: inv, order: ord } });
    const first = ctx.engine.start('inventory', { trigger: 'manual' });
    let busy: unknown;
    try {
      ctx.engine.start('inventory', { trigger: 'schedule' });
    } catch (err) {
      busy = err;
    }
    expect(busy).toBeInstanceOf(FlowBusyError);
    expect(busy).toMatchObject({ type: 'inventory', runId: first.runId });
    expect((busy as Error).message).toContain(`run ${first.runId}`);
    expect((await ctx.engine.start('order', { trigger: 'manual' }).done).status).toBe('succeeded');
    inv.release();
    await first.done;
    expect(inv.maxInFlight).toBe(1);
    expect(ctx.store.db.prepare("SELECT COUNT(*) FROM runs WHERE flow_id = 'inventory'").pluck().get()).toBe(1);
  });
});

describe('request(): one queued follow-up', () => {
  it('starts at once when idle', async () => {
    const flow = new FakeFlow('inventory');
    ctx = createTestContext({ file: tmp.path(), flows: { inventory: flow } });
    const r = ctx.engine.request('inventory', { trigger: 'retry', scope: ['E1'] });
    expect(r).toEqual({ runId: expect.any(Number), queued: false });
    await waitIdle(flow, 1);
  });

  it('queues exactly one follow-up while running and merges scopes', async () => {
    const flow = new FakeFlow('inventory', entities(['failed', 'failed', 'failed', 'failed'])).hold();
    ctx = createTestContext({ file: tmp.path(), flows: { inventory: flow } });
    const first = ctx.engine.start('inventory', { trigger: 'schedule' });
    expect(ctx.engine.request('inventory', { trigger: 'retry', scope: ['E1', 'E2'] })).toEqual({ runId: null, queued: true });
    expect(ctx.engine.request('inventory', { trigger: 'retry', scope: ['E2', 'E3'] })).toEqual({ runId: null, queued: true });
    flow.release();
    await first.done;
    await waitIdle(flow, 2);
    expect(flow.runs).toHaveLength(2);
    expect(flow.runs[1]).toMatchObject({ trigger: 'retry', handled: ['E1', 'E2', 'E3'] });
    expect([...(flow.runs[1]!.scope ?? [])].sort()).toEqual(['E1', 'E2', 'E3']);
    expect(flow.maxInFlight).toBe(1);
    const runs = ctx.store.db.prepare("SELECT trigger, status FROM runs WHERE flow_id = 'inventory' ORDER BY id").all();
    expect(runs).toEqual([
      { trigger: 'schedule', status: 'partial' },
      { trigger: 'retry', status: 'partial' },
    ]);
  });

  it('an unscoped request wins over scoped ones, in either order', async () => {
    const flow = new FakeFlow('order', entities(['synced', 'synced', 'synced'])).hold();
    ctx = createTestContext({ file: tmp.path(), flows: { order: flow } });
    let run = ctx.engine.start('order', { trigger: 'schedule' });
    ctx.engine.request('order', { trigger: 'retry', scope: ['E1'] });
    ctx.engine.request('order', { trigger: 'manual' });
    ctx.engine.request('order', { trigger: 'retry', scope: ['E2'] });
    flow.release();
    await run.done;
    await waitIdle(flow, 2);
    expect(flow.runs[1]).toMatchObject({ scope: undefined, handled: ['E1', 'E2', 'E3'] });

    flow.hold();
    run = ctx.engine.start('order', { trigger: 'schedule' });
    ctx.engine.request('order', { trigger: 'manual' });
    ctx.engine.request('order', { trigger: 'retry', scope: ['E3'] });
    flow.release();
    await run.done;
    await waitIdle(flow, 4);
    expect(flow.runs[3]!.scope).toBeUndefined();
  });

  it('a follow-up still runs after a failed run', async () => {
    const flow = new FakeFlow('order', entities(['synced'])).hold();
    const runOnce = flow.run.bind(flow);
    let calls = 0;
    flow.run = async (c) => {
      await runOnce(c);
      if (calls++ === 0) throw new Error('boom');
    };
    ctx = createTestContext({ file: tmp.path(), flows: { order: flow } });
    const first = ctx.engine.start('order', { trigger: 'schedule' });
    expect(ctx.engine.request('order', { trigger: 'retry', scope: ['E1'] }).queued).toBe(true);
    flow.release();
    expect(await first.done).toMatchObject({ status: 'failed', error: 'boom' });
    await waitIdle(flow, 2);
    expect(ctx.store.runs.latest('order')).toMatchObject({ trigger: 'retry', status: 'succeeded' });
  });
});

describe('stop()', () => {
  it('aborts the signal, waits for the run, marks it aborted and releases the lock', async () => {
    const flow = new FakeFlow('inventory', entities(['synced'])).hold();
    ctx = createTestContext({ file: tmp.path(), flows: { inventory: flow } });
    const started = flow.nextStart();
    const { runId, done } = ctx.engine.start('inventory', { trigger: 'manual' });
    const fctx = await started;
    ctx.engine.request('inventory', { trigger: 'retry' }); // must not start after stop
    let finished = false;
    void done.then(() => (finished = true));
    await ctx.engine.stop(5000);
    expect(fctx.signal.aborted).toBe(true);
    expect(finished).toBe(true);
    expect(flow.runs[0]!.abortedAt).toBe('while-held');
    expect(ctx.store.runs.get(runId)).toMatchObject({ status: 'aborted', error: expect.stringMatching(/shutdown/) });
    expect(ctx.store.flows.get('inventory')?.lockOwner).toBeNull();
    expect(flow.runs).toHaveLength(1);
    expect(() => ctx.engine.start('inventory', { trigger: 'manual' })).toThrow(FlowUnavailableError);
    expect(() => ctx.engine.request('inventory', { trigger: 'manual' })).toThrow(FlowUnavailableError);
  });

  it('gives up waiting after the timeout when a flow ignores the signal', async () => {
    const gate = { release: () => {} };
    const flow = new FakeFlow('inventory');
    flow.run = () => new Promise<void>((resolve) => (gate.release = resolve));
    ctx = createTestContext({ file: tmp.path(), flows: { inventory: flow } });
    const { done } = ctx.engine.start('inventory', { trigger: 'manual' });
    const t0 = Date.now();
    await ctx.engine.stop(50);
    expect(Date.now() - t0).toBeLessThan(1000);
    gate.release();
    expect((await done).status).toBe('aborted');
  });

  it('with nothing running returns at once', async () => {
    ctx = createTestContext({ file: tmp.path(), flows: {} });
    const engine = new Engine({ store: ctx.store, flows: {} });
    const t0 = Date.now();
    await engine.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

async function waitIdle(flow: FakeFlow, runs: number): Promise<void> {
  const until = Date.now() + 3000;
  while (flow.runs.length < runs || flow.inFlight > 0 || ctx.engine.runningRunId(flow.type) !== undefined) {
    if (Date.now() > until) throw new Error(`expected ${runs} finished runs, have ${flow.runs.length}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
