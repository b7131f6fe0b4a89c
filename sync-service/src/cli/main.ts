/**
 * bpwc — the service's command line.
 *   bpwc serve        run against real Brightpearl and WooCommerce (configuration from env / BPWC_CONFIG)
 *   bpwc demo         run both simulators and the service wired to them (what `npm start` runs)
 *   bpwc simulators   run only the two simulators, printing their credentials
 *   bpwc config       validate the configuration and print it with secrets redacted
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError, loadConfig, redactConfig } from '../config/load';
import type { Config } from '../config/schema';
import { createLogger } from '../logger';
import { buildClients, createService, type Service } from '../service';
import { registerWebhooks } from '../webhooks/register';
import { DEMO_MAPPINGS } from '../simulators/demo-mappings';
import { createBrightpearlSimulator } from '../simulators/brightpearl/app';
import { createWooCommerceSimulator } from '../simulators/woocommerce/app';
import { VERSION } from '../version';

const USAGE = `Brightpearl Sync for WooCommerce ${VERSION}

Usage: bpwc <command>

Commands:
  serve        Run the sync service against real Brightpearl and WooCommerce.
  demo         Run simulated Brightpearl and WooCommerce and the service wired to them.
  simulators   Run only the two simulators.
  config       Validate the configuration and print it (secrets redacted).
  webhooks register
               Point Brightpearl's and WooCommerce's webhooks at BPWC_PUBLIC_URL (idempotent).

Configuration comes from environment variables (BPWC_*) and the JSON file named by BPWC_CONFIG;
see README.md for every key.`;

type Closer = () => Promise<void>;

function onShutdown(closers: Closer[]): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`Second ${signal}: exiting now.\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`${signal} received: finishing the batch in hand and shutting down…\n`);
    void (async () => {
      for (const close of closers) {
        try {
          await close();
        } catch (err) {
          process.stderr.write(`shutdown: ${(err as Error).message}\n`);
        }
      }
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function requireConnections(config: Config): void {
  const problems: string[] = [];
  if (!config.token) problems.push('BPWC_TOKEN: is required (at least 24 characters); the WordPress plugin sends it as a bearer token');
  if (!config.brightpearl) problems.push('BPWC_BRIGHTPEARL_URL, BPWC_BRIGHTPEARL_ACCOUNT, BPWC_BRIGHTPEARL_APP_REF and a token: are required to reach Brightpearl');
  if (!config.woocommerce) problems.push('BPWC_WC_URL, BPWC_WC_CONSUMER_KEY and BPWC_WC_CONSUMER_SECRET: are required to reach WooCommerce');
  if (problems.length) throw new ConfigError(problems);
}

async function serve(): Promise<void> {
  const config = loadConfig();
  requireConnections(config);
  const log = createLogger(config);
  const service = await createService({ config, log, token: config.token as string });
  onShutdown([() => service.close()]);
  const url = await service.start();
  log.info({ url, db: config.db }, 'Brightpearl Sync service listening');
}

/** Environment without real remote settings: the demo must never talk to a live store. */
function demoEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^BPWC_(BRIGHTPEARL|WC)_/.test(k)));
}

async function startSimulators(activityMs: number) {
  const accountToken = randomBytes(18).toString('base64url');
  const consumerKey = `ck_${randomBytes(20).toString('hex')}`;
  const consumerSecret = `cs_${randomBytes(20).toString('hex')}`;
  const webhookSecret = randomBytes(24).toString('base64url');
  const brightpearlWebhookSecret = randomBytes(24).toString('base64url');
  // Tests of the plugin and the page may raise the simulated cap (200 a minute, as the real one).
  const requestsPerMinute = Number(process.env.BPWC_SIM_BRIGHTPEARL_RPM ?? 200);
  const brightpearl = await createBrightpearlSimulator({ accountToken, requestsPerMinute });
  const woocommerce = await createWooCommerceSimulator({ consumerKey, consumerSecret });
  const env = process.env;
  const bpUrl = await brightpearl.listen(Number(env.BPWC_SIM_BRIGHTPEARL_PORT ?? 0), '127.0.0.1');
  const wcUrl = await woocommerce.listen(Number(env.BPWC_SIM_WOOCOMMERCE_PORT ?? 0), '127.0.0.1');
  if (activityMs > 0) {
    brightpearl.startActivity(activityMs);
    woocommerce.startActivity(activityMs);
  }
  return {
    brightpearl,
    woocommerce,
    overrides: {
      brightpearl: { baseUrl: bpUrl, accountCode: 'demo', appRef: 'demo_bpwc', accountToken, integrationInstanceId: 27, webhookSecret: brightpearlWebhookSecret },
      woocommerce: { url: wcUrl, consumerKey, consumerSecret, webhookSecret },
    },
    close: async () => {
      brightpearl.stopActivity();
      woocommerce.stopActivity();
      await Promise.all([brightpearl.close(), woocommerce.close()]);
    },
  };
}

