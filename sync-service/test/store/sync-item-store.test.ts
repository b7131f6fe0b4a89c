import { Store, type EntityRef } from '../../src/store';
import { decodeCursor, encodeCursor } from '../../src/store/sync-item-store';
import { manualClock } from '../helpers/clock';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-items-');
const time = manualClock();
let store: Store;

beforeEach(() => {
  time.set('2026-02-01T08:00:00.000Z');
  store = Store.open(tmp.path(), time.clock);
  store.flows.ensure({});
});
afterEach(() => store.close());

const refs = (ids: (string | number)[], extra: Partial<EntityRef> = {}): EntityRef[] => ids.map((id) => ({ entityId: String(id), info: `Product ${id}`, ...extra }));
const historyCount = (itemId: number) => store.db.prepare('SELECT COUNT(*) FROM sync_attempts WHERE item_id = ?').pluck().get(itemId) as number;
const item = (entityId: string, type: 'inventory' | 'order' = 'inventory') => {
  const found = store.items.getByEntity(type, entityId);
  if (!found) throw new Error(`no item ${entityId}`);
  return found;
};

describe('seen()', () => {
  it('registers new entities as Pending with first seen = now', () => {
    store.items.seen('inventory', [{ entityId: 'SKU-1', info: 'Blue mug', bpId: '1001', wcId: '55' }]);
    expect(item('SKU-1')).toEqual({
      id: expect.any(Number),
      type: 'inventory',
      entityId: 'SKU-1',
      bpId: '1001',
      wcId: '55',
      info: 'Blue mug',
      status: 'pending',
      syncedAt: '2026-02-01T08:00:00.000Z',
      updatedAt: '2026-02-01T08:00:00.000Z',
      error: null,
      attempts: 0,
      lastValue: null,
    });
    expect(historyCount(item('SKU-1').id)).toBe(0);
  });

  it('keeps first seen, status and known ids when seen again; updates info', () => {
    store.items.seen('inventory', [{ entityId: 'SKU-1', info: 'Blue mug', bpId: '1001', wcId: '55' }]);
    time.tick(60_000);
    store.items.record('inventory', null, [{ entityId: 'SKU-1', status: 'synced', value: '7' }]);
    time.tick(60_000);
    store.items.seen('inventory', [{ entityId: 'SKU-1', info: 'Blue mug (large)' }]);
    expect(item('SKU-1')).toMatchObject({
      info: 'Blue mug (large)',
      bpId: '1001',
      wcId: '55',
      status: 'synced',
      syncedAt: '2026-02-01T08:00:00.000Z',
      updatedAt: '2026-02-01T08:01:00.000Z',
    });
    store.items.seen('inventory', [{ entityId: 'SKU-1', info: 'Blue mug (large)', wcId: '56' }]);
    expect(item('SKU-1').wcId).toBe('56');
  });

  it('keeps the same entity id apart per type', () => {
    store.items.seen('inventory', refs([1]));
    store.items.seen('order', refs([1]));
    expect(item('1', 'inventory').id).not.toBe(item('1', 'order').id);
  });
});

