import { chmodSync, writeFileSync } from 'node:fs';
import { ConfigError, ENV_KEYS, loadConfig, redactConfig, secretValues } from '../src/config/load';
import { SYNC_TYPES, FLOW_DEFINITIONS } from '../src/domain/constants';
import { useTempDir } from './helpers/tmp';

const tmp = useTempDir('bpwc-config-');

const BP_ENV = {
  BPWC_BRIGHTPEARL_URL: 'https://euw1.brightpearlconnect.com/',
  BPWC_BRIGHTPEARL_ACCOUNT: 'acme',
  BPWC_BRIGHTPEARL_APP_REF: 'acme_sync',
};
const WC_ENV = {
  BPWC_WC_URL: 'https://shop.example.com',
  BPWC_WC_CONSUMER_KEY: 'ck_0123456789abcdefSECRETKEY',
  BPWC_WC_CONSUMER_SECRET: 'cs_0123456789abcdefSECRETSECRET',
};

/** The problems of a ConfigError (fails the test when loading succeeds). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    // The message shows every problem, one per line.
    expect(e.message.split('\n').slice(1)).toEqual(e.problems.map((p) => `  ${p}`));
    return e.problems;
  }
  throw new Error('expected a ConfigError');
}

function writeJson(name: string, value: unknown): string {
  const file = tmp.path(name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('loadConfig defaults', () => {
  it('uses the documented defaults with an empty environment', () => {
    const c = loadConfig({ env: {} });
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8787);
    expect(c.db).toBe('./data/bpwc.sqlite');
    expect(c.logLevel).toBe('info');
    expect(c.token).toBeUndefined();
    expect(c.inventoryWarehouseIds).toEqual([]);
    expect(c.brightpearl).toBeUndefined();
    expect(c.woocommerce).toBeUndefined();
    for (const t of SYNC_TYPES) expect(c.flows[t]).toEqual({ enabled: true, schedule: FLOW_DEFINITIONS[t].defaultSchedule });
  });

  it('ignores empty environment values', () => {
    const c = loadConfig({ env: { BPWC_PORT: '', BPWC_HOST: '', BPWC_FLOW_ORDER_ENABLED: '' } });
    expect(c.port).toBe(8787);
    expect(c.host).toBe('127.0.0.1');
    expect(c.flows.order.enabled).toBe(true);
  });

  it('does not read process.env when an env is passed', () => {
    const saved = process.env.BPWC_PORT;
    process.env.BPWC_PORT = 'not-a-port';
    try {
      expect(loadConfig({ env: {} }).port).toBe(8787);
    } finally {
      if (saved === undefined) delete process.env.BPWC_PORT;
      else process.env.BPWC_PORT = saved;
    }
  });
});

describe('loadConfig environment mapping', () => {
  it('maps every documented variable', () => {
    const c = loadConfig({
      env: {
        BPWC_HOST: '0.0.0.0',
        BPWC_PORT: ' 9000 ',
        BPWC_TOKEN: 'x'.repeat(32),
        BPWC_DB: '/var/lib/bpwc/db.sqlite',
        BPWC_LOG_LEVEL: 'debug',
        BPWC_INVENTORY_WAREHOUSES: '2, 7,,11',
        ...BP_ENV,
        BPWC_BRIGHTPEARL_STAFF_TOKEN: 'staff-token-value',
        ...WC_ENV,
        BPWC_WC_WEBHOOK_SECRET: 'whsec-0123456789abcdef',
        BPWC_FLOW_INVENTORY_ENABLED: 'false',
        BPWC_FLOW_INVENTORY_SCHEDULE: '*/1 * * * *',
        BPWC_FLOW_PRODUCT_ENABLED: 'yes',
        BPWC_FLOW_ORDER_ENABLED: 'OFF',
        BPWC_FLOW_REFUND_ENABLED: '0',
        BPWC_FLOW_SHIPMENT_ENABLED: '1',
        BPWC_FLOW_SHIPMENT_SCHEDULE: '0 * * * *',
      },
    });
    expect(c).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      token: 'x'.repeat(32),
      db: '/var/lib/bpwc/db.sqlite',
      logLevel: 'debug',
      inventoryWarehouseIds: [2, 7, 11],
      brightpearl: { baseUrl: 'https://euw1.brightpearlconnect.com', accountCode: 'acme', appRef: 'acme_sync', staffToken: 'staff-token-value', timeoutMs: 30_000 },
      woocommerce: { url: 'https://shop.example.com', consumerKey: WC_ENV.BPWC_WC_CONSUMER_KEY, consumerSecret: WC_ENV.BPWC_WC_CONSUMER_SECRET, webhookSecret: 'whsec-0123456789abcdef' },
    });
    expect(c.flows).toEqual({
      inventory: { enabled: false, schedule: '*/1 * * * *' },
      product: { enabled: true, schedule: FLOW_DEFINITIONS.product.defaultSchedule },
      order: { enabled: false, schedule: FLOW_DEFINITIONS.order.defaultSchedule },
      refund: { enabled: false, schedule: FLOW_DEFINITIONS.refund.defaultSchedule },
      shipment: { enabled: true, schedule: '0 * * * *' },
    });
  });

  it('has an enabled and a schedule variable for every flow', () => {
    const names = ENV_KEYS.map((k) => k.env);
    for (const t of SYNC_TYPES) {
      expect(names).toContain(`BPWC_FLOW_${t.toUpperCase()}_ENABLED`);
      expect(names).toContain(`BPWC_FLOW_${t.toUpperCase()}_SCHEDULE`);
    }
  });

  it('accepts an oauth token together with a dev ref', () => {
    const c = loadConfig({ env: { ...BP_ENV, BPWC_BRIGHTPEARL_OAUTH_TOKEN: 'oauth-token-value', BPWC_BRIGHTPEARL_DEV_REF: 'dev1' } });
    expect(c.brightpearl).toMatchObject({ oauthToken: 'oauth-token-value', devRef: 'dev1' });
  });
});

