import { FLOW_DEFINITIONS, SYNC_TYPES } from '../../src/domain/constants';
import { Store } from '../../src/store';
import { manualClock } from '../helpers/clock';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-flows-');

describe('FlowStore', () => {
  const time = manualClock('2026-03-01T10:00:00.000Z');
  let store: Store;
  beforeEach(() => {
    time.set('2026-03-01T10:00:00.000Z');
    store = Store.open(tmp.path(), time.clock);
  });
  afterEach(() => store.close());

  it('ensure() creates the five flows from defaults and leaves existing rows alone', () => {
    store.flows.ensure({ order: { enabled: false, schedule: '*/9 * * * *' } });
    const list = store.flows.list();
    expect(list.map((f) => f.id)).toEqual([...SYNC_TYPES]);
    expect(store.flows.get('order')).toMatchObject({ enabled: false, schedule: '*/9 * * * *', cursor: null, lockOwner: null, updatedAt: '2026-03-01T10:00:00.000Z' });
    expect(store.flows.get('inventory')).toMatchObject({ enabled: true, schedule: FLOW_DEFINITIONS.inventory.defaultSchedule });

    store.flows.update('inventory', { schedule: '*/1 * * * *' });
    store.flows.ensure({ inventory: { enabled: false, schedule: '0 0 * * *' }, order: { enabled: true, schedule: '* * * * *' } });
    expect(store.flows.get('inventory')).toMatchObject({ enabled: true, schedule: '*/1 * * * *' });
    expect(store.flows.get('order')).toMatchObject({ enabled: false, schedule: '*/9 * * * *' });
    expect(store.flows.list()).toHaveLength(5);
  });

  it('list() keeps the documented order whatever the insertion order', () => {
    for (const t of [...SYNC_TYPES].reverse()) store.db.prepare('INSERT INTO flows (id, enabled, schedule, updated_at) VALUES (?, 1, ?, ?)').run(t, '* * * * *', 'x');
    expect(store.flows.list().map((f) => f.id)).toEqual([...SYNC_TYPES]);
  });

  it('update() changes only what is given and stamps updatedAt', () => {
    store.flows.ensure({});
    time.tick(60_000);
    expect(store.flows.update('product', { enabled: false })).toMatchObject({ enabled: false, schedule: FLOW_DEFINITIONS.product.defaultSchedule, updatedAt: '2026-03-01T10:01:00.000Z' });
    expect(store.flows.update('product', { schedule: '0 * * * *' })).toMatchObject({ enabled: false, schedule: '0 * * * *' });
    expect(store.flows.update('product', { enabled: true })).toMatchObject({ enabled: true, schedule: '0 * * * *' });
  });

  it('update() of a flow that does not exist returns undefined', () => {
    expect(store.flows.update('order', { enabled: false })).toBeUndefined();
    expect(store.flows.get('order')).toBeUndefined();
  });

  it('keeps a per-flow cursor', () => {
    store.flows.ensure({});
    expect(store.flows.getCursor('inventory')).toBeNull();
    store.flows.setCursor('inventory', '2026-03-01T09:00:00Z');
    expect(store.flows.getCursor('inventory')).toBe('2026-03-01T09:00:00Z');
    expect(store.flows.getCursor('order')).toBeNull();
    store.flows.setCursor('inventory', null);
    expect(store.flows.getCursor('inventory')).toBeNull();
  });

  describe('locks', () => {
    beforeEach(() => store.flows.ensure({}));

    it('tryLock takes a free lock and refuses a live one', () => {
      expect(store.flows.tryLock('order', 'a', 1, 30_000)).toBe(true);
      expect(store.flows.get('order')).toMatchObject({
        lockOwner: 'a',
        lockRunId: 1,
        lockExpiresAt: '2026-03-01T10:00:30.000Z',
        heartbeatAt: '2026-03-01T10:00:00.000Z',
      });
      expect(store.flows.tryLock('order', 'b', 2, 30_000)).toBe(false);
      // Not re-entrant either: the engine refuses a second run of its own.
      expect(store.flows.tryLock('order', 'a', 3, 30_000)).toBe(false);
      expect(store.flows.get('order')?.lockOwner).toBe('a');
      // Other flows are independent.
      expect(store.flows.tryLock('refund', 'b', 4, 30_000)).toBe(true);
    });

    it('an expired lock can be taken by another owner, and the old owner then cannot heartbeat', () => {
      expect(store.flows.tryLock('order', 'a', 1, 1000)).toBe(true);
      time.tick(1000);
      expect(store.flows.tryLock('order', 'b', 2, 1000)).toBe(false); // expires AT the instant, not before
      time.tick(1);
      expect(store.flows.tryLock('order', 'b', 2, 1000)).toBe(true);
      expect(store.flows.heartbeat('order', 'a', 1000)).toBe(false);
      expect(store.flows.get('order')).toMatchObject({ lockOwner: 'b', lockRunId: 2 });
    });

    it('heartbeat extends the lock of its owner only', () => {
      store.flows.tryLock('order', 'a', 1, 1000);
      time.tick(900);
      expect(store.flows.heartbeat('order', 'a', 1000)).toBe(true);
      expect(store.flows.get('order')).toMatchObject({ lockExpiresAt: '2026-03-01T10:00:01.900Z', heartbeatAt: '2026-03-01T10:00:00.900Z' });
      time.tick(500);
      expect(store.flows.tryLock('order', 'b', 2, 1000)).toBe(false);
      expect(store.flows.heartbeat('order', 'b', 1000)).toBe(false);
    });

    it('unlock only releases for the owner', () => {
      store.flows.tryLock('order', 'a', 1, 1000);
      store.flows.unlock('order', 'b');
      expect(store.flows.get('order')?.lockOwner).toBe('a');
      store.flows.unlock('order', 'a');
      expect(store.flows.get('order')).toMatchObject({ lockOwner: null, lockRunId: null, lockExpiresAt: null });
      expect(store.flows.tryLock('order', 'b', 2, 1000)).toBe(true);
    });

    it('breakLock clears the named stale owner only', () => {
      store.flows.tryLock('order', 'dead', 1, 60_000);
      expect(store.flows.breakLock('order', 'someone-else')).toBe(false);
      expect(store.flows.get('order')?.lockOwner).toBe('dead');
      expect(store.flows.breakLock('order', 'dead')).toBe(true);
      expect(store.flows.get('order')?.lockOwner).toBeNull();
      expect(store.flows.breakLock('order', 'dead')).toBe(false);
    });
  });
});
