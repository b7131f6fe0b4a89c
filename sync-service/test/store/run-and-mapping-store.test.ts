import { Store } from '../../src/store';
import { manualClock } from '../helpers/clock';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-runs-');
const time = manualClock();
let store: Store;

beforeEach(() => {
  time.set('2026-04-01T12:00:00.000Z');
  store = Store.open(tmp.path(), time.clock);
  store.flows.ensure({});
});
afterEach(() => store.close());

describe('RunStore', () => {
  it('creates a running run with zero counts', () => {
    const id = store.runs.create('inventory', 'manual', 'host:1:a');
    expect(store.runs.get(id)).toEqual({
      id,
      flowId: 'inventory',
      trigger: 'manual',
      status: 'running',
      startedAt: '2026-04-01T12:00:00.000Z',
      finishedAt: null,
      counts: { seen: 0, synced: 0, failed: 0, unchanged: 0 },
      error: null,
    });
    expect(store.runs.get(id + 1)).toBeUndefined();
  });

  it('adds counts incrementally', () => {
    const id = store.runs.create('inventory', 'schedule', 'o');
    store.runs.addCounts(id, { seen: 3, synced: 2, failed: 1 });
    store.runs.addCounts(id, { seen: 1, unchanged: 1 });
    store.runs.addCounts(id, {});
    expect(store.runs.get(id)?.counts).toEqual({ seen: 4, synced: 2, failed: 1, unchanged: 1 });
  });

  it('finish() sets status, time and error once; a finished run is not changed again', () => {
    const id = store.runs.create('order', 'manual', 'o');
    time.tick(2500);
    store.runs.finish(id, 'failed', 'Brightpearl said no');
    expect(store.runs.get(id)).toMatchObject({ status: 'failed', finishedAt: '2026-04-01T12:00:02.500Z', error: 'Brightpearl said no' });
    time.tick(1000);
    store.runs.finish(id, 'succeeded');
    expect(store.runs.get(id)).toMatchObject({ status: 'failed', finishedAt: '2026-04-01T12:00:02.500Z', error: 'Brightpearl said no' });
  });

  it('latest() is the newest run of that flow', () => {
    expect(store.runs.latest('inventory')).toBeUndefined();
    const a = store.runs.create('inventory', 'manual', 'o');
    const b = store.runs.create('inventory', 'schedule', 'o');
    store.runs.create('order', 'manual', 'o');
    store.runs.finish(b, 'succeeded');
    expect(store.runs.latest('inventory')?.id).toBe(b);
    expect(a).toBeLessThan(b);
  });

  it('abortRunning() closes running runs of a flow except the one given', () => {
    const a = store.runs.create('inventory', 'manual', 'dead');
    const b = store.runs.create('inventory', 'manual', 'dead');
    const done = store.runs.create('inventory', 'manual', 'dead');
    store.runs.finish(done, 'succeeded');
    const other = store.runs.create('order', 'manual', 'dead');
    const mine = store.runs.create('inventory', 'manual', 'me');
    time.tick(1000);
    expect(store.runs.abortRunning('inventory', 'process died', mine)).toBe(2);
    expect(store.runs.get(a)).toMatchObject({ status: 'aborted', error: 'process died', finishedAt: '2026-04-01T12:00:01.000Z' });
    expect(store.runs.get(b)?.status).toBe('aborted');
    expect(store.runs.get(done)?.status).toBe('succeeded');
    expect(store.runs.get(other)?.status).toBe('running');
    expect(store.runs.get(mine)?.status).toBe('running');
    expect(store.runs.abortRunning('inventory', 'again')).toBe(1);
    expect(store.runs.get(mine)?.status).toBe('aborted');
  });
});

describe('MappingStore', () => {
  it('links ids and finds them both ways', () => {
    store.mappings.link([
      { type: 'product', bpId: '1001', wcId: '501', wcParentId: null },
      { type: 'product', bpId: '1002', wcId: '502', wcParentId: '500' },
    ]);
    expect(store.mappings.byBrightpearl('product', '1002')).toEqual({ type: 'product', bpId: '1002', wcId: '502', wcParentId: '500' });
    expect(store.mappings.byWooCommerce('product', '501')).toEqual({ type: 'product', bpId: '1001', wcId: '501', wcParentId: null });
    expect(store.mappings.byBrightpearl('order', '1001')).toBeUndefined();
    expect(store.mappings.byWooCommerce('product', '999')).toBeUndefined();
    expect(store.mappings.all('product')).toHaveLength(2);
    expect(store.mappings.all('order')).toEqual([]);
  });

  it('re-linking a Brightpearl id moves it to the new WooCommerce id and keeps created_at', () => {
    store.mappings.link([{ type: 'product', bpId: '1001', wcId: '501', wcParentId: null }]);
    time.tick(60_000);
    store.mappings.link([{ type: 'product', bpId: '1001', wcId: '601', wcParentId: '600' }]);
    expect(store.mappings.byBrightpearl('product', '1001')).toMatchObject({ wcId: '601', wcParentId: '600' });
    expect(store.mappings.byWooCommerce('product', '501')).toBeUndefined();
    const row = store.db.prepare("SELECT created_at, updated_at FROM id_mappings WHERE bp_id = '1001'").get() as { created_at: string; updated_at: string };
    expect(row).toEqual({ created_at: '2026-04-01T12:00:00.000Z', updated_at: '2026-04-01T12:01:00.000Z' });
  });

  it('an identical link does not touch updated_at', () => {
    store.mappings.link([{ type: 'product', bpId: '1001', wcId: '501', wcParentId: null }]);
    time.tick(60_000);
    store.mappings.link([{ type: 'product', bpId: '1001', wcId: '501', wcParentId: null }]);
    expect(store.db.prepare("SELECT updated_at FROM id_mappings WHERE bp_id = '1001'").pluck().get()).toBe('2026-04-01T12:00:00.000Z');
  });

  it('a WooCommerce id linked to another Brightpearl id moves to the new one (one-to-one)', () => {
    store.mappings.link([{ type: 'product', bpId: '1001', wcId: '501', wcParentId: null }]);
    store.mappings.link([{ type: 'product', bpId: '2002', wcId: '501', wcParentId: null }]);
    expect(store.mappings.byWooCommerce('product', '501')?.bpId).toBe('2002');
    expect(store.mappings.byBrightpearl('product', '1001')).toBeUndefined();
    expect(store.mappings.all('product')).toHaveLength(1);
  });

  it('keeps types apart', () => {
    store.mappings.link([
      { type: 'product', bpId: '1', wcId: '1', wcParentId: null },
      { type: 'order', bpId: '1', wcId: '2', wcParentId: null },
    ]);
    expect(store.mappings.byBrightpearl('product', '1')?.wcId).toBe('1');
    expect(store.mappings.byBrightpearl('order', '1')?.wcId).toBe('2');
  });
});