describe('record()', () => {
  beforeEach(() => store.items.seen('inventory', refs(['A', 'B', 'C'])));

  it('moves pending → synced with a history row and returns counts', () => {
    time.tick(1000);
    const counts = store.items.record('inventory', 7, [{ entityId: 'A', status: 'synced', value: '12', wcId: '900', message: 'stock 12' }]);
    expect(counts).toEqual({ synced: 1, failed: 0, unchanged: 0 });
    const a = item('A');
    expect(a).toMatchObject({ status: 'synced', attempts: 1, error: null, lastValue: '12', wcId: '900', updatedAt: '2026-02-01T08:00:01.000Z', syncedAt: '2026-02-01T08:00:00.000Z' });
    expect(store.db.prepare('SELECT last_run_id FROM sync_items WHERE id = ?').pluck().get(a.id)).toBe(7);
    expect(store.items.attempts(a.id)).toEqual([
      { id: expect.any(Number), runId: 7, at: '2026-02-01T08:00:01.000Z', outcome: 'synced', message: 'stock 12', request: null, response: null },
    ]);
  });

  it('moves pending → failed, and failed → synced clears the error', () => {
    store.items.record('inventory', 1, [{ entityId: 'A', status: 'failed', message: 'SKU not found in WooCommerce' }]);
    expect(item('A')).toMatchObject({ status: 'failed', error: 'SKU not found in WooCommerce', attempts: 1 });
    store.items.record('inventory', 2, [{ entityId: 'A', status: 'synced' }]);
    expect(item('A')).toMatchObject({ status: 'synced', error: null, attempts: 2 });
    expect(store.items.attempts(item('A').id).map((h) => [h.outcome, h.runId])).toEqual([
      ['synced', 2],
      ['failed', 1],
    ]);
  });

  it('an identical repeated failure adds no history row; a different one does', () => {
    store.items.record('inventory', 1, [{ entityId: 'A', status: 'failed', message: 'SKU missing' }]);
    const first = item('A');
    time.tick(300_000);
    const counts = store.items.record('inventory', 2, [{ entityId: 'A', status: 'failed', message: 'SKU missing' }]);
    expect(counts.failed).toBe(1);
    expect(historyCount(first.id)).toBe(1);
    expect(item('A')).toMatchObject({ attempts: 1, updatedAt: first.updatedAt, error: 'SKU missing' });
    expect(store.db.prepare('SELECT last_run_id FROM sync_items WHERE id = ?').pluck().get(first.id)).toBe(2);

    store.items.record('inventory', 3, [{ entityId: 'A', status: 'failed', message: 'WooCommerce returned 500' }]);
    expect(historyCount(first.id)).toBe(2);
    expect(item('A')).toMatchObject({ error: 'WooCommerce returned 500', attempts: 2 });
  });

  it('the same failure after a retry request is recorded again (the item was Pending)', () => {
    store.items.record('inventory', 1, [{ entityId: 'A', status: 'failed', message: 'SKU missing' }]);
    store.items.requeue({ ids: [item('A').id] });
    store.items.record('inventory', 2, [{ entityId: 'A', status: 'failed', message: 'SKU missing' }]);
    expect(store.items.attempts(item('A').id).map((h) => h.outcome)).toEqual(['failed', 'queued', 'failed']);
    expect(item('A').status).toBe('failed');
  });

  it('unchanged on a synced item adds nothing but keeps the value; on a pending item it marks it synced', () => {
    store.items.record('inventory', 1, [{ entityId: 'A', status: 'synced', value: '5' }]);
    const before = item('A');
    time.tick(60_000);
    expect(store.items.record('inventory', 2, [{ entityId: 'A', status: 'unchanged', value: '5' }])).toEqual({ synced: 0, failed: 0, unchanged: 1 });
    expect(item('A')).toEqual(before);
    expect(historyCount(before.id)).toBe(1);

    store.items.record('inventory', 3, [{ entityId: 'B', status: 'unchanged', value: '9' }]);
    expect(item('B')).toMatchObject({ status: 'synced', lastValue: '9', attempts: 1 });
    expect(store.items.attempts(item('B').id)).toEqual([expect.objectContaining({ outcome: 'unchanged', runId: 3, request: null, response: null })]);
  });

  it('unchanged on a failed item marks it synced and clears the error', () => {
    store.items.record('inventory', 1, [{ entityId: 'C', status: 'failed', message: 'boom' }]);
    store.items.record('inventory', 2, [{ entityId: 'C', status: 'unchanged' }]);
    expect(item('C')).toMatchObject({ status: 'synced', error: null });
  });

  it('applies a batch in one transaction: an unknown entity rolls everything back', () => {
    expect(() =>
      store.items.record('inventory', 1, [
        { entityId: 'A', status: 'synced' },
        { entityId: 'nope', status: 'synced' },
      ]),
    ).toThrow(/never registered/);
    expect(item('A').status).toBe('pending');
    expect(historyCount(item('A').id)).toBe(0);
  });

  it('records mixed outcomes in one batch', () => {
    expect(
      store.items.record('inventory', 1, [
        { entityId: 'A', status: 'synced' },
        { entityId: 'B', status: 'failed', message: 'x' },
        { entityId: 'C', status: 'unchanged' },
      ]),
    ).toEqual({ synced: 1, failed: 1, unchanged: 1 });
    expect(store.items.counts('inventory')).toEqual({ pending: 0, synced: 2, failed: 1 });
  });
});

