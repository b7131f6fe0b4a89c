/**
 * Webhooks end to end: registration against both simulators (idempotent), then a real stock
 * change in the Brightpearl simulator reaching the service and running inventory for that product.
 */
import { join } from 'node:path';
import { clearSharedBudgets } from '../src/brightpearl/budget';
import { loadConfig } from '../src/config/load';
import { createLogger } from '../src/logger';
import { buildClients, createService, type Service } from '../src/service';
import { createBrightpearlSimulator, type BrightpearlSimulator } from '../src/simulators/brightpearl/app';
import { buildCatalog } from '../src/simulators/catalog';
import { createWooCommerceSimulator, type WooCommerceSimulator } from '../src/simulators/woocommerce/app';
import { registerWebhooks } from '../src/webhooks/register';
import { useTempDir } from './helpers/tmp';
import { Writable } from 'node:stream';

const tmp = useTempDir('bpwc-webhooks-e2e-');
const TOKEN = 'webhook-e2e-token-0123456789abcdef';
const KEY = 'ck_3333333333333333333333333333333333333333';
const SECRET = 'cs_4444444444444444444444444444444444444444';

describe('webhooks end to end', () => {
  let bp: BrightpearlSimulator;
  let wc: WooCommerceSimulator;
  let service: Service;
  let url: string;

  beforeAll(async () => {
    const catalog = buildCatalog({ seed: 5, simpleCount: 20, variableCount: 2 });
    bp = await createBrightpearlSimulator({ catalog, accountToken: 'bp-account-token-e2e', seedOrders: false, webhookDelayMs: 5 });
    wc = await createWooCommerceSimulator({ catalog, consumerKey: KEY, consumerSecret: SECRET, seedOrders: 0, webhookDelayMs: 5 });
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
        BPWC_BRIGHTPEARL_ACCOUNT_TOKEN: 'bp-account-token-e2e',
        BPWC_BRIGHTPEARL_WEBHOOK_SECRET: 'bp-webhook-secret-0123456789',
        BPWC_WC_URL: wcUrl,
        BPWC_WC_CONSUMER_KEY: KEY,
        BPWC_WC_CONSUMER_SECRET: SECRET,
        BPWC_WC_WEBHOOK_SECRET: 'wc-webhook-secret-0123456789',
        // Only the webhook may start runs here.
        ...Object.fromEntries(['INVENTORY', 'PRODUCT', 'ORDER', 'REFUND', 'SHIPMENT'].map((t) => [`BPWC_FLOW_${t}_SCHEDULE`, '0 0 1 1 *'])),
      },
    });
    const quiet = new Writable({ write: (_c, _e, done) => done() });
    service = await createService({ config, log: createLogger(config, quiet), token: TOKEN });
    url = await service.start();
  });

  afterAll(async () => {
    await service.close();
    await Promise.all([bp.close(), wc.close()]);
    clearSharedBudgets();
  });

  it('registers the webhooks once, and keeps them on a second call', async () => {
    const clients = buildClients(service.config, createLogger({ logLevel: 'silent' }));
    if (!clients) throw new Error('clients not configured');
    const options = { ...clients, publicUrl: url, woocommerceSecret: 'wc-webhook-secret-0123456789', brightpearlSecret: 'bp-webhook-secret-0123456789' };
    const first = await registerWebhooks(options);
    expect(first.created).toHaveLength(6);
    const second = await registerWebhooks(options);
    expect(second.created).toHaveLength(0);
    expect(second.kept).toHaveLength(6);
    expect((await clients.woocommerce.listWebhooks()).filter((w) => w.delivery_url === `${url}/webhooks/woocommerce`)).toHaveLength(2);
  });

  it('a stock change in Brightpearl arrives as a webhook and syncs that product alone', async () => {
    const product = [...bp.state.products.values()].find((p) => p.stockTracked && (bp.state.stock.get(p.id)?.size ?? 0) > 0);
    if (!product) throw new Error('no stock-tracked product');
    bp.setStock(product.id, 2, { inStock: 321, allocated: 21 });
    const webhookRun = () => {
      const id = service.store.db.prepare("SELECT MAX(id) FROM runs WHERE flow_id = 'inventory' AND trigger = 'webhook'").pluck().get() as number | null;
      return id ? service.store.runs.get(id) : undefined;
    };
    let run;
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = webhookRun();
      if (run && run.status !== 'running') break;
    }
    expect(service.store.items.getByEntity('inventory', String(product.id))?.status).toBe('synced');
    expect(run?.trigger).toBe('webhook');
    expect(run?.counts.seen).toBe(1);
    expect(service.store.webhooks.count('brightpearl')).toBeGreaterThan(0);
  });
});
