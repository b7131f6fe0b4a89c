/**
 * Bad input never crashes the API and never changes the database: 10,000 random and mutated
 * bodies and query strings at every route (FUZZ_REQUESTS=n for more). A rejected request must be
 * a 4xx with a clear message, and SQLite's total_changes() must not move while it is handled.
 */
import { signWebhookBody } from '../../src/woocommerce/webhook-signature';
import { seededRandom, type Random } from '../../src/simulators/shared/random';
import { TEST_TOKEN, auth, createApiHarness, type ApiHarness } from '../helpers/context';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-fuzz-');
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const WC_SECRET = 'fuzz-wc-webhook-secret-0123';
const BP_SECRET = 'fuzz-bp-webhook-secret-0123';

interface Target {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  path: () => string;
  query?: Record<string, string>;
  body?: unknown;
  webhook?: 'woocommerce' | 'brightpearl';
}

const TYPES = ['inventory', 'product', 'order', 'refund', 'shipment'];

function pick<T>(r: Random, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

const WEIRD_STRINGS = ['', ' ', 'null', 'undefined', '-1', '0', '1e309', 'NaN', '../../etc/passwd', '%00', '<script>alert(1)</script>', "'; DROP TABLE sync_items; --", 'ü漢字🙂', 'a'.repeat(5000), '2026-02-30', '2026-13-01T00:00:00Z', '*/5 * * * * *', '{"$gt":""}', '\u0000', 'true', '[]'];

function randomValue(r: Random, depth = 0): unknown {
  const kind = Math.floor(r() * (depth > 2 ? 6 : 8));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return pick(r, [0, -1, 1, 2 ** 53, -(2 ** 31), 1.5, 1e308, Number.MAX_SAFE_INTEGER]);
    case 3:
    case 4:
      return pick(r, WEIRD_STRINGS);
    case 5:
      return Math.floor(r() * 1000);
    case 6:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(r() * 4); i > 0; i--) out[pick(r, ['ids', 'type', 'status', 'enabled', 'schedule', 'entityIds', 'since', 'olderThanDays', 'id', 'x', '__proto__', 'constructor'])] = randomValue(r, depth + 1);
      return out;
    }
  }
}

/** A valid-looking body with one or two things broken. */
function mutate(r: Random, body: unknown): unknown {
  if (body === undefined || r() < 0.15) return randomValue(r);
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  const keys = Object.keys(copy);
  const op = Math.floor(r() * 4);
  if (op === 0 && keys.length) delete copy[pick(r, keys)];
  else if (op === 1 && keys.length) copy[pick(r, keys)] = randomValue(r);
  else if (op === 2) copy[pick(r, ['extra', 'Type', 'IDS', 'enabled '])] = randomValue(r);
  else if (keys.length) copy[pick(r, keys)] = pick(r, WEIRD_STRINGS);
  return copy;
}

function mutateQuery(r: Random, query: Record<string, string>): string {
  const q = new URLSearchParams(query);
  const op = Math.floor(r() * 5);
  const keys = [...q.keys()];
  if (op === 0 && keys.length) q.delete(pick(r, keys));
  else if (op === 1 && keys.length) q.set(pick(r, keys), pick(r, WEIRD_STRINGS));
  else if (op === 2) q.append(pick(r, ['limit', 'type', 'cursor', 'from', 'to', 'search', 'status', 'zzz', 'hours']), pick(r, WEIRD_STRINGS));
  else if (op === 3 && keys.length) q.append(pick(r, keys), pick(r, WEIRD_STRINGS)); // repeated parameter
  const text = q.toString();
  return op === 4 ? `${text}&%zz=%E0%A4%A` : text; // broken percent-encoding
}

