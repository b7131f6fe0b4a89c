/**
 * The one configuration schema. Sources, lowest first: defaults, the JSON file named by
 * BPWC_CONFIG, then environment variables (see ENV_KEYS). Secrets are marked so they can be
 * redacted wherever configuration is shown.
 */
import cron from 'node-cron';
import { z } from 'zod';
import { FLOW_DEFINITIONS, SYNC_TYPES, type SyncType } from '../domain/constants';

export const cronExpression = z
  .string()
  .trim()
  .min(1)
  .refine((value) => value.split(/\s+/).length === 5 && cron.validate(value), {
    // Five fields only: a seconds field would let one flow spend the whole Brightpearl budget.
    message: 'is not a valid five-field cron expression (minute hour day month weekday, e.g. "*/5 * * * *")',
  });

const FlowConfigSchema = (type: SyncType) =>
  z
    .object({
      enabled: z.boolean().default(true),
      schedule: cronExpression.default(FLOW_DEFINITIONS[type].defaultSchedule),
    })
    .strict()
    .default({ enabled: true, schedule: FLOW_DEFINITIONS[type].defaultSchedule });

const httpUrl = z
  .string()
  .trim()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), { message: 'must start with http:// or https://' })
  .transform((u) => u.replace(/\/+$/, ''));

export const BrightpearlConfigSchema = z
  .object({
    /** e.g. https://euw1.brightpearlconnect.com (the OAuth `api_domain` when you have one). */
    baseUrl: httpUrl,
    accountCode: z.string().trim().min(1),
    appRef: z.string().trim().min(1),
    /** Private system app token. */
    accountToken: z.string().min(1).optional(),
    /** Private staff app token. */
    staffToken: z.string().min(1).optional(),
    /** OAuth instance app access token (needs devRef). */
    oauthToken: z.string().min(1).optional(),
    devRef: z.string().min(1).optional(),
    /**
     * Sent as `installedIntegrationInstanceId` with orders and credits: together with `externalRef`
     * Brightpearl treats a repeated create as the same one. OAuth apps get it with their token.
     */
    integrationInstanceId: z.number().int().positive().optional(),
    /** Brightpearl does not sign webhooks: this secret travels in the webhook URL instead. */
    webhookSecret: z.string().min(16, 'must be at least 16 characters').optional(),
    timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
  })
  .strict()
  .superRefine((bp, ctx) => {
    const set = (['accountToken', 'staffToken', 'oauthToken'] as const).filter((k) => bp[k]);
    if (set.length !== 1) {
      // Point at a token that was set (so the message names its env variable), or at the usual one when none was.
      ctx.addIssue({
        code: 'custom',
        path: [set[0] ?? 'accountToken'],
        message: `set exactly one of accountToken, staffToken or oauthToken${set.length ? ` (found ${set.join(' and ')})` : ''}`,
      });
    }
    if (bp.oauthToken && !bp.devRef) {
      ctx.addIssue({ code: 'custom', path: ['devRef'], message: 'is required with oauthToken' });
    }
  });

export const WooCommerceConfigSchema = z
  .object({
    url: httpUrl,
    consumerKey: z.string().trim().regex(/^ck_[A-Za-z0-9]+$/, 'must look like ck_…'),
    consumerSecret: z.string().trim().regex(/^cs_[A-Za-z0-9]+$/, 'must look like cs_…'),
    webhookSecret: z.string().min(16, 'must be at least 16 characters').optional(),
    timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
  })
  .strict();

export const ConfigSchema = z
  .object({
    host: z.string().trim().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8787),
    /** Bearer token for /api/v1. Required outside demo mode. */
    token: z.string().min(24, 'must be at least 24 characters').optional(),
    db: z.string().trim().min(1).default('./data/bpwc.sqlite'),
    /** Where Brightpearl and WooCommerce reach this service for webhooks (a proxy in front of it). */
    publicUrl: httpUrl.optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Attempt history older than this is pruned (in small chunks, hourly). */
    retentionDays: z.number().int().min(1).max(3650).default(90),
    /** Warehouses whose available stock is summed for WooCommerce; empty = all warehouses. Seeds the mappings on first start. */
    inventoryWarehouseIds: z.array(z.number().int().positive()).default([]),
    brightpearl: BrightpearlConfigSchema.optional(),
    woocommerce: WooCommerceConfigSchema.optional(),
    flows: z
      .object(Object.fromEntries(SYNC_TYPES.map((t) => [t, FlowConfigSchema(t)])) as Record<SyncType, ReturnType<typeof FlowConfigSchema>>)
      .strict()
      .default(Object.fromEntries(SYNC_TYPES.map((t) => [t, { enabled: true, schedule: FLOW_DEFINITIONS[t].defaultSchedule }])) as Record<SyncType, { enabled: boolean; schedule: string }>),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type BrightpearlConfig = z.infer<typeof BrightpearlConfigSchema>;
export type WooCommerceConfig = z.infer<typeof WooCommerceConfigSchema>;

/** Configuration keys whose values never appear in output or logs. */
export const SECRET_KEYS = ['token', 'accountToken', 'staffToken', 'oauthToken', 'consumerKey', 'consumerSecret', 'webhookSecret'] as const;
