import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApi } from '../../src/api/app';
import { DEFAULT_MAPPINGS } from '../../src/settings/mappings';
import { Store } from '../../src/store';
import { TEST_TOKEN, auth, createApiHarness, dumpItems, type ApiHarness } from '../helpers/context';
import { FakeFlow } from '../helpers/fake-flow';
import { serve } from '../helpers/http';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-api-settings-');
let h: ApiHarness;
let inventory: FakeFlow;

beforeEach(async () => {
  inventory = new FakeFlow('inventory', [
    { entityId: '1', outcome: 'synced' },
    { entityId: '2', outcome: 'failed', message: 'no such SKU' },
  ]);
  h = await createApiHarness({ file: tmp.path(), flows: { inventory } });
});
afterEach(async () => h.close());

const get = (url: string) => h.request({ method: 'GET', url, headers: auth() });
const put = (url: string, payload: unknown) => h.request({ method: 'PUT', url, payload, headers: auth() });
const post = (url: string, payload?: unknown) => h.request({ method: 'POST', url, payload, headers: auth() });

describe('settings/mappings', () => {
  const valid = {
    ...DEFAULT_MAPPINGS,
    inventoryWarehouseIds: [2, 5],
    priceListId: 1,
    channelId: 3,
    exportOrderStatuses: ['processing', 'on-hold'],
    orderStatusMap: { toBrightpearl: { processing: 2 }, toWooCommerce: { '20': 'completed', '6': 'cancelled' } },
    paymentMethodMap: { stripe: 'WOO_STRIPE' },
    shippingMethodMap: { flat_rate: 4 },
  };

  it('starts from defaults and saves a valid document that survives a restart', async () => {
    expect((await get('/api/v1/settings/mappings')).json()).toEqual(DEFAULT_MAPPINGS);
    const res = await put('/api/v1/settings/mappings', valid);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(valid);
    const reopened = Store.open(h.ctx.store.db.name);
    try {
      expect(reopened.settings.mappings()).toEqual(valid);
    } finally {
      reopened.close();
    }
  });

  it.each([
    ['a refunded status target', { orderStatusMap: { toBrightpearl: {}, toWooCommerce: { '20': 'refunded' } } }, /^body\.orderStatusMap\.toWooCommerce\.20: cannot be "refunded"/],
    ['a warehouse id that is not a number', { inventoryWarehouseIds: ['two'] }, /^body\.inventoryWarehouseIds\.0: must be a Brightpearl id/],
    ['no export status', { exportOrderStatuses: [] }, /^body\.exportOrderStatuses: choose at least one status/],
    ['a bad nominal code', { nominalCodes: { sales: 'sales', shipping: '4040' } }, /^body\.nominalCodes\.sales: must be a nominal code/],
    ['an unknown field', { colour: 'blue' }, /^body: unknown field\(s\) colour/],
  ])('rejects %s with a 400 naming the field and saves nothing', async (_name, patch, message) => {
    await put('/api/v1/settings/mappings', valid);
    const res = await put('/api/v1/settings/mappings', { ...valid, ...patch });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
    expect(res.json().error.message).toMatch(message);
    expect((await get('/api/v1/settings/mappings')).json()).toEqual(valid);
  });
});

describe('settings/reference and connection tests', () => {
  it('says clearly when the remote systems are not configured', async () => {
    const res = await get('/api/v1/settings/reference');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('not_configured');
    const test = await post('/api/v1/connections/brightpearl/test');
    expect(test.json()).toMatchObject({ ok: false, message: expect.stringContaining('not configured') });
  });

  it('reports a working and a failing connection with latency', async () => {
    h.ctx.probes = {
      brightpearl: async () => 'Connected to Brightpearl account demo (3 warehouses).',
      woocommerce: async () => {
        throw new Error('WooCommerce rejected GET products: woocommerce_rest_authentication_error Consumer secret is invalid.');
      },
    };
    const ok = (await post('/api/v1/connections/brightpearl/test')).json();
    expect(ok).toMatchObject({ ok: true, message: expect.stringContaining('3 warehouses') });
    expect(typeof ok.latencyMs).toBe('number');
    const bad = (await post('/api/v1/connections/woocommerce/test')).json();
    expect(bad).toMatchObject({ ok: false, message: expect.stringContaining('Consumer secret is invalid') });
    const unknown = await post('/api/v1/connections/shopify/test');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/^params\.system: must be brightpearl or woocommerce/);
  });

  it('returns the reference data the admin page offers in dropdowns', async () => {
    const reference = {
      brightpearl: { warehouses: [{ id: 2, name: 'Leeds DC' }], priceLists: [], channels: [], orderStatuses: [], shippingMethods: [], paymentMethods: [], taxCodes: [] },
      woocommerce: { orderStatuses: [{ slug: 'processing', name: 'Processing' }], paymentGateways: [], shippingMethods: [] },
      errors: {},
    };
    h.ctx.referenceData = async () => reference;
    expect((await get('/api/v1/settings/reference')).json()).toEqual(reference);
  });
});