describe('requeue()', () => {
  beforeEach(() => {
    store.items.seen('inventory', refs(['A', 'B', 'C', 'D']));
    store.items.seen('order', refs(['A']));
    store.items.record('inventory', 1, [
      { entityId: 'A', status: 'failed', message: 'x' },
      { entityId: 'B', status: 'failed', message: 'y' },
      { entityId: 'C', status: 'synced' },
    ]);
    store.items.record('order', 1, [{ entityId: 'A', status: 'failed', message: 'z' }]);
    time.tick(5000);
  });

  it('by ids: sets Pending, adds a queued history row, returns the items', () => {
    const ids = [item('A').id, item('C').id];
    const out = store.items.requeue({ ids }, 'Retry from the sync log');
    expect(out.map((i) => [i.entityId, i.status, i.updatedAt])).toEqual(
      expect.arrayContaining([
        ['A', 'pending', '2026-02-01T08:00:05.000Z'],
        ['C', 'pending', '2026-02-01T08:00:05.000Z'],
      ]),
    );
    expect(out).toHaveLength(2);
    expect(item('A')).toMatchObject({ status: 'pending', error: 'x' });
    expect(item('C').status).toBe('pending');
    expect(item('B').status).toBe('failed');
    expect(store.items.attempts(item('A').id)[0]).toMatchObject({ outcome: 'queued', runId: null, message: 'Retry from the sync log' });
  });

  it('by ids ignores unknown and duplicate ids; an empty list does nothing', () => {
    const a = item('A').id;
    expect(store.items.requeue({ ids: [a, a, 999_999] }).map((i) => i.id)).toEqual([a]);
    expect(historyCount(a)).toBe(2);
    expect(store.items.requeue({ ids: [] })).toEqual([]);
  });

  it('by type and status touches only that type and status', () => {
    const out = store.items.requeue({ type: 'inventory', status: 'failed' });
    expect(out.map((i) => i.entityId).sort()).toEqual(['A', 'B']);
    expect(store.items.counts('inventory')).toEqual({ pending: 3, synced: 1, failed: 0 });
    expect(store.items.counts('order')).toEqual({ pending: 0, synced: 0, failed: 1 });
    expect(store.items.entityIds('inventory', 'pending').sort()).toEqual(['A', 'B', 'D']);
  });
});

