import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { SYNC_TYPES } from '../domain/constants';
import { ConfigSchema, SECRET_KEYS, type Config } from './schema';

type Env = Record<string, string | undefined>;
type Json = Record<string, unknown>;

/** Environment variable → path in the configuration object, and how to read its text. */
export const ENV_KEYS: { env: string; path: string[]; kind: 'string' | 'int' | 'bool' | 'intList' }[] = [
  { env: 'BPWC_HOST', path: ['host'], kind: 'string' },
  { env: 'BPWC_PORT', path: ['port'], kind: 'int' },
  { env: 'BPWC_TOKEN', path: ['token'], kind: 'string' },
  { env: 'BPWC_DB', path: ['db'], kind: 'string' },
  { env: 'BPWC_PUBLIC_URL', path: ['publicUrl'], kind: 'string' },
  { env: 'BPWC_LOG_LEVEL', path: ['logLevel'], kind: 'string' },
  { env: 'BPWC_RETENTION_DAYS', path: ['retentionDays'], kind: 'int' },
  { env: 'BPWC_INVENTORY_WAREHOUSES', path: ['inventoryWarehouseIds'], kind: 'intList' },
  { env: 'BPWC_BRIGHTPEARL_URL', path: ['brightpearl', 'baseUrl'], kind: 'string' },
  { env: 'BPWC_BRIGHTPEARL_ACCOUNT', path: ['brightpearl', 'accountCode'], kind: 'string' },
  { env: 'BPWC_BRIGHTPEARL_APP_REF', path: ['brightpearl', 'appRef'], kind: 'string' },
  { env: 'BPWC_BRIGHTPEARL_ACCOUNT_TOKEN', path: ['brightpearl', 'accountToken'], kind: 'string' },
  { env: 'BPWC_BRIGHTPEARL_STAFF_TOKEN', path: ['brightpearl', 'staffToken'], kind: 'string' },
  { env: 'BPWC_BRIGHTPEARL_OAUTH_TOKEN', path: ['brightpearl', 'oauthToken'], kind: 'string' },
  { env: 'BPWC_BRIGHTPEARL_DEV_REF', path: ['brightpearl', 'devRef'], kind: 'string' },
  { env: 'BPWC_BRIGHTPEARL_INSTANCE_ID', path: ['brightpearl', 'integrationInstanceId'], kind: 'int' },
  { env: 'BPWC_BRIGHTPEARL_WEBHOOK_SECRET', path: ['brightpearl', 'webhookSecret'], kind: 'string' },
  { env: 'BPWC_WC_URL', path: ['woocommerce', 'url'], kind: 'string' },
  { env: 'BPWC_WC_CONSUMER_KEY', path: ['woocommerce', 'consumerKey'], kind: 'string' },
  { env: 'BPWC_WC_CONSUMER_SECRET', path: ['woocommerce', 'consumerSecret'], kind: 'string' },
  { env: 'BPWC_WC_WEBHOOK_SECRET', path: ['woocommerce', 'webhookSecret'], kind: 'string' },
  ...SYNC_TYPES.flatMap((t) => [
    { env: `BPWC_FLOW_${t.toUpperCase()}_ENABLED`, path: ['flows', t, 'enabled'], kind: 'bool' as const },
    { env: `BPWC_FLOW_${t.toUpperCase()}_SCHEDULE`, path: ['flows', t, 'schedule'], kind: 'string' as const },
  ]),
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function setPath(target: Json, path: string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((key) => {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Json;
  });
  node[path[path.length - 1] as string] = value;
}

function readEnvValue(raw: string, kind: (typeof ENV_KEYS)[number]['kind'], env: string, problems: string[]): unknown {
  switch (kind) {
    case 'string':
      return raw;
    case 'int': {
      if (!/^\d+$/.test(raw.trim())) problems.push(`${env}: must be a whole number, got "${raw}"`);
      return Number(raw);
    }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      problems.push(`${env}: must be true or false, got "${raw}"`);
      return undefined;
    }
    case 'intList': {
      const parts = raw.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = parts.filter((p) => !/^\d+$/.test(p));
      if (bad.length) problems.push(`${env}: must be a comma-separated list of ids, got "${raw}"`);
      return parts.map(Number);
    }
  }
}

/**
 * Maps a schema issue path back to what the user set: the env variable when it came from there
 * (an issue inside a list, e.g. `inventoryWarehouseIds.0`, belongs to the variable that set the
 * list); otherwise the config path, with the variable that can set it when there is one.
 */
function describeIssue(issue: z.core.$ZodIssue, fromEnv: Map<string, string>): string {
  const path = issue.path.map(String);
  for (let n = path.length; n > 0; n--) {
    const env = fromEnv.get(path.slice(0, n).join('.'));
    if (env) return env;
  }
  const dotted = path.join('.');
  const settable = ENV_KEYS.find((k) => k.path.join('.') === dotted);
  return dotted ? (settable ? `${dotted} (${settable.env})` : dotted) : 'config';
}

export interface LoadOptions {
  env?: Env;
  /** Demo mode fills in what it runs itself (simulators) before validation. */
  overrides?: Json;
}

export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  let raw: Json = {};
  const file = env.BPWC_CONFIG;
  if (file) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        problems.push(`BPWC_CONFIG: ${file} must contain a JSON object`);
      } else raw = parsed as Json;
    } catch (err) {
      // A JSON syntax error quotes the text around it, which may be a secret: never repeat it.
      problems.push(
        err instanceof SyntaxError
          ? `BPWC_CONFIG: ${file} is not valid JSON${/ at position \d+/.exec(err.message)?.[0] ?? ''}`
          : `BPWC_CONFIG: cannot read ${file}: ${(err as Error).message}`,
      );
    }
  }
  if (options.overrides) raw = deepMerge(raw, options.overrides);
  const fromEnv = new Map<string, string>();
  for (const key of ENV_KEYS) {
    const value = env[key.env];
    if (value === undefined || value === '') continue;
    const before = problems.length;
    const parsed = readEnvValue(value, key.kind, key.env, problems);
    // An unreadable value is reported once, above; the schema still checks everything else.
    if (problems.length > before) continue;
    setPath(raw, key.path, parsed);
    fromEnv.set(key.path.join('.'), key.env);
  }
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    // One line per bad key, even when several checks on it failed (e.g. "Invalid URL" and "must start with http").
    const byKey = new Map<string, string[]>();
    for (const issue of result.error.issues) {
      const key = describeIssue(issue, fromEnv);
      byKey.set(key, [...(byKey.get(key) ?? []), issue.message]);
    }
    for (const [key, messages] of byKey) problems.push(`${key}: ${[...new Set(messages)].join('; ')}`);
  }
  if (problems.length || !result.success) throw new ConfigError(problems);
  return result.data;
}

function deepMerge(base: Json, extra: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const cur = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
        ? deepMerge(cur as Json, v as Json)
        : v;
  }
  return out;
}

/** A copy safe to print: every secret replaced. */
export function redactConfig(config: Config): unknown {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, (SECRET_KEYS as readonly string[]).includes(k) && v ? '[redacted]' : walk(v)]),
      );
    }
    return value;
  };
  return walk(config);
}

/** All secret values in a configuration, for scrubbing them out of any text. */
export function secretValues(config: Config): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if ((SECRET_KEYS as readonly string[]).includes(k) && typeof v === 'string' && v.length >= 4) found.push(v);
        else walk(v);
      }
    }
  };
  walk(config);
  return found;
}
