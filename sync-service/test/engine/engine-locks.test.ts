import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { FlowBusyError } from '../../src/engine/errors';
import { isOwnerDead, makeOwnerId } from '../../src/engine/owner';
import { createTestContext, recordingLogger, type TestContext } from '../helpers/context';
import { manualClock } from '../helpers/clock';
import { FakeFlow } from '../helpers/fake-flow';
import { waitFor } from '../helpers/async';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-locks-');
const open: TestContext[] = [];
const context = (options: Parameters<typeof createTestContext>[0]) => {
  const c = createTestContext(options);
  open.push(c);
  return c;
};
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

/** The pid of a process that has exited (reaped), so nothing answers to it. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  expect(child.status).toBe(0);
  return child.pid as number;
}

/** A lock row and a "running" run as a crashed process would leave them. */
function leaveLock(c: TestContext, type: 'inventory' | 'order', owner: string, expiresAt: string): number {
  const runId = c.store.runs.create(type, 'schedule', owner);
  c.store.db.prepare('UPDATE flows SET lock_owner = ?, lock_run_id = ?, lock_expires_at = ?, heartbeat_at = ? WHERE id = ?').run(owner, runId, expiresAt, new Date().toISOString(), type);
  return runId;
}

const FAR_FUTURE = '2999-01-01T00:00:00.000Z';