describe('loadConfig JSON file (BPWC_CONFIG)', () => {
  it('reads the file and lets the environment win, merging nested objects', () => {
    const file = writeJson('merge.json', {
      host: '10.0.0.5',
      port: 9100,
      inventoryWarehouseIds: [3],
      brightpearl: { baseUrl: 'https://bp.example.com', accountCode: 'fromfile', appRef: 'app', timeoutMs: 5000 },
      flows: { order: { enabled: false, schedule: '*/10 * * * *' }, refund: { schedule: '*/7 * * * *' } },
    });
    const c = loadConfig({
      env: { BPWC_CONFIG: file, BPWC_PORT: '9200', BPWC_FLOW_ORDER_SCHEDULE: '*/3 * * * *', BPWC_BRIGHTPEARL_ACCOUNT_TOKEN: 'acct-token', BPWC_INVENTORY_WAREHOUSES: '4,5' },
    });
    expect(c.host).toBe('10.0.0.5');
    expect(c.port).toBe(9200);
    expect(c.inventoryWarehouseIds).toEqual([4, 5]);
    expect(c.brightpearl).toEqual({ baseUrl: 'https://bp.example.com', accountCode: 'fromfile', appRef: 'app', accountToken: 'acct-token', timeoutMs: 5000 });
    expect(c.flows.order).toEqual({ enabled: false, schedule: '*/3 * * * *' });
    expect(c.flows.refund).toEqual({ enabled: true, schedule: '*/7 * * * *' });
    expect(c.flows.inventory).toEqual({ enabled: true, schedule: FLOW_DEFINITIONS.inventory.defaultSchedule });
  });

  it('reports a missing file', () => {
    const missing = tmp.path('does-not-exist.json');
    const problems = problemsOf({ BPWC_CONFIG: missing });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^BPWC_CONFIG: cannot read .*does-not-exist\.json: .*ENOENT/);
  });

  it('reports an unreadable file', () => {
    if (process.getuid?.() === 0) {
      // root reads anything; a directory is unreadable as a file for everyone.
      expect(problemsOf({ BPWC_CONFIG: tmp.dir() })[0]).toMatch(/^BPWC_CONFIG: cannot read .*EISDIR/);
      return;
    }
    const file = writeJson('locked.json', {});
    chmodSync(file, 0o000);
    expect(problemsOf({ BPWC_CONFIG: file })[0]).toMatch(/^BPWC_CONFIG: cannot read .*EACCES/);
  });

  it('reports invalid JSON without quoting the file (it may hold secrets)', () => {
    const file = writeJson('broken.json', '{"token": supersecret-token-in-file-0123456789}');
    const problems = problemsOf({ BPWC_CONFIG: file });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^BPWC_CONFIG: .*broken\.json is not valid JSON/);
    expect(problems.join('\n')).not.toContain('supersecret');
  });

  it('requires a JSON object', () => {
    const file = writeJson('array.json', [1, 2]);
    expect(problemsOf({ BPWC_CONFIG: file })).toEqual([`BPWC_CONFIG: ${file} must contain a JSON object`]);
  });

  it('rejects unknown keys and names file problems by their path', () => {
    const file = writeJson('unknown.json', { prot: 1, port: 'eighty', flows: { order: { schedule: 'nope' } } });
    const problems = problemsOf({ BPWC_CONFIG: file });
    expect(problems.some((p) => p.startsWith('config:') && p.includes('prot'))).toBe(true);
    expect(problems.some((p) => p.startsWith('port (BPWC_PORT):'))).toBe(true);
    expect(problems.some((p) => p.startsWith('flows.order.schedule (BPWC_FLOW_ORDER_SCHEDULE):'))).toBe(true);
  });
});

