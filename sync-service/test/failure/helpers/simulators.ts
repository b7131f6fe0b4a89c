/**
 * Both simulators for the failure suite, in the test process (they hold the truth the invariants
 * are checked against), with credentials that are easy to search for in logs and responses.
 */
import { createBrightpearlSimulator, type BrightpearlSimulator, type BrightpearlSimulatorOptions } from '../../../src/simulators/brightpearl/app';
import { buildCatalog, type Catalog, type CatalogOptions } from '../../../src/simulators/catalog';
import { createWooCommerceSimulator, type WooCommerceSimulator, type WooCommerceSimulatorOptions } from '../../../src/simulators/woocommerce/app';

/** Every secret the service is given. None may appear in a log line, an API response or a CSV export. */
export const SECRETS = {
  token: 'failure-suite-api-token-5b1d0c7e9a',
  bpAccountToken: 'failure-suite-bp-account-token-77f3',
  consumerKey: 'ck_f5a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3',
  consumerSecret: 'cs_0a9b8c7d6e5f40312a3b4c5d6e7f8091a2b3c4d5',
  wcWebhookSecret: 'failure-suite-wc-webhook-secret-31c9',
  bpWebhookSecret: 'failure-suite-bp-webhook-secret-8e2a',
} as const;

export const BP_ACCOUNT = 'demo';
export const BP_APP_REF = 'demo_bpwc';

export interface Simulators {
  catalog: Catalog;
  bp: BrightpearlSimulator;
  wc: WooCommerceSimulator;
  bpUrl: string;
  wcUrl: string;
  close(): Promise<void>;
}

export interface SimulatorsOptions {
  catalog?: CatalogOptions;
  brightpearl?: Partial<BrightpearlSimulatorOptions>;
  woocommerce?: Partial<WooCommerceSimulatorOptions>;
}

export async function startSimulators(options: SimulatorsOptions = {}): Promise<Simulators> {
  const catalog = buildCatalog({ seed: 11, simpleCount: 40, variableCount: 4, ...options.catalog });
  const bp = await createBrightpearlSimulator({
    catalog,
    accountCode: BP_ACCOUNT,
    appRef: BP_APP_REF,
    accountToken: SECRETS.bpAccountToken,
    seedOrders: false,
    orderActivity: false,
    ...options.brightpearl,
  });
  const wc = await createWooCommerceSimulator({
    catalog,
    consumerKey: SECRETS.consumerKey,
    consumerSecret: SECRETS.consumerSecret,
    seedOrders: 0,
    ...options.woocommerce,
  });
  const bpUrl = await bp.listen(0, '127.0.0.1');
  const wcUrl = await wc.listen(0, '127.0.0.1');
  return {
    catalog,
    bp,
    wc,
    bpUrl,
    wcUrl,
    close: async () => {
      await Promise.all([bp.close(), wc.close()]);
    },
  };
}

/** The service's configuration as environment variables (what `bpwc serve` reads). */
export function serviceEnv(
  sims: Pick<Simulators, 'bpUrl' | 'wcUrl'>,
  extra: { port: number; db: string; integrationInstanceId?: number; logLevel?: string; timeoutMs?: number },
): Record<string, string> {
  const env: Record<string, string> = {
    BPWC_HOST: '127.0.0.1',
    BPWC_PORT: String(extra.port),
    BPWC_TOKEN: SECRETS.token,
    BPWC_DB: extra.db,
    BPWC_LOG_LEVEL: extra.logLevel ?? 'warn',
    BPWC_BRIGHTPEARL_URL: sims.bpUrl,
    BPWC_BRIGHTPEARL_ACCOUNT: BP_ACCOUNT,
    BPWC_BRIGHTPEARL_APP_REF: BP_APP_REF,
    BPWC_BRIGHTPEARL_ACCOUNT_TOKEN: SECRETS.bpAccountToken,
    BPWC_BRIGHTPEARL_WEBHOOK_SECRET: SECRETS.bpWebhookSecret,
    BPWC_WC_URL: sims.wcUrl,
    BPWC_WC_CONSUMER_KEY: SECRETS.consumerKey,
    BPWC_WC_CONSUMER_SECRET: SECRETS.consumerSecret,
    BPWC_WC_WEBHOOK_SECRET: SECRETS.wcWebhookSecret,
  };
  if (extra.integrationInstanceId !== undefined) env.BPWC_BRIGHTPEARL_INSTANCE_ID = String(extra.integrationInstanceId);
  // Only the test decides when a flow runs: schedules that never fire during a test.
  for (const flow of ['INVENTORY', 'PRODUCT', 'ORDER', 'REFUND', 'SHIPMENT']) env[`BPWC_FLOW_${flow}_SCHEDULE`] = '0 0 1 1 *';
  return env;
}

/** The same configuration in the shape `loadConfig({ env })` takes, for an in-process service. */
export function serviceConfigEnv(sims: Pick<Simulators, 'bpUrl' | 'wcUrl'>, db: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...serviceEnv(sims, { port: 0, db }), ...extra };
}
