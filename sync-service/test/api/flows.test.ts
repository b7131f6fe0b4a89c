import { FLOW_DEFINITIONS, SYNC_TYPES } from '../../src/domain/constants';
import { Engine } from '../../src/engine/engine';
import { NEVER, TEST_TOKEN, auth, createApiHarness, type ApiHarness } from '../helpers/context';
import { FakeFlow } from '../helpers/fake-flow';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-api-flows-');
let h: ApiHarness;
let inventory: FakeFlow;
let order: FakeFlow;
let refund: FakeFlow;

beforeEach(async () => {
  inventory = new FakeFlow('inventory', [
    { entityId: 'SKU-1', outcome: 'synced' },
    { entityId: 'SKU-2', outcome: 'failed', message: 'no such SKU' },
  ]);
  order = new FakeFlow('order', [{ entityId: '1001', outcome: 'synced' }]);
  refund = new FakeFlow('refund');
  h = await createApiHarness({ file: tmp.path(), flows: { inventory, order, refund } });
});
afterEach(async () => h.close());

const get = (url: string) => h.request({ method: 'GET', url, headers: auth() });
const patch = (id: string, payload: unknown, headers: Record<string, string> = {}) => h.request({ method: 'PATCH', url: `/api/v1/flows/${id}`, payload, headers: { ...auth(), ...headers } });
const post = (url: string, payload?: unknown) => h.request({ method: 'POST', url, payload, headers: auth() });