async function demo(): Promise<void> {
  const sims = await startSimulators(Number(process.env.BPWC_DEMO_ACTIVITY_MS ?? 4000));
  const generatedToken = !process.env.BPWC_TOKEN;
  const token = process.env.BPWC_TOKEN ?? randomBytes(24).toString('base64url');
  const config = loadConfig({
    env: { ...demoEnv(), BPWC_TOKEN: token },
    // Demo schedules are fast so a newcomer sees the flows at work within a minute.
    overrides: {
      ...sims.overrides,
      flows: {
        inventory: { enabled: true, schedule: '* * * * *' },
        product: { enabled: true, schedule: '*/2 * * * *' },
        order: { enabled: true, schedule: '* * * * *' },
        refund: { enabled: true, schedule: '* * * * *' },
        shipment: { enabled: true, schedule: '* * * * *' },
      },
    },
  });
  const log = createLogger(config, undefined, { readable: process.env.BPWC_LOG_FORMAT !== 'json' });
  const previewDir = join(__dirname, '..', '..', '..', 'plugin', 'build');
  const service: Service = await createService({ config, log, token, previewDir });
  // The simulators' account ids are known, so a fresh demo database starts fully mapped.
  if (!service.store.settings.hasMappings()) service.store.settings.saveMappings(DEMO_MAPPINGS);
  onShutdown([() => service.close(), sims.close]);
  const url = await service.start();
  const clients = buildClients(config, log);
  if (clients) {
    await registerWebhooks({
      ...clients,
      publicUrl: url,
      woocommerceSecret: config.woocommerce?.webhookSecret,
      brightpearlSecret: config.brightpearl?.webhookSecret,
    }).catch((err: Error) => log.warn({ err: err.message }, 'could not register the demo webhooks; polling still syncs'));
  }
  // The simulated store has weeks of history: look back far enough to show it on a fresh database.
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
  for (const type of ['product', 'inventory', 'order', 'refund', 'shipment'] as const) {
    try {
      const fresh = service.store.runs.latest(type) === undefined;
      if (service.engine.isAvailable(type)) service.engine.request(type, { trigger: 'startup', since: fresh && (type === 'refund' || type === 'shipment') ? since : undefined });
    } catch {
      // Already running in another process: fine, it fills the same database.
    }
  }
  const lines = [
    '',
    'Brightpearl Sync for WooCommerce — demo is running',
    `  Admin page preview ${url}/preview/`,
    `  Sync service API   ${url}/api/v1   (health: ${url}/health)`,
    `  API token          ${generatedToken ? `${token}   (generated for this run; set BPWC_TOKEN to choose one)` : '(from BPWC_TOKEN)'}`,
    `  Brightpearl (sim)  ${sims.overrides.brightpearl.baseUrl}/public-api/demo/   counters: ${sims.overrides.brightpearl.baseUrl}/__sim/counters`,
    `  WooCommerce (sim)  ${sims.overrides.woocommerce.url}/wp-json/wc/v3/   counters: ${sims.overrides.woocommerce.url}/__sim/counters`,
    `  Database           ${config.db}`,
    '',
    `  Try:  curl -s -H "Authorization: Bearer ${generatedToken ? token : '$BPWC_TOKEN'}" "${url}/api/v1/logs?type=inventory&status=failed"`,
    '  Stop with Ctrl+C.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function simulators(): Promise<void> {
  const sims = await startSimulators(Number(process.env.BPWC_DEMO_ACTIVITY_MS ?? 0));
  onShutdown([sims.close]);
  process.stdout.write(`${JSON.stringify(sims.overrides, null, 2)}\n`);
}

async function webhooks(args: string[]): Promise<void> {
  if (args[0] !== 'register') {
    process.stderr.write('Usage: bpwc webhooks register\n');
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  requireConnections(config);
  if (!config.publicUrl) throw new ConfigError(['BPWC_PUBLIC_URL: is required: the address at which Brightpearl and WooCommerce reach this service']);
  const clients = buildClients(config, createLogger(config)) as NonNullable<ReturnType<typeof buildClients>>;
  const report = await registerWebhooks({
    ...clients,
    publicUrl: config.publicUrl,
    woocommerceSecret: config.woocommerce?.webhookSecret,
    brightpearlSecret: config.brightpearl?.webhookSecret,
  });
  for (const line of report.created) process.stdout.write(`created  ${line}\n`);
  for (const line of report.kept) process.stdout.write(`kept     ${line}\n`);
  for (const line of report.skipped) process.stdout.write(`skipped  ${line}\n`);
}

async function printConfig(): Promise<void> {
  process.stdout.write(`${JSON.stringify(redactConfig(loadConfig()), null, 2)}\n`);
}

export async function main(argv: string[]): Promise<void> {
  const command = argv[0];
  try {
    switch (command) {
      case 'serve':
        return await serve();
      case 'demo':
        return await demo();
      case 'simulators':
        return await simulators();
      case 'config':
        return await printConfig();
      case 'webhooks':
        return await webhooks(argv.slice(1));
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return;
      case '--version':
        process.stdout.write(`${VERSION}\n`);
        return;
      default:
        process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
        process.exitCode = 2;
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`bpwc: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
