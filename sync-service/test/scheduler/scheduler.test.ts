import cron from 'node-cron';
import { createTestContext, recordingLogger, type TestContext } from '../helpers/context';
import { FakeFlow } from '../helpers/fake-flow';
import { waitFor } from '../helpers/async';
import { useTempDir } from '../helpers/tmp';
import { Scheduler } from '../../src/scheduler/scheduler';

const tmp = useTempDir('bpwc-sched-');
let ctx: TestContext;
afterEach(async () => ctx?.close());

const bpwcTasks = () => [...cron.getTasks().values()].filter((t) => t.name?.startsWith('bpwc-'));

describe('Scheduler', () => {
  it('creates tasks only for enabled flows that have an implementation', () => {
    ctx = createTestContext({
      file: tmp.path(),
      flows: { inventory: new FakeFlow('inventory'), order: new FakeFlow('order'), refund: new FakeFlow('refund') },
      flowDefaults: { refund: { enabled: false, schedule: '*/5 * * * *' } },
    });
    expect(ctx.scheduler.nextRunAt('inventory')).toBeNull(); // not started yet
    ctx.scheduler.reload('inventory'); // no-op before start
    expect(ctx.scheduler.nextRunAt('inventory')).toBeNull();

    const before = Date.now();
    ctx.scheduler.start();
    for (const type of ['inventory', 'order'] as const) {
      const next = ctx.scheduler.nextRunAt(type);
      expect(next).toBeInstanceOf(Date);
      expect(next!.getTime()).toBeGreaterThan(before);
    }
    expect(ctx.scheduler.nextRunAt('refund')).toBeNull(); // disabled
    expect(ctx.scheduler.nextRunAt('product')).toBeNull(); // no implementation
    expect(ctx.scheduler.nextRunAt('shipment')).toBeNull();
    expect(bpwcTasks().map((t) => t.name).sort()).toEqual(['bpwc-inventory', 'bpwc-order']);

    // Every 2 minutes (the order default): the next run is on an even minute within 2 minutes.
    const order = ctx.scheduler.nextRunAt('order')!;
    expect(order.getMinutes() % 2).toBe(0);
    expect(order.getSeconds()).toBe(0);
    expect(order.getTime() - before).toBeLessThanOrEqual(120_000);

    ctx.scheduler.stop();
    expect(ctx.scheduler.nextRunAt('inventory')).toBeNull();
    expect(bpwcTasks()).toEqual([]);
  });

  it('reload() applies store changes without a restart', () => {
    ctx = createTestContext({ file: tmp.path(), flows: { inventory: new FakeFlow('inventory'), order: new FakeFlow('order') } });
    const scheduler = new Scheduler({ store: ctx.store, engine: ctx.engine, timezone: 'UTC' });
    try {
      scheduler.start();
      expect(scheduler.nextRunAt('inventory')).toBeInstanceOf(Date);

      ctx.store.flows.update('inventory', { enabled: false });
      scheduler.reload('inventory');
      expect(scheduler.nextRunAt('inventory')).toBeNull();
      expect(bpwcTasks().filter((t) => t.name === 'bpwc-inventory')).toEqual([]); // destroyed, not just stopped

      ctx.store.flows.update('inventory', { enabled: true, schedule: '0 0 1 1 *' });
      scheduler.reload('inventory');
      const nextNewYear = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 1));
      expect(scheduler.nextRunAt('inventory')?.toISOString()).toBe(nextNewYear.toISOString());

      ctx.store.flows.update('inventory', { schedule: '30 4 * * *' });
      scheduler.reload('inventory');
      const next = scheduler.nextRunAt('inventory')!;
      expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([4, 30]);
      expect(next.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600_000);

      // Same schedule again: the task is kept (no duplicate, no leak).
      scheduler.reload('inventory');
      scheduler.reload('inventory');
      expect(bpwcTasks().filter((t) => t.name === 'bpwc-inventory')).toHaveLength(1);
      expect(bpwcTasks().filter((t) => t.name === 'bpwc-order')).toHaveLength(1);

      // A flow row that disappeared is unscheduled.
      ctx.store.db.prepare("DELETE FROM flows WHERE id = 'order'").run();
      scheduler.reload('order');
      expect(scheduler.nextRunAt('order')).toBeNull();
    } finally {
      scheduler.stop();
    }
    expect(bpwcTasks()).toEqual([]);
    scheduler.reload('inventory'); // stopped: no-op
    expect(scheduler.nextRunAt('inventory')).toBeNull();
  });

  it('a cron fire starts a scheduled run, and one that finds the flow busy is skipped without throwing', async () => {
    const log = recordingLogger();
    const busy = new FakeFlow('inventory').hold();
    const free = new FakeFlow('order', [{ entityId: 'O1', outcome: 'synced' }]);
    ctx = createTestContext({
      file: tmp.path(),
      flows: { inventory: busy, order: free },
      flowDefaults: { inventory: { enabled: true, schedule: '* * * * * *' }, order: { enabled: true, schedule: '* * * * * *' } },
      log,
    });
    const manual = ctx.engine.start('inventory', { trigger: 'manual' });
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      ctx.scheduler.start();
      await waitFor(() => free.runs.length > 0 && log.lines.some((l) => l.msg?.includes('scheduled run skipped') && (l.obj as { flow?: string }).flow === 'inventory'), {
        timeoutMs: 2500,
        intervalMs: 20,
        what: 'a cron fire',
      });
      ctx.scheduler.stop();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(free.runs[0]!.trigger).toBe('schedule');
    expect(busy.runs).toHaveLength(1);
    expect(ctx.store.db.prepare("SELECT COUNT(*) FROM runs WHERE flow_id = 'inventory'").pluck().get()).toBe(1);
    busy.release();
    expect((await manual.done).status).toBe('succeeded');
  });
});