/** Polls GET /runs/:id until the run is no longer running; returns it. */
async function waitForRun(runId: number): Promise<any> {
  const until = Date.now() + 3000;
  for (;;) {
    const res = await get(`/api/v1/runs/${runId}`);
    expect(res.statusCode).toBe(200);
    const run = res.json();
    if (run.status !== 'running') return run;
    if (Date.now() > until) throw new Error(`run ${runId} still running`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function expectError(res: { statusCode: number; json(): any; body: string }, status: number, code: string, mentions?: string | RegExp) {
  expect(res.statusCode).toBe(status);
  const body = res.json();
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
  if (mentions) expect(body.error.message).toMatch(mentions);
  expect(res.body).not.toContain(TEST_TOKEN);
}

describe('flow state', () => {
  it('is running with a fresh heartbeat, stalled when the heartbeat goes quiet or a scheduled run is overdue', async () => {
    inventory.hold();
    const started = await post('/api/v1/flows/inventory/runs');
    expect((await get('/api/v1/flows/inventory')).json().state).toBe('running');
    h.ctx.store.db.prepare("UPDATE flows SET heartbeat_at = '2020-01-01T00:00:00.000Z' WHERE id = 'inventory'").run();
    expect((await get('/api/v1/flows/inventory')).json().state).toBe('stalled');
    inventory.release();
    await waitForRun(started.json().runId);
    expect((await get('/api/v1/flows/inventory')).json().state).toBe('idle');

    // Every minute, but the last run started long ago and the scheduler has been up for longer.
    await patch('inventory', { schedule: '* * * * *' });
    h.ctx.store.db.prepare("UPDATE runs SET started_at = '2020-01-01T00:00:00.000Z' WHERE flow_id = 'inventory'").run();
    jest.spyOn(h.ctx.scheduler, 'since').mockReturnValue(Date.now() - 10 * 60_000);
    expect((await get('/api/v1/flows/inventory')).json().state).toBe('stalled');
    await patch('inventory', { enabled: false });
    expect((await get('/api/v1/flows/inventory')).json().state).toBe('disabled');
    expect((await get('/api/v1/flows/shipment')).json().state).toBe('unavailable');
  });
});

describe('GET /api/v1/flows', () => {
  it('lists the five flows in order with the documented fields', async () => {
    const res = await get('/api/v1/flows');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const { flows } = res.json();
    expect(flows.map((f: { id: string }) => f.id)).toEqual([...SYNC_TYPES]);
    for (const f of flows) {
      const def = FLOW_DEFINITIONS[f.id as keyof typeof FLOW_DEFINITIONS];
      expect(f).toEqual({
        id: def.type,
        name: def.name,
        direction: def.direction,
        available: ['inventory', 'order', 'refund'].includes(f.id),
        enabled: true,
        schedule: NEVER,
        state: f.available ? 'idle' : 'unavailable',
        running: null,
        heartbeatAt: null,
        lastRun: null,
        nextRunAt: f.available ? expect.any(String) : null,
        counts: { pending: 0, synced: 0, failed: 0 },
      });
      if (f.nextRunAt) {
        expect(new Date(f.nextRunAt).toISOString()).toBe(f.nextRunAt);
        expect(Date.parse(f.nextRunAt)).toBeGreaterThan(Date.now());
      }
    }
  });

  it('shows the last run and the counts after a run', async () => {
    const { runId } = (await post('/api/v1/flows/inventory/runs')).json();
    await waitForRun(runId);
    const flow = (await get('/api/v1/flows')).json().flows[0];
    expect(flow).toMatchObject({
      id: 'inventory',
      running: null,
      lastRun: { id: runId, trigger: 'manual', status: 'partial', startedAt: expect.any(String), finishedAt: expect.any(String), counts: { seen: 2, synced: 1, failed: 1, unchanged: 0 }, error: null },
      counts: { pending: 0, synced: 1, failed: 1 },
    });
    expect((await get('/api/v1/flows/inventory')).json()).toEqual(flow);
  });

  it('GET /flows/:id of an unknown flow is a 400 naming params.id', async () => {
    expectError(await get('/api/v1/flows/widgets'), 400, 'invalid_request', /^params\.id: /);
  });
});

describe('PATCH /api/v1/flows/:id', () => {
  it('changes enabled and schedule and the scheduler follows without a restart', async () => {
    expect(h.ctx.scheduler.nextRunAt('refund')).toBeInstanceOf(Date);

    let res = await patch('refund', { enabled: false });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'refund', enabled: false, schedule: NEVER, nextRunAt: null });
    expect(h.ctx.scheduler.nextRunAt('refund')).toBeNull();
    expect(h.ctx.store.flows.get('refund')?.enabled).toBe(false);

    res = await patch('refund', { enabled: true, schedule: ' 30 4 * * * ' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ enabled: true, schedule: '30 4 * * *' });
    const next = new Date(body.nextRunAt);
    expect([next.getHours(), next.getMinutes()]).toEqual([4, 30]);
    expect(h.ctx.scheduler.nextRunAt('refund')?.toISOString()).toBe(body.nextRunAt);

    res = await patch('refund', { schedule: NEVER });
    expect(res.json()).toMatchObject({ enabled: true, schedule: NEVER });
    expect(new Date(res.json().nextRunAt).getMonth()).toBe(0);
    expect((await get('/api/v1/flows/refund')).json()).toEqual(res.json());
  });

  it('can configure a flow without an implementation (never scheduled)', async () => {
    const res = await patch('shipment', { schedule: '*/10 * * * *' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'shipment', available: false, schedule: '*/10 * * * *', nextRunAt: null });
  });

  it.each([
    ['a bad cron expression', 'inventory', { schedule: 'every 5 minutes' }, /^body\.schedule: /],
    ['an out-of-range cron field', 'inventory', { schedule: '61 * * * *' }, /^body\.schedule: /],
    ['a per-second (six-field) schedule', 'inventory', { schedule: '* * * * * *' }, /^body\.schedule: is not a valid five-field cron/],
    ['an empty schedule', 'inventory', { schedule: '' }, /^body\.schedule: /],
    ['a non-boolean enabled', 'inventory', { enabled: 'yes' }, /^body\.enabled: /],
    ['an unknown field', 'inventory', { enabled: true, colour: 'blue' }, /^body: unknown field\(s\) colour/],
    ['an empty object', 'inventory', {}, /enabled and\/or schedule/],
    ['a JSON array', 'inventory', [], /^body: /],
    ['an unknown flow', 'widgets', { enabled: false }, /^params\.id: must be one of inventory, product, order, refund, shipment/],
  ])('rejects %s with a 400 and changes nothing', async (_label, id, payload, mentions) => {
    const before = h.ctx.store.flows.list();
    expectError(await patch(id, payload), 400, 'invalid_request', mentions);
    expect(h.ctx.store.flows.list()).toEqual(before);
    expect(h.ctx.scheduler.nextRunAt('inventory')).toBeInstanceOf(Date);
  });

  it('rejects no body, malformed JSON and other media types', async () => {
    const before = h.ctx.store.flows.list();
    expectError(await h.request({ method: 'PATCH', url: '/api/v1/flows/inventory', headers: auth() }), 400, 'invalid_request', /^body: /);
    expectError(await patch('inventory', '{"enabled": fal', { 'content-type': 'application/json' }), 400, 'invalid_json');
    // An empty JSON body is no body (clients send the header on bodiless requests): still a 400.
    expectError(await patch('inventory', '', { 'content-type': 'application/json' }), 400, 'invalid_request', /^body: /);
    expectError(await patch('inventory', 'enabled=false', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
    expect(h.ctx.store.flows.list()).toEqual(before);
  });
});

describe('runs', () => {
  it('POST /flows/:id/runs → 202 {runId} with a Location; GET /runs/:id until finished', async () => {
    const res = await post('/api/v1/flows/order/runs');
    expect(res.statusCode).toBe(202);
    const { runId } = res.json();
    expect(res.json()).toEqual({ runId: expect.any(Number) });
    expect(res.headers.location).toBe(`/api/v1/runs/${runId}`);
    const run = await waitForRun(runId);
    expect(run).toEqual({
      id: runId,
      flowId: 'order',
      trigger: 'manual',
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      status: 'succeeded',
      counts: { seen: 1, synced: 1, failed: 0, unchanged: 0 },
      error: null,
    });
  });

  it('a failed run shows its error', async () => {
    order.failWith(new Error('Brightpearl answered 503'));
    const { runId } = (await post('/api/v1/flows/order/runs')).json();
    expect(await waitForRun(runId)).toMatchObject({ status: 'failed', error: 'Brightpearl answered 503' });
  });

  it('accepts entityIds to limit the run', async () => {
    const res = await post('/api/v1/flows/inventory/runs', { entityIds: ['SKU-2'] });
    expect(res.statusCode).toBe(202);
    await waitForRun(res.json().runId);
    expect(inventory.runs[0]).toMatchObject({ scope: ['SKU-2'], handled: ['SKU-2'] });
  });

  it('409 flow_busy while the flow runs, in this process or another', async () => {
    inventory.hold();
    const first = await post('/api/v1/flows/inventory/runs');
    expect(first.statusCode).toBe(202);
    const runId = first.json().runId;
    expect((await get('/api/v1/runs/' + runId)).json().status).toBe('running');
    expect((await get('/api/v1/flows/inventory')).json().running).toBe(runId);
    expectError(await post('/api/v1/flows/inventory/runs'), 409, 'flow_busy', new RegExp(`run ${runId}`));
    inventory.release();
    await waitForRun(runId);

    // Another engine (another process) on the same database holds the lock.
    const other = new FakeFlow('order').hold();
    const otherEngine = new Engine({ store: h.ctx.store, flows: { order: other }, owner: 'other-host:1:x' });
    const otherRun = otherEngine.start('order', { trigger: 'schedule' });
    try {
      expectError(await post('/api/v1/flows/order/runs'), 409, 'flow_busy', new RegExp(`run ${otherRun.runId}`));
    } finally {
      other.release();
      await otherRun.done;
    }
    expect((await post('/api/v1/flows/order/runs')).statusCode).toBe(202);
  });

  it('409 flow_unavailable for a flow without an implementation; nothing recorded', async () => {
    expectError(await post('/api/v1/flows/product/runs'), 409, 'flow_unavailable');
    expect(h.ctx.store.runs.latest('product')).toBeUndefined();
  });

  it('validates the run request', async () => {
    expectError(await post('/api/v1/flows/widgets/runs'), 400, 'invalid_request', /^params\.id: /);
    expectError(await post('/api/v1/flows/inventory/runs', { entityIds: [] }), 400, 'invalid_request', /^body\.entityIds: /);
    expectError(await post('/api/v1/flows/inventory/runs', { scope: ['x'] }), 400, 'invalid_request', /unknown field\(s\) scope/);
    expect(h.ctx.store.runs.latest('inventory')).toBeUndefined();
  });

  it('GET /runs/:id: 404 for an unknown run, 400 for a bad id', async () => {
    expectError(await get('/api/v1/runs/999'), 404, 'not_found', /999/);
    expectError(await get('/api/v1/runs/abc'), 400, 'invalid_request', /^params\.id: /);
    expectError(await get('/api/v1/runs/0'), 400, 'invalid_request', /^params\.id: /);
    expectError(await get('/api/v1/runs/1.5'), 400, 'invalid_request', /^params\.id: /);
    expectError(await get('/api/v1/runs/99999999999999999999'), 400, 'invalid_request', /^params\.id: /);
  });
});
