import { TEST_TOKEN, auth, createApiHarness, dumpItems, type ApiHarness } from '../helpers/context';
import { FakeFlow } from '../helpers/fake-flow';
import type { HttpRequest } from '../helpers/http';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-api-auth-');
let h: ApiHarness;
let flow: FakeFlow;

beforeAll(async () => {
  flow = new FakeFlow('inventory', [{ entityId: 'E1', outcome: 'failed', message: 'nope' }]);
  h = await createApiHarness({ file: tmp.path(), flows: { inventory: flow } });
  await h.ctx.engine.start('inventory', { trigger: 'manual' }).done;
});
afterAll(async () => h?.close());

const ROUTES: HttpRequest[] = [
  { method: 'GET', url: '/api/v1/flows' },
  { method: 'GET', url: '/api/v1/flows/inventory' },
  { method: 'PATCH', url: '/api/v1/flows/inventory', payload: { enabled: false } },
  { method: 'POST', url: '/api/v1/flows/inventory/runs' },
  { method: 'GET', url: '/api/v1/runs/1' },
  { method: 'GET', url: '/api/v1/logs?type=inventory' },
  { method: 'GET', url: '/api/v1/logs/1' },
  { method: 'POST', url: '/api/v1/logs/retry', payload: { ids: [1] } },
  { method: 'GET', url: '/api/v1/logs/export.csv?type=inventory' },
  { method: 'POST', url: '/api/v1/logs/prune', payload: { olderThanDays: 1 } },
  { method: 'GET', url: '/api/v1/stats/hourly?type=inventory' },
  { method: 'GET', url: '/api/v1/settings/mappings' },
  { method: 'PUT', url: '/api/v1/settings/mappings', payload: {} },
  { method: 'GET', url: '/api/v1/settings/reference' },
  { method: 'POST', url: '/api/v1/connections/brightpearl/test' },
];

/** Every registered /api/v1 route as "METHOD /path", read from Fastify's route tree. */
function registeredApiRoutes(tree: string): string[] {
  const out: string[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    const depth = (m[1] as string).length / 4;
    while (stack.length && (stack[stack.length - 1] as { depth: number }).depth >= depth) stack.pop();
    const path = (stack.length ? (stack[stack.length - 1] as { path: string }).path : '') + (m[2] as string);
    stack.push({ depth, path });
    if (!m[3] || !path.startsWith('/api/v1')) continue;
    for (const method of m[3].split(', ')) if (method !== 'HEAD') out.push(`${method} ${path}`);
  }
  return out.sort();
}

const BAD_AUTH: [string, Record<string, string>][] = [
  ['no header', {}],
  ['an empty header', { authorization: '' }],
  ['a wrong token of the same length', { authorization: `Bearer ${'x'.repeat(TEST_TOKEN.length)}` }],
  ['a shorter token', { authorization: `Bearer ${TEST_TOKEN.slice(0, -1)}` }],
  ['a longer token', { authorization: `Bearer ${TEST_TOKEN}x` }],
  ['a non-Bearer scheme', { authorization: `Basic ${TEST_TOKEN}` }],
  ['the token without a scheme', { authorization: TEST_TOKEN }],
  ['Bearer without a token', { authorization: 'Bearer ' }],
  ['the token in another header', { 'x-api-token': TEST_TOKEN }],
];