describe('owner ids', () => {
  it('are host:pid:nonce and unique per engine', () => {
    const a = makeOwnerId();
    expect(a).toMatch(new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${process.pid}:[0-9a-f]{8}$`));
    expect(makeOwnerId()).not.toBe(a);
  });

  it('isOwnerDead is true only for a gone process on this host', () => {
    expect(isOwnerDead(`${hostname()}:${deadPid()}:x`)).toBe(true);
    expect(isOwnerDead(`${hostname()}:${process.pid}:x`)).toBe(false); // this very process
    expect(isOwnerDead(`${hostname()}:${process.ppid}:x`)).toBe(false); // alive
    expect(isOwnerDead(`another-host-${hostname()}:${deadPid()}:x`)).toBe(false);
    expect(isOwnerDead(`${hostname()}:not-a-pid:x`)).toBe(false);
    expect(isOwnerDead(`${hostname()}:0:x`)).toBe(false);
    expect(isOwnerDead('garbage')).toBe(false);
  });
});

describe('two engines on the same database file', () => {
  it('never run the same flow at once; the other engine can run it after', async () => {
    const file = tmp.path();
    const flowA = new FakeFlow('inventory', [{ entityId: 'A', outcome: 'synced' }]).hold();
    const flowB = new FakeFlow('inventory', [{ entityId: 'B', outcome: 'synced' }]);
    const a = context({ file, flows: { inventory: flowA }, owner: `${hostname()}:${process.pid}:aaaa` });
    const b = context({ file, flows: { inventory: flowB }, owner: `${hostname()}:${process.pid}:bbbb` });
    const runA = a.engine.start('inventory', { trigger: 'schedule' });
    let busy: unknown;
    try {
      b.engine.start('inventory', { trigger: 'schedule' });
    } catch (err) {
      busy = err;
    }
    expect(busy).toBeInstanceOf(FlowBusyError);
    expect(busy).toMatchObject({ runId: runA.runId });
    // The refused attempt left no run behind, and A's run is untouched.
    expect(b.store.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(1);
    expect(b.store.runs.get(runA.runId)?.status).toBe('running');
    expect(b.engine.recoverStaleLock('inventory')).toBe(false); // A is alive (this process)
    expect(b.store.flows.get('inventory')?.lockOwner).toBe(a.engine.owner);

    flowA.release();
    expect((await runA.done).status).toBe('succeeded');
    const runB = await b.engine.start('inventory', { trigger: 'schedule' }).done;
    expect(runB.status).toBe('succeeded');
    expect(flowB.runs).toHaveLength(1);
    expect(a.store.items.counts('inventory')).toEqual({ pending: 0, synced: 2, failed: 0 });
  });
});

describe('stale lock recovery', () => {
  it('(a) takes over at once the lock of a dead process on this host, and aborts its run', async () => {
    const file = tmp.path();
    const flow = new FakeFlow('inventory', [{ entityId: 'A', outcome: 'synced' }]);
    const log = recordingLogger();
    const c = context({ file, flows: { inventory: flow }, log });
    const staleOwner = `${hostname()}:${deadPid()}:x`;
    const staleRun = leaveLock(c, 'inventory', staleOwner, FAR_FUTURE);

    const { runId, done } = c.engine.start('inventory', { trigger: 'schedule' });
    expect(runId).toBeGreaterThan(staleRun);
    expect(c.store.flows.get('inventory')).toMatchObject({ lockOwner: c.engine.owner, lockRunId: runId });
    expect((await done).status).toBe('succeeded');
    expect(c.store.runs.get(staleRun)).toMatchObject({ status: 'aborted', finishedAt: expect.any(String), error: expect.stringMatching(/stopped before this run finished/) });
    expect(log.lines.some((l) => l.level === 'warn' && /died/.test(l.msg ?? ''))).toBe(true);
  });

  it('(a) recoverStaleLock() frees a dead owner at start-up and closes its run', () => {
    const c = context({ file: tmp.path(), flows: { order: new FakeFlow('order') } });
    const staleRun = leaveLock(c, 'order', `${hostname()}:${deadPid()}:x`, FAR_FUTURE);
    expect(c.engine.recoverStaleLock('order')).toBe(true);
    expect(c.store.flows.get('order')).toMatchObject({ lockOwner: null, lockRunId: null, lockExpiresAt: null });
    expect(c.store.runs.get(staleRun)?.status).toBe('aborted');
    expect(c.engine.recoverStaleLock('order')).toBe(false); // nothing left to recover
    expect(c.engine.recoverStaleLock('inventory')).toBe(false); // no lock at all
  });

  it('(b) takes an expired lock of another host only after it expires', async () => {
    const time = manualClock('2026-05-01T09:00:00.000Z');
    const flow = new FakeFlow('order', [{ entityId: 'A', outcome: 'synced' }]);
    const c = context({ file: tmp.path(), flows: { order: flow }, clock: time.clock });
    const staleRun = leaveLock(c, 'order', 'some-other-host:4242:x', '2026-05-01T09:01:00.000Z');

    expect(() => c.engine.start('order', { trigger: 'schedule' })).toThrow(FlowBusyError);
    expect(c.engine.recoverStaleLock('order')).toBe(false); // another host: cannot prove it is dead
    time.set('2026-05-01T09:00:59.999Z');
    expect(() => c.engine.start('order', { trigger: 'schedule' })).toThrow(FlowBusyError);
    expect(c.store.runs.get(staleRun)?.status).toBe('running');

    time.set('2026-05-01T09:01:00.001Z');
    const run = await c.engine.start('order', { trigger: 'schedule' }).done;
    expect(run.status).toBe('succeeded');
    expect(c.store.runs.get(staleRun)?.status).toBe('aborted');
    expect(c.store.flows.get('order')?.lockOwner).toBeNull();
  });

  it('(c) never steals a live lock: this host, another live process', async () => {
    const c = context({ file: tmp.path(), flows: { inventory: new FakeFlow('inventory', [{ entityId: 'A', outcome: 'synced' }]) } });
    let child: ChildProcess | undefined;
    try {
      child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
      const pid = child.pid as number;
      const owner = `${hostname()}:${pid}:live`;
      const liveRun = leaveLock(c, 'inventory', owner, FAR_FUTURE);
      expect(() => c.engine.start('inventory', { trigger: 'schedule' })).toThrow(FlowBusyError);
      expect(c.engine.recoverStaleLock('inventory')).toBe(false);
      expect(c.store.flows.get('inventory')?.lockOwner).toBe(owner);
      expect(c.store.runs.get(liveRun)?.status).toBe('running');

      // Once that process is gone, the lock is recovered.
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      child = undefined;
      expect(c.engine.recoverStaleLock('inventory')).toBe(true);
      expect(c.store.runs.get(liveRun)?.status).toBe('aborted');
      expect((await c.engine.start('inventory', { trigger: 'schedule' }).done).status).toBe('succeeded');
    } finally {
      child?.kill('SIGKILL');
    }
  });

  it('(c) never steals the lock of another engine in this same process, even with a far expiry', () => {
    const c = context({ file: tmp.path(), flows: { inventory: new FakeFlow('inventory') } });
    leaveLock(c, 'inventory', `${hostname()}:${process.pid}:other`, FAR_FUTURE);
    expect(() => c.engine.start('inventory', { trigger: 'manual' })).toThrow(FlowBusyError);
    expect(c.engine.recoverStaleLock('inventory')).toBe(false);
  });
});

describe('heartbeat', () => {
  it('extends the lock while the run goes on', async () => {
    const time = manualClock('2026-05-01T10:00:00.000Z');
    const flow = new FakeFlow('inventory').hold();
    const c = context({ file: tmp.path(), flows: { inventory: flow }, clock: time.clock, lockTtlMs: 60_000, heartbeatMs: 10 });
    const started = flow.nextStart();
    const { done } = c.engine.start('inventory', { trigger: 'manual' });
    await started;
    expect(c.store.flows.get('inventory')).toMatchObject({ lockExpiresAt: '2026-05-01T10:01:00.000Z', heartbeatAt: '2026-05-01T10:00:00.000Z' });
    time.tick(45_000);
    await waitFor(() => c.store.flows.get('inventory')?.lockExpiresAt === '2026-05-01T10:01:45.000Z', { what: 'a heartbeat' });
    expect(c.store.flows.get('inventory')?.heartbeatAt).toBe('2026-05-01T10:00:45.000Z');
    // Past the original expiry, another owner still cannot take it.
    time.tick(30_000);
    await waitFor(() => c.store.flows.get('inventory')?.lockExpiresAt === '2026-05-01T10:02:15.000Z', { what: 'a second heartbeat' });
    expect(c.store.flows.tryLock('inventory', 'someone-else', 999, 1000)).toBe(false);
    flow.release();
    expect((await done).status).toBe('succeeded');
  });

  it('a run that lost its lock is stopped and does not release the new owner', async () => {
    const flow = new FakeFlow('inventory', [{ entityId: 'A', outcome: 'synced' }]).hold();
    const log = recordingLogger();
    const c = context({ file: tmp.path(), flows: { inventory: flow }, heartbeatMs: 10, log });
    const started = flow.nextStart();
    const { runId, done } = c.engine.start('inventory', { trigger: 'manual' });
    const fctx = await started;
    c.store.db.prepare("UPDATE flows SET lock_owner = 'thief', lock_run_id = 12345 WHERE id = 'inventory'").run();
    await waitFor(() => fctx.signal.aborted, { what: 'the abort after a lost lock' });
    const run = await done;
    expect(run.id).toBe(runId);
    expect(run).toMatchObject({ status: 'aborted', error: expect.stringMatching(/lock was lost/) });
    expect(flow.runs[0]!.handled).toEqual([]);
    expect(c.store.flows.get('inventory')).toMatchObject({ lockOwner: 'thief', lockRunId: 12345 });
    expect(log.lines.some((l) => l.level === 'error' && /lost the flow lock/.test(l.msg ?? ''))).toBe(true);
  });
});
