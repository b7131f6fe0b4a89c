/**
 * The composed service (what `bpwc serve` and `bpwc demo` run) against both simulators over real
 * HTTP: health, the five flows, an inventory run filling the log, reference data and connection tests.
 */
import { join } from 'node:path';
import { clearSharedBudgets } from '../src/brightpearl/budget';
import { loadConfig } from '../src/config/load';
import { createLogger } from '../src/logger';
import { createService, type Service } from '../src/service';
import { createBrightpearlSimulator, type BrightpearlSimulator } from '../src/simulators/brightpearl/app';
import { buildCatalog } from '../src/simulators/catalog';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../src/simulators/woocommerce/app';
import { useTempDir } from './helpers/tmp';
import { Writable } from 'node:stream';

const tmp = useTempDir('bpwc-service-');
const TOKEN = 'service-test-token-0123456789abcdef';
const KEY = 'ck_1111111111111111111111111111111111111111';
const SECRET = 'cs_2222222222222222222222222222222222222222';

describe('the composed service against the simulators', () => {
  let bp: BrightpearlSimulator;
  let wc: WooCommerceSimulator;
  let service: Service;
  let url: string;
  const logLines: string[] = [];

  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    const catalog = buildCatalog({ seed: 3, simpleCount: 40, variableCount: 4 });
    bp = await createBrightpearlSimulator({ catalog, accountToken: 'bp-account-token-xyz', seedOrders: false });
    wc = await createWooCommerceSimulator({ catalog, consumerKey: KEY, consumerSecret: SECRET, seedOrders: 0 });
    const bpUrl = await bp.listen();
    const wcUrl = await wc.listen();
    const config = loadConfig({
      env: {
        BPWC_PORT: '0',
        BPWC_TOKEN: TOKEN,
        BPWC_DB: join(tmp.dir(), 'service.sqlite'),
        BPWC_BRIGHTPEARL_URL: bpUrl,
        BPWC_BRIGHTPEARL_ACCOUNT: 'demo',
        BPWC_BRIGHTPEARL_APP_REF: 'demo_bpwc',
        BPWC_BRIGHTPEARL_ACCOUNT_TOKEN: 'bp-account-token-xyz',
        BPWC_WC_URL: wcUrl,
        BPWC_WC_CONSUMER_KEY: KEY,
        BPWC_WC_CONSUMER_SECRET: SECRET,
      },
    });
    const sink = new Writable({
      write(chunk, _e, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    service = await createService({ config, log: createLogger(config, sink), token: TOKEN });
    url = await service.start();
  });

  afterAll(async () => {
    await service.close();
    await Promise.all([bp.close(), wc.close()]);
    clearSharedBudgets();
  });

  it('serves health openly and the five flows behind the token', async () => {
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/api/v1/flows`)).status).toBe(401);
    const flows = (await api('/api/v1/flows')).body.flows;
    expect(flows.map((f: { id: string }) => f.id)).toEqual(['inventory', 'product', 'order', 'refund', 'shipment']);
  });

  it('runs inventory on request and fills the log with Synced rows and Failed rows with reasons', async () => {
    const started = await api('/api/v1/flows/inventory/runs', { method: 'POST' });
    expect(started.status).toBe(202);
    let run;
    do {
      await new Promise((r) => setTimeout(r, 50));
      run = (await api(`/api/v1/runs/${started.body.runId}`)).body;
    } while (run.status === 'running');
    expect(run.status).toBe('partial');
    const synced = (await api('/api/v1/logs?type=inventory&status=synced&limit=5')).body;
    expect(synced.total).toBeGreaterThan(30);
    expect(synced.items[0].info).toMatch(/\S/);
    const failed = (await api('/api/v1/logs?type=inventory&status=failed')).body;
    expect(failed.items.length).toBeGreaterThan(0);
    for (const item of failed.items) expect(item.error).toMatch(/SKU|stock figures/);
  });

  it('reads reference data from both systems for the mappings editor', async () => {
    const { status, body } = await api('/api/v1/settings/reference');
    expect(status).toBe(200);
    expect(body.errors).toEqual({});
    expect(body.brightpearl.warehouses.length).toBeGreaterThan(0);
    expect(body.brightpearl.orderStatuses.length).toBeGreaterThan(0);
    expect(body.brightpearl.channels.length).toBeGreaterThan(0);
    expect(body.brightpearl.priceLists.length).toBeGreaterThan(0);
    expect(body.woocommerce.paymentGateways.map((g: { id: string }) => g.id)).toContain('stripe');
    expect(body.woocommerce.shippingMethods.map((m: { id: string }) => m.id)).toContain('flat_rate');
  });

  it('tests both connections', async () => {
    const bpTest = (await api('/api/v1/connections/brightpearl/test', { method: 'POST' })).body;
    expect(bpTest).toMatchObject({ ok: true, message: expect.stringContaining('warehouses') });
    const wcTest = (await api('/api/v1/connections/woocommerce/test', { method: 'POST' })).body;
    expect(wcTest).toMatchObject({ ok: true, message: expect.stringContaining('products') });
  });

  it('never logs a secret', () => {
    const text = logLines.join('');
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [TOKEN, KEY, SECRET, 'bp-account-token-xyz']) expect(text).not.toContain(secret);
  });
});