describe('GET /health', () => {
  it('is open and reports the database', async () => {
    const res = await h.request({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', version: '0.0.0-test', uptimeSeconds: expect.any(Number), database: 'ok' });
  });
});

describe('bearer auth on /api/v1', () => {
  it('the list below covers every /api/v1 route the app registers', () => {
    const listed = ROUTES.map((r) => `${r.method} ${r.url.split('?')[0]}`);
    const registered = registeredApiRoutes(h.app.printRoutes({ commonPrefix: false }));
    expect(registered.length).toBeGreaterThan(10);
    for (const route of registered) {
      const pattern = new RegExp(`^${route.replace(/:[a-z]+/gi, '[^/]+')}$`);
      expect({ route, covered: listed.some((l) => pattern.test(l)) }).toEqual({ route, covered: true });
    }
  });

  it.each(BAD_AUTH)('every route answers 401 with %s, and nothing changes', async (_label, headers) => {
    const before = { ...dumpItems(h.ctx.store), flows: h.ctx.store.flows.list() };
    for (const route of ROUTES) {
      const res = await h.request({ ...route, headers: { ...(route.headers ?? {}), ...headers } });
      expect({ route: `${route.method} ${route.url}`, status: res.statusCode }).toEqual({ route: `${route.method} ${route.url}`, status: 401 });
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      expect(res.body).not.toContain(TEST_TOKEN);
    }
    expect({ ...dumpItems(h.ctx.store), flows: h.ctx.store.flows.list() }).toEqual(before);
    expect(h.ctx.engine.runningRunId('inventory')).toBeUndefined();
  });

  it('accepts the token with any case of the scheme and surrounding spaces', async () => {
    for (const authorization of [`Bearer ${TEST_TOKEN}`, `bearer ${TEST_TOKEN}`, `BEARER   ${TEST_TOKEN}  `]) {
      expect((await h.request({ method: 'GET', url: '/api/v1/flows', headers: { authorization } })).statusCode).toBe(200);
    }
  });

  it('never echoes the token in an error', async () => {
    const requests: HttpRequest[] = [
      { method: 'GET', url: `/api/v1/logs?type=${TEST_TOKEN}` },
      { method: 'GET', url: `/api/v1/logs?type=inventory&search=${'x'.repeat(300)}&token=${TEST_TOKEN}` },
      { method: 'GET', url: `/api/v1/logs?type=inventory&cursor=${TEST_TOKEN}` },
      { method: 'GET', url: `/api/v1/flows/${TEST_TOKEN}` },
      { method: 'GET', url: `/api/v1/runs/${TEST_TOKEN}` },
      { method: 'PATCH', url: '/api/v1/flows/inventory', payload: { schedule: TEST_TOKEN } },
      { method: 'PATCH', url: '/api/v1/flows/inventory', payload: { enabled: TEST_TOKEN } },
      { method: 'POST', url: '/api/v1/logs/retry', payload: `{"ids": [${TEST_TOKEN}]`, headers: { 'content-type': 'application/json' } },
      { method: 'POST', url: '/api/v1/logs/retry', payload: TEST_TOKEN, headers: { 'content-type': 'text/plain' } },
    ];
    for (const r of requests) {
      const res = await h.request({ ...r, headers: { ...auth(), ...(r.headers ?? {}) } });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
      expect(res.body).not.toContain(TEST_TOKEN);
    }
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await h.request({ method: 'GET', url: '/api/v1/nothing-here?x=1', headers: auth() });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /api/v1/nothing-here' } });
  });
});

describe('over a real socket with fetch', () => {
  it('listens on 127.0.0.1, serves /health, guards /api/v1 and streams a CSV export', async () => {
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${h.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok' });

    const denied = await fetch(`${h.url}/api/v1/flows`, { headers: { authorization: 'Bearer nope' } });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });

    const flows = await fetch(`${h.url}/api/v1/flows`, { headers: auth() });
    expect(flows.status).toBe(200);
    expect(((await flows.json()) as { flows: { id: string }[] }).flows.map((f) => f.id)).toEqual(['inventory', 'product', 'order', 'refund', 'shipment']);

    const patched = await fetch(`${h.url}/api/v1/flows/refund`, { method: 'PATCH', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ enabled: false }) });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: 'refund', enabled: false, nextRunAt: null });

    const csv = await fetch(`${h.url}/api/v1/logs/export.csv?type=inventory`, { headers: auth() });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('id,type,info,entity_id,brightpearl_id,woocommerce_id,status,synced_at,updated_at,attempts,error');
    expect(text).toContain(',E1,');
  });
});

describe('when the database is gone', () => {
  it('/health is 503 degraded and API errors are a generic 500', async () => {
    const broken = await createApiHarness({ file: tmp.path(), flows: {} });
    try {
      broken.ctx.store.close();
      const health = await broken.request({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'degraded', database: 'unavailable' });
      const res = await broken.request({ method: 'GET', url: '/api/v1/flows', headers: auth() });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
      expect(res.body).not.toMatch(/database|sqlite|connection/i);
    } finally {
      await broken.app.close();
      broken.ctx.scheduler.stop();
      await broken.ctx.engine.stop();
    }
  });
});