describe('fuzzing every route', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    // No runnable flows: every write is synchronous inside its request, so a change can be pinned on it.
    h = await createApiHarness({ file: tmp.path(), flows: {} });
    h.ctx.webhooks = { woocommerceSecret: WC_SECRET, brightpearlSecret: BP_SECRET, brightpearlAccount: 'demo' };
    h.ctx.store.items.seen('inventory', [{ entityId: '1001', info: 'Blue Mug' }]);
    h.ctx.store.items.record('inventory', null, [{ entityId: '1001', status: 'failed', message: 'No WooCommerce product has SKU X' }]);
  });
  afterAll(async () => h.close());

  it(`answers ${REQUESTS} random and mutated requests without a 5xx, and rejected ones change nothing`, async () => {
    const r = seededRandom(20261203);
    const targets: Target[] = [
      { method: 'GET', path: () => '/api/v1/flows' },
      { method: 'GET', path: () => `/api/v1/flows/${pick(r, [...TYPES, 'nope', '%2e%2e', '1'])}` },
      { method: 'PATCH', path: () => `/api/v1/flows/${pick(r, [...TYPES, 'x'])}`, body: { enabled: true, schedule: '*/5 * * * *' } },
      { method: 'POST', path: () => `/api/v1/flows/${pick(r, TYPES)}/runs`, body: { entityIds: ['1001'], since: '2026-01-01' } },
      { method: 'GET', path: () => `/api/v1/runs/${pick(r, ['1', '0', '-5', 'abc', '99999999999999999999'])}` },
      { method: 'GET', path: () => '/api/v1/logs', query: { type: 'inventory', status: 'failed', limit: '20', search: 'Mug', from: '2026-01-01', to: '2026-12-31' } },
      { method: 'GET', path: () => `/api/v1/logs/${pick(r, ['1', '2', '0', 'x', '1e3'])}` },
      { method: 'POST', path: () => '/api/v1/logs/retry', body: { ids: [1] } },
      { method: 'GET', path: () => '/api/v1/logs/export.csv', query: { type: 'inventory', status: 'failed' } },
      { method: 'POST', path: () => '/api/v1/logs/prune', body: { olderThanDays: 30 } },
      { method: 'GET', path: () => '/api/v1/stats/hourly', query: { type: 'inventory', hours: '24' } },
      { method: 'GET', path: () => '/api/v1/settings/mappings' },
      { method: 'PUT', path: () => '/api/v1/settings/mappings', body: { exportOrderStatuses: ['processing'], orderStatusMap: { toBrightpearl: {}, toWooCommerce: { '20': 'completed' } } } },
      { method: 'POST', path: () => `/api/v1/connections/${pick(r, ['brightpearl', 'woocommerce', 'x'])}/test` },
      { method: 'POST', path: () => '/webhooks/woocommerce', body: { id: 12, status: 'processing' }, webhook: 'woocommerce' },
      { method: 'POST', path: () => '/webhooks/brightpearl', query: { token: BP_SECRET }, body: { accountCode: 'demo', resourceType: 'product', id: '1001', lifecycleEvent: 'modified', fullEvent: 'product.modified', raisedOn: '2026-01-01T00:00:00Z' }, webhook: 'brightpearl' },
    ];
    const changes = () => h.ctx.store.db.prepare('SELECT total_changes()').pluck().get() as number;
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS; i++) {
      const t = pick(r, targets);
      const body = t.body !== undefined || r() < 0.3 ? mutate(r, t.body) : undefined;
      let payload: string | undefined = body === undefined ? undefined : JSON.stringify(body);
      if (payload !== undefined && r() < 0.05) payload = payload.slice(0, Math.floor(payload.length / 2)); // truncated JSON
      const query = t.query ? mutateQuery(r, t.query) : r() < 0.1 ? `junk=${encodeURIComponent(pick(r, WEIRD_STRINGS))}` : '';
      const headers: Record<string, string> = t.webhook ? {} : r() < 0.97 ? auth() : { authorization: pick(r, ['', 'Bearer', `Bearer ${TEST_TOKEN}x`, `Basic ${TEST_TOKEN}`, `bearer ${TEST_TOKEN.slice(1)}`]) };
      if (payload !== undefined) headers['content-type'] = r() < 0.95 ? 'application/json' : pick(r, ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']);
      if (t.webhook === 'woocommerce' && payload !== undefined && r() < 0.5) {
        headers['x-wc-webhook-signature'] = r() < 0.8 ? signWebhookBody(payload, WC_SECRET) : 'AAAA';
        headers['x-wc-webhook-topic'] = pick(r, ['order.updated', 'order.created', 'product.updated', '', 'bad topic', 'order']);
        headers['x-wc-webhook-delivery-id'] = String(i);
      }
      const before = changes();
      const res = await h.request({ method: t.method, url: `${t.path()}${query ? `?${query}` : ''}`, payload, headers });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      const describe = () => `${t.method} ${t.path()}?${query} ${payload?.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
      if (res.statusCode >= 500) throw new Error(`server error: ${describe()}`);
      expect(res.body).not.toContain(TEST_TOKEN);
      if (res.statusCode >= 400) {
        const error = res.json().error as { code?: string; message?: string } | undefined;
        if (!error?.code || !error.message || error.message.length < 8) throw new Error(`unclear error: ${describe()}`);
        if (changes() !== before) throw new Error(`a rejected request changed the database: ${describe()}`);
      }
    }
    if (process.env.FUZZ_VERBOSE) console.log(Object.fromEntries(statuses));
    // The mix really exercised both sides.
    expect([...statuses.keys()].some((s) => s >= 400 && s < 500)).toBe(true);
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
  }, 600_000);
});