describe('page()', () => {
  const seed = (n: number, type: 'inventory' | 'order' = 'inventory', prefix = 'E') => {
    for (let i = 1; i <= n; i++) store.items.seen(type, [{ entityId: `${prefix}${i}`, info: `Item ${prefix}${i}` }]);
  };

  it('pages newest first with a keyset cursor and a total', () => {
    seed(25);
    seed(3, 'order');
    const p1 = store.items.page({ type: 'inventory' }, 10);
    expect(p1.items.map((i) => i.entityId)).toEqual(Array.from({ length: 10 }, (_, i) => `E${25 - i}`));
    expect(p1.total).toBe(25);
    expect(p1.nextCursor).toEqual(expect.any(String));
    const p2 = store.items.page({ type: 'inventory' }, 10, decodeCursor(p1.nextCursor!));
    const p3 = store.items.page({ type: 'inventory' }, 10, decodeCursor(p2.nextCursor!));
    expect(p2.items[0]!.entityId).toBe('E15');
    expect(p3.items.map((i) => i.entityId)).toEqual(['E5', 'E4', 'E3', 'E2', 'E1']);
    expect(p3.nextCursor).toBeNull();
  });

  it('has no next cursor when the last page is exactly full', () => {
    seed(20);
    const p1 = store.items.page({ type: 'inventory' }, 10);
    const p2 = store.items.page({ type: 'inventory' }, 10, decodeCursor(p1.nextCursor!));
    expect(p2.items).toHaveLength(10);
    expect(p2.nextCursor).toBeNull();
  });

  it('stays stable while rows are inserted and updated between page requests: no duplicates, no gaps', () => {
    seed(30);
    const original = store.items.page({ type: 'inventory' }, 1000).items.map((i) => i.id);
    const seenIds: number[] = [];
    let cursor: number | null = null;
    let round = 0;
    do {
      const page = store.items.page({ type: 'inventory' }, 7, cursor);
      seenIds.push(...page.items.map((i) => i.id));
      // Between requests: new entities arrive and older ones change.
      seed(3, 'inventory', `NEW${round++}-`);
      const someOld = page.items[page.items.length - 1];
      if (someOld) store.items.record('inventory', null, [{ entityId: someOld.entityId, status: 'synced' }]);
      cursor = page.nextCursor ? decodeCursor(page.nextCursor) : null;
    } while (cursor);
    expect(seenIds).toEqual(original);
    expect(new Set(seenIds).size).toBe(30);
  });

  it('filters by status', () => {
    seed(6);
    store.items.record('inventory', null, [
      { entityId: 'E2', status: 'failed', message: 'x' },
      { entityId: 'E4', status: 'failed', message: 'x' },
      { entityId: 'E5', status: 'synced' },
    ]);
    const failed = store.items.page({ type: 'inventory', status: 'failed' }, 10);
    expect(failed.items.map((i) => i.entityId)).toEqual(['E4', 'E2']);
    expect(failed.total).toBe(2);
    expect(store.items.page({ type: 'inventory', status: 'pending' }, 2).total).toBe(3);
  });

  it('searches info (case-insensitive substring) and exact ids', () => {
    store.items.seen('inventory', [
      { entityId: 'SKU-RED', info: 'Red Mug', bpId: '1001', wcId: '501' },
      { entityId: 'SKU-BLUE', info: 'Blue mug', bpId: '1002', wcId: '502' },
      { entityId: 'SKU-TEE', info: 'T-shirt', bpId: '1003', wcId: '503' },
    ]);
    const search = (s: string) => store.items.page({ type: 'inventory', search: s }, 50).items.map((i) => i.entityId).sort();
    expect(search('mug')).toEqual(['SKU-BLUE', 'SKU-RED']);
    expect(search('MUG')).toEqual(['SKU-BLUE', 'SKU-RED']);
    expect(search('SKU-TEE')).toEqual(['SKU-TEE']);
    expect(search('1002')).toEqual(['SKU-BLUE']);
    expect(search('503')).toEqual(['SKU-TEE']);
    expect(search('SKU')).toEqual([]); // ids match exactly, not as a substring
    expect(store.items.page({ type: 'inventory', search: 'mug' }, 50).total).toBe(2);
  });

  it('treats LIKE special characters literally', () => {
    store.items.seen('inventory', [
      { entityId: '1', info: '100% cotton' },
      { entityId: '2', info: '100 cotton' },
      { entityId: '3', info: 'snake_case name' },
      { entityId: '4', info: 'snakeXcase name' },
      { entityId: '5', info: 'back\\slash' },
      { entityId: '6', info: 'backslash' },
    ]);
    const search = (s: string) => store.items.page({ type: 'inventory', search: s }, 50).items.map((i) => i.info);
    expect(search('%')).toEqual(['100% cotton']);
    expect(search('0% c')).toEqual(['100% cotton']);
    expect(search('_')).toEqual(['snake_case name']);
    expect(search('e_c')).toEqual(['snake_case name']);
    expect(search('\\')).toEqual(['back\\slash']);
    expect(search("'")).toEqual([]);
  });

  it('filters by updatedAt with inclusive from/to', () => {
    seed(5); // all updated at 08:00:00.000
    const at = (entityId: string, iso: string) => {
      time.set(iso);
      store.items.record('inventory', null, [{ entityId, status: 'synced' }]);
    };
    at('E1', '2026-02-02T00:00:00.000Z');
    at('E2', '2026-02-02T12:00:00.000Z');
    at('E3', '2026-02-02T23:59:59.999Z');
    at('E4', '2026-02-03T00:00:00.000Z');
    const range = (from?: string, to?: string) => store.items.page({ type: 'inventory', from, to }, 50).items.map((i) => i.entityId);
    expect(range('2026-02-02T00:00:00.000Z', '2026-02-02T23:59:59.999Z')).toEqual(['E3', 'E2', 'E1']);
    expect(range('2026-02-02T12:00:00.000Z')).toEqual(['E4', 'E3', 'E2']);
    expect(range(undefined, '2026-02-01T23:59:59.999Z')).toEqual(['E5']);
    expect(store.items.page({ type: 'inventory', from: '2026-02-02T00:00:00.000Z', to: '2026-02-02T23:59:59.999Z', status: 'synced' }, 2).total).toBe(3);
  });

  it('encodes and decodes cursors; rejects garbage', () => {
    expect(decodeCursor(encodeCursor(42))).toBe(42);
    for (const bad of ['', 'garbage', Buffer.from('{"id":-1}').toString('base64url'), Buffer.from('{"id":"1"}').toString('base64url'), Buffer.from('{"id":1.5}').toString('base64url'), Buffer.from('[]').toString('base64url')]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });
});

describe('iterate()', () => {
  it('yields every matching row newest first across chunk boundaries', () => {
    for (let i = 1; i <= 23; i++) store.items.seen('inventory', [{ entityId: `E${i}`, info: i % 2 ? 'odd' : 'even' }]);
    store.items.seen('order', refs([1, 2]));
    const all = [...store.items.iterate({ type: 'inventory' }, 5)].map((i) => i.entityId);
    expect(all).toEqual(Array.from({ length: 23 }, (_, i) => `E${23 - i}`));
    // An exact multiple of the chunk size ends cleanly too.
    expect([...store.items.iterate({ type: 'inventory', search: 'odd' }, 4)]).toHaveLength(12);
    expect([...store.items.iterate({ type: 'inventory', search: 'even' }, 11)]).toHaveLength(11);
    expect([...store.items.iterate({ type: 'inventory' }, 23)]).toHaveLength(23);
    expect([...store.items.iterate({ type: 'refund' })]).toEqual([]);
  });

  it('with the default chunk size reads more than one chunk', () => {
    const many = Array.from({ length: 2345 }, (_, i) => ({ entityId: `M${i}`, info: `m${i}` }));
    store.items.seen('product', many);
    const ids = [...store.items.iterate({ type: 'product' })].map((i) => i.id);
    expect(ids).toHaveLength(2345);
    expect(new Set(ids).size).toBe(2345);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });
});

describe('counts(), attempts(), pruneAttempts()', () => {
  it('counts per status with zeros for the missing ones', () => {
    expect(store.items.counts('inventory')).toEqual({ pending: 0, synced: 0, failed: 0 });
    store.items.seen('inventory', refs([1, 2, 3]));
    store.items.record('inventory', null, [{ entityId: '1', status: 'synced' }]);
    expect(store.items.counts('inventory')).toEqual({ pending: 2, synced: 1, failed: 0 });
  });

  it('the trigger-kept counts (totals, counts()) always equal a full count, whatever writes the items', () => {
    const exact = () =>
      Object.fromEntries(
        (store.db.prepare('SELECT type, status, COUNT(*) AS n FROM sync_items GROUP BY type, status').all() as { type: string; status: string; n: number }[]).map((r) => [`${r.type}/${r.status}`, r.n]),
      );
    const kept = () =>
      Object.fromEntries(
        (store.db.prepare('SELECT type, status, n FROM sync_item_counts WHERE n > 0').all() as { type: string; status: string; n: number }[]).map((r) => [`${r.type}/${r.status}`, r.n]),
      );
    store.items.seen('inventory', refs([1, 2, 3, 4, 5]));
    store.items.seen('order', refs([1, 2]));
    store.items.seen('inventory', refs([1, 2], { info: 'renamed', wcId: '9' })); // upsert path: no new rows
    store.items.record('inventory', 1, [
      { entityId: '1', status: 'synced' },
      { entityId: '2', status: 'failed', message: 'x' },
      { entityId: '3', status: 'unchanged' },
    ]);
    store.items.record('inventory', 2, [{ entityId: '2', status: 'failed', message: 'x' }]); // same failure: no status change
    store.items.requeue({ ids: [item('1').id, item('2').id] });
    store.items.requeue({ type: 'inventory', status: 'failed' });
    store.items.record('order', 3, [{ entityId: '2', status: 'synced' }]);
    expect(kept()).toEqual(exact());
    expect(store.items.counts('inventory')).toEqual({ pending: 4, synced: 1, failed: 0 });
    expect(store.items.page({ type: 'inventory' }, 2).total).toBe(5);
    expect(store.items.page({ type: 'inventory', status: 'pending' }, 2).total).toBe(4);
    expect(store.items.page({ type: 'refund' }, 2).total).toBe(0);
    store.db.prepare("DELETE FROM sync_items WHERE type = 'order' AND entity_id = '1'").run();
    expect(kept()).toEqual(exact());
  });

  it('attempts() returns newest first, limited, with JSON parsed and other text kept', () => {
    store.items.seen('inventory', refs(['A']));
    const id = item('A').id;
    for (let i = 0; i < 5; i++) {
      time.tick(1000);
      store.items.record('inventory', i, [{ entityId: 'A', status: 'failed', message: `e${i}`, request: { n: i } }]);
    }
    store.db.prepare("INSERT INTO sync_attempts (item_id, at, outcome, response) VALUES (?, 'x', 'failed', 'not json')").run(id);
    const history = store.items.attempts(id, 3);
    expect(history.map((h) => h.message)).toEqual([null, 'e4', 'e3']);
    expect(history[0]!.response).toBe('not json');
    expect(history[1]!.request).toEqual({ n: 4 });
  });

  it('pruneAttempts deletes history older than a date in chunks and keeps the rest', () => {
    store.items.seen('inventory', refs(['A', 'B']));
    for (let i = 0; i < 12; i++) {
      time.tick(60_000);
      store.items.record('inventory', i, [
        { entityId: 'A', status: 'failed', message: `a${i}` },
        { entityId: 'B', status: 'failed', message: `b${i}` },
      ]);
    }
    // 24 rows from 08:01 to 08:12; delete those before 08:08 (7 minutes × 2 rows).
    expect(store.items.pruneAttempts('2026-02-01T08:08:00.000Z', 3)).toBe(14);
    expect(store.db.prepare('SELECT COUNT(*) FROM sync_attempts').pluck().get()).toBe(10);
    expect(store.db.prepare("SELECT MIN(at) FROM sync_attempts").pluck().get()).toBe('2026-02-01T08:08:00.000Z');
    expect(store.items.pruneAttempts('2026-02-01T08:08:00.000Z')).toBe(0);
    // Items themselves stay.
    expect(store.items.counts('inventory').failed).toBe(2);
  });
});

describe('intents (exactly-once bookkeeping)', () => {
  const { useTempDir } = require('../helpers/tmp') as typeof import('../helpers/tmp');
  const { Store } = require('../../src/store') as typeof import('../../src/store');
  const tmpIntent = useTempDir('bpwc-intent-');

  it('is committed on its own, survives a reopen, shows in history and is replaced once synced', () => {
    const file = tmpIntent.path();
    let store = Store.open(file);
    store.items.seen('order', [{ entityId: '1234', info: '1234' }]);
    store.items.recordIntent('order', '1234', { externalRef: '1234', action: 'create sales order' }, null);
    store.close();
    // A crash here: the process dies before the remote answer is recorded.
    store = Store.open(file);
    expect(store.items.intentOf('order', '1234')?.intent).toEqual({ externalRef: '1234', action: 'create sales order' });
    const item = store.items.getByEntity('order', '1234');
    expect(item?.status).toBe('pending');
    expect(store.items.attempts(item?.id as number)[0]).toMatchObject({ outcome: 'intent' });
    store.items.record('order', null, [{ entityId: '1234', status: 'synced', value: 'bp:41872' }]);
    expect(store.items.intentOf('order', '1234')).toBeUndefined();
    expect(() => store.items.recordIntent('order', 'nope', {})).toThrow(/never registered/);
    store.close();
  });
});
