import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/app';
import type { ApiContext } from '../../src/api/context';
import { SYNC_TYPES, type SyncType } from '../../src/domain/constants';
import { Engine } from '../../src/engine/engine';
import type { Flow } from '../../src/engine/flow';
import type { Logger } from '../../src/engine/logger';
import { Scheduler } from '../../src/scheduler/scheduler';
import { Store, type Clock } from '../../src/store';
import { serve, type Requester } from './http';

export const TEST_TOKEN = 'test-token-0123456789abcdef-XYZ';

export interface TestContextOptions {
  file: string;
  flows?: Partial<Record<SyncType, Flow>>;
  /** Flow defaults for FlowStore.ensure(); default: every flow enabled with its default schedule. */
  flowDefaults?: Partial<Record<SyncType, { enabled: boolean; schedule: string }>>;
  owner?: string;
  lockTtlMs?: number;
  heartbeatMs?: number;
  clock?: Clock;
  log?: Logger;
}

export interface TestContext extends ApiContext {
  file: string;
  close(): Promise<void>;
}

/** A real Store (SQLite file) + Engine + Scheduler, as the service composes them. */
export function createTestContext(options: TestContextOptions): TestContext {
  const store = Store.open(options.file, options.clock);
  store.flows.ensure(options.flowDefaults ?? {});
  const engine = new Engine({
    store,
    flows: options.flows ?? {},
    owner: options.owner,
    lockTtlMs: options.lockTtlMs,
    heartbeatMs: options.heartbeatMs,
    log: options.log,
  });
  const scheduler = new Scheduler({ store, engine, log: options.log });
  let closed = false;
  return {
    file: options.file,
    store,
    engine,
    scheduler,
    version: '0.0.0-test',
    async close() {
      if (closed) return;
      closed = true;
      scheduler.stop();
      await engine.stop(2000);
      store.close();
    },
  };
}

export async function createTestApi(ctx: ApiContext, token = TEST_TOKEN): Promise<FastifyInstance> {
  const app = await buildApi({ context: ctx, token });
  await app.ready();
  return app;
}

export const auth = (token = TEST_TOKEN) => ({ authorization: `Bearer ${token}` });

/** A logger that keeps every line, for asserting what was logged. */
export function recordingLogger(): Logger & { lines: { level: string; obj: unknown; msg?: string }[] } {
  const lines: { level: string; obj: unknown; msg?: string }[] = [];
  const at = (level: string) => (obj: unknown, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

/** Every row of the tables a retry may touch, for before/after comparisons. */
export function dumpItems(store: Store): { items: unknown[]; attempts: unknown[]; runs: unknown[] } {
  return {
    items: store.db.prepare('SELECT * FROM sync_items ORDER BY id').all(),
    attempts: store.db.prepare('SELECT * FROM sync_attempts ORDER BY id').all(),
    runs: store.db.prepare('SELECT * FROM runs ORDER BY id').all(),
  };
}


/** A schedule that never fires while tests run (midnight on January 1st). */
export const NEVER = '0 0 1 1 *';
export const quietFlowDefaults = (): Record<SyncType, { enabled: boolean; schedule: string }> =>
  Object.fromEntries(SYNC_TYPES.map((t) => [t, { enabled: true, schedule: NEVER }])) as Record<SyncType, { enabled: boolean; schedule: string }>;

export interface ApiHarness {
  ctx: TestContext;
  app: FastifyInstance;
  /** Base URL of the listening app. */
  url: string;
  /** `app.inject`-like, over a real socket. */
  request: Requester;
  close(): Promise<void>;
}

/** Store + Engine + started Scheduler + Fastify app listening on 127.0.0.1, the way the service wires them. */
export async function createApiHarness(options: TestContextOptions): Promise<ApiHarness> {
  const ctx = createTestContext({ flowDefaults: quietFlowDefaults(), ...options });
  const app = await createTestApi(ctx);
  const { url, request } = await serve(app);
  ctx.scheduler.start();
  return {
    ctx,
    app,
    url,
    request,
    async close() {
      await app.close();
      await ctx.close();
    },
  };
}