describe('loadConfig validation errors name the environment variable', () => {
  it.each([
    ['non-numeric port', { BPWC_PORT: 'eighty' }, 'BPWC_PORT'],
    ['port out of range', { BPWC_PORT: '70000' }, 'BPWC_PORT'],
    ['bad cron', { BPWC_FLOW_ORDER_SCHEDULE: 'every five minutes' }, 'BPWC_FLOW_ORDER_SCHEDULE'],
    ['bad cron field', { BPWC_FLOW_INVENTORY_SCHEDULE: '61 * * * *' }, 'BPWC_FLOW_INVENTORY_SCHEDULE'],
    ['bad bool', { BPWC_FLOW_PRODUCT_ENABLED: 'maybe' }, 'BPWC_FLOW_PRODUCT_ENABLED'],
    ['bad log level', { BPWC_LOG_LEVEL: 'loud' }, 'BPWC_LOG_LEVEL'],
    ['bad warehouse list', { BPWC_INVENTORY_WAREHOUSES: '1,two' }, 'BPWC_INVENTORY_WAREHOUSES'],
    ['warehouse id 0 (an issue inside the list)', { BPWC_INVENTORY_WAREHOUSES: '1,0' }, 'BPWC_INVENTORY_WAREHOUSES'],
    ['short token', { BPWC_TOKEN: 'too-short' }, 'BPWC_TOKEN'],
    ['not a URL', { ...BP_ENV, BPWC_BRIGHTPEARL_ACCOUNT_TOKEN: 'acct', BPWC_BRIGHTPEARL_URL: 'not a url' }, 'BPWC_BRIGHTPEARL_URL'],
    ['non-http URL', { ...WC_ENV, BPWC_WC_URL: 'ftp://shop.example.com' }, 'BPWC_WC_URL'],
    ['bad consumer key', { ...WC_ENV, BPWC_WC_CONSUMER_KEY: 'nope' }, 'BPWC_WC_CONSUMER_KEY'],
    ['two Brightpearl token modes', { ...BP_ENV, BPWC_BRIGHTPEARL_ACCOUNT_TOKEN: 'acct', BPWC_BRIGHTPEARL_STAFF_TOKEN: 'staff' }, 'BPWC_BRIGHTPEARL_ACCOUNT_TOKEN'],
    ['staff and oauth tokens', { ...BP_ENV, BPWC_BRIGHTPEARL_STAFF_TOKEN: 'staff', BPWC_BRIGHTPEARL_OAUTH_TOKEN: 'oauth', BPWC_BRIGHTPEARL_DEV_REF: 'd' }, 'BPWC_BRIGHTPEARL_STAFF_TOKEN'],
    ['no Brightpearl token', { ...BP_ENV }, 'BPWC_BRIGHTPEARL_ACCOUNT_TOKEN'],
    ['oauth without devRef', { ...BP_ENV, BPWC_BRIGHTPEARL_OAUTH_TOKEN: 'oauth' }, 'BPWC_BRIGHTPEARL_DEV_REF'],
  ])('%s', (_label, env, variable) => {
    const problems = problemsOf(env as Record<string, string>);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^(\\S+ \\()?${variable}\\)?: \\S`));
  });

  it('reports every bad key at once, one line each', () => {
    const problems = problemsOf({
      BPWC_PORT: 'abc',
      BPWC_FLOW_ORDER_SCHEDULE: 'nope',
      BPWC_FLOW_REFUND_ENABLED: 'perhaps',
      BPWC_LOG_LEVEL: 'loud',
      ...WC_ENV,
      BPWC_WC_URL: 'not-a-url',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['BPWC_FLOW_ORDER_SCHEDULE', 'BPWC_FLOW_REFUND_ENABLED', 'BPWC_LOG_LEVEL', 'BPWC_PORT', 'BPWC_WC_URL']);
  });

  it('never puts secret values in the error', () => {
    const secrets = {
      BPWC_TOKEN: 'short-secret-tok',
      BPWC_WC_CONSUMER_KEY: 'bad-consumer-key-secret',
      BPWC_WC_CONSUMER_SECRET: 'bad-consumer-secret-secret',
      BPWC_WC_WEBHOOK_SECRET: 'shortwhsec',
      BPWC_BRIGHTPEARL_ACCOUNT_TOKEN: 'acct-secret-value',
      BPWC_BRIGHTPEARL_STAFF_TOKEN: 'staff-secret-value',
    };
    let message = '';
    try {
      loadConfig({ env: { ...BP_ENV, BPWC_WC_URL: 'https://shop.example.com', ...secrets } });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('BPWC_TOKEN');
    expect(message).toContain('BPWC_WC_CONSUMER_KEY');
    for (const value of Object.values(secrets)) expect(message).not.toContain(value);
  });
});

describe('redactConfig and secretValues', () => {
  const env = {
    BPWC_TOKEN: 'api-token-0123456789abcdefghij',
    ...BP_ENV,
    BPWC_BRIGHTPEARL_OAUTH_TOKEN: 'oauth-token-secret-123',
    BPWC_BRIGHTPEARL_DEV_REF: 'devref',
    ...WC_ENV,
    BPWC_WC_WEBHOOK_SECRET: 'webhook-secret-0123456789',
  };
  const secrets = [env.BPWC_TOKEN, env.BPWC_BRIGHTPEARL_OAUTH_TOKEN, env.BPWC_WC_CONSUMER_KEY, env.BPWC_WC_CONSUMER_SECRET, env.BPWC_WC_WEBHOOK_SECRET];

  it('redacts every secret and keeps the rest', () => {
    const config = loadConfig({ env });
    const before = JSON.stringify(config);
    const text = JSON.stringify(redactConfig(config));
    for (const s of secrets) expect(text).not.toContain(s);
    expect(redactConfig(config)).toMatchObject({
      token: '[redacted]',
      port: 8787,
      brightpearl: { oauthToken: '[redacted]', devRef: 'devref', accountCode: 'acme' },
      woocommerce: { consumerKey: '[redacted]', consumerSecret: '[redacted]', webhookSecret: '[redacted]', url: 'https://shop.example.com' },
    });
    // The original is left alone.
    expect(JSON.stringify(config)).toBe(before);
  });

  it('lists every secret value', () => {
    const config = loadConfig({ env });
    expect(secretValues(config).sort()).toEqual([...secrets].sort());
  });

  it('lists nothing when there are no secrets', () => {
    expect(secretValues(loadConfig({ env: {} }))).toEqual([]);
    expect(JSON.stringify(redactConfig(loadConfig({ env: {} })))).not.toContain('[redacted]');
  });
});