describe('stats, prune and resync', () => {
  const runNow = async (payload?: unknown) => {
    const res = await post('/api/v1/flows/inventory/runs', payload);
    expect(res.statusCode).toBe(202);
    for (;;) {
      const run = (await get(`/api/v1/runs/${res.json().runId}`)).json();
      if (run.status !== 'running') return run;
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('counts synced and failed items per hour for the chart', async () => {
    await runNow();
    const res = await get('/api/v1/stats/hourly?type=inventory&hours=24');
    expect(res.statusCode).toBe(200);
    const { buckets } = res.json();
    expect(buckets).toHaveLength(24);
    expect(buckets[23]).toMatchObject({ synced: 1, failed: 1 });
    expect(buckets.slice(0, 23).every((b: { synced: number; failed: number }) => b.synced === 0 && b.failed === 0)).toBe(true);
    expect(new Date(buckets[23].hour).getUTCMinutes()).toBe(0);
    expect((await get('/api/v1/stats/hourly?type=inventory&hours=0')).statusCode).toBe(400);
  });

  it('prunes attempt history older than N days and leaves newer rows', async () => {
    await runNow();
    const db = h.ctx.store.db;
    db.prepare("UPDATE sync_attempts SET at = '2020-01-01T00:00:00.000Z' WHERE id = (SELECT MIN(id) FROM sync_attempts)").run();
    const before = db.prepare('SELECT COUNT(*) FROM sync_attempts').pluck().get() as number;
    const res = await post('/api/v1/logs/prune', { olderThanDays: 30 });
    expect(res.statusCode).toBe(200);
    expect(res.json().deleted).toBe(1);
    expect(db.prepare('SELECT COUNT(*) FROM sync_attempts').pluck().get()).toBe(before - 1);
    const snapshot = dumpItems(h.ctx.store);
    for (const bad of [{ olderThanDays: 0 }, { olderThanDays: 'ten' }, {}, { olderThanDays: 5, extra: 1 }]) {
      expect((await post('/api/v1/logs/prune', bad)).statusCode).toBe(400);
    }
    expect(dumpItems(h.ctx.store)).toEqual(snapshot);
  });

  it('passes a resync date to the flow and validates it', async () => {
    const run = await runNow({ since: '2026-01-31' });
    expect(run.trigger).toBe('resync');
    expect(inventory.runs[inventory.runs.length - 1]?.since).toBe('2026-01-31T00:00:00.000Z');
    const bad = await post('/api/v1/flows/inventory/runs', { since: 'last week' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^body\.since: /);
  });
});

describe('demo preview of the admin page', () => {
  it('serves the built page with the demo config injected, and nothing outside the build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpwc-preview-'));
    writeFileSync(join(dir, 'preview.html'), '<script>window.bpwcPreviewConfig = __BPWC_PREVIEW_CONFIG__;</script><script src="preview.js"></script>');
    writeFileSync(join(dir, 'preview.js'), 'console.log(1)');
    const app = await buildApi({ context: h.ctx, token: TEST_TOKEN, preview: { dir, token: TEST_TOKEN } });
    const { request } = await serve(app);
    try {
      const page = await request({ url: '/preview/' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.body).toContain(`"previewToken":"${TEST_TOKEN}"`);
      expect(page.body).not.toContain('__BPWC_PREVIEW_CONFIG__');
      const js = await request({ url: '/preview/preview.js' });
      expect(js.headers['content-type']).toMatch(/javascript/);
      expect((await request({ url: '/preview/..%2Fpackage.json' })).statusCode).toBe(404);
      expect((await request({ url: '/preview/missing.js' })).statusCode).toBe(404);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
    // The real service API has no preview unless demo mode asks for it.
    expect((await h.request({ url: '/preview/' })).statusCode).toBe(404);
  });
});
