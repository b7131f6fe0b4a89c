import { Engine } from '../../src/engine/engine';
import { csvCell } from '../../src/api/routes/logs';
import { TEST_TOKEN, auth, createApiHarness, dumpItems, type ApiHarness } from '../helpers/context';
import { manualClock } from '../helpers/clock';
import { FakeFlow } from '../helpers/fake-flow';
import { waitFor } from '../helpers/async';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-api-logs-');

function expectError(res: { statusCode: number; json(): any; body: string }, status: number, code: string, mentions?: string | RegExp) {
  expect({ status: res.statusCode, body: res.json() }).toEqual({ status, body: { error: { code, message: expect.any(String) } } });
  if (mentions) expect(res.json().error.message).toMatch(mentions);
  expect(res.body).not.toContain(TEST_TOKEN);
}

/** RFC 4180 parser for the export (quoted fields, doubled quotes, CRLF records). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      // A bare quote or line break inside an unquoted cell is not RFC 4180.
      if (c === '"' || c === '\n' || c === '\r') throw new Error(`unquoted ${JSON.stringify(c)} at ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 40), i + 10))}`);
      cell += c;
    }
  }
  if (quoted || cell !== '' || row.length) throw new Error('the CSV does not end with a complete CRLF-terminated record');
  return rows;
}

const SPECIAL_INFO: Record<number, string> = {
  5: '100% cotton, "tee"',
  6: '=HYPERLINK("http://evil.example","click")',
  7: '+1 555 0100',
  8: '-5 units',
  9: '@SUM(A1:A2)',
  10: 'multi\nline\r\nname',
  12: 'snake_case widget',
  13: '\tTabbed',
};

/** 30 inventory items: 1-10 synced on Feb 2, 11-20 failed on Feb 3, 21-30 pending since Feb 1; 3 orders; 1203 products. */
function seed(h: ApiHarness, time: ReturnType<typeof manualClock>): void {
  const { items } = h.ctx.store;
  time.set('2026-02-01T08:00:00.000Z');
  for (let i = 1; i <= 30; i++) items.seen('inventory', [{ entityId: `I${i}`, info: SPECIAL_INFO[i] ?? `Product ${i}`, bpId: `${1000 + i}`, wcId: `${500 + i}` }]);
  items.seen('order', [1, 2, 3].map((i) => ({ entityId: `O${i}`, info: `Order ${i}` })));
  items.seen('product', Array.from({ length: 1203 }, (_, i) => ({ entityId: `P${i + 1}`, info: `Product row ${i + 1}` })));
  time.set('2026-02-02T10:00:00.000Z');
  items.record('inventory', null, Array.from({ length: 10 }, (_, i) => ({ entityId: `I${i + 1}`, status: 'synced' as const })));
  time.set('2026-02-03T10:00:00.000Z');
  items.record('inventory', null, Array.from({ length: 10 }, (_, i) => ({ entityId: `I${i + 11}`, status: 'failed' as const, message: 'SKU missing, "quoted"' })));
  time.set('2026-02-03T11:00:00.000Z');
  items.record('inventory', null, [{ entityId: 'I11', status: 'failed', message: '=cmd|calc' }]);
}

describe('reading the sync log', () => {
  const time = manualClock();
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness({ file: tmp.path(), flows: {}, clock: time.clock });
    seed(h, time);
  });
  afterAll(async () => h.close());
  const get = (url: string) => h.request({ method: 'GET', url, headers: auth() });
  const ids = (body: { items: { entityId: string }[] }) => body.items.map((i) => i.entityId);

  describe('GET /api/v1/logs validation', () => {
    it.each([
      ['a missing type', '', /^query\.type: must be one of inventory, product, order, refund, shipment/],
      ['an unknown type', 'type=widgets', /^query\.type: /],
      ['an unknown status', 'type=inventory&status=done', /^query\.status: must be one of pending, synced, failed/],
      ['limit 0', 'type=inventory&limit=0', /^query\.limit: /],
      ['limit 501', 'type=inventory&limit=501', /^query\.limit: /],
      ['a non-numeric limit', 'type=inventory&limit=ten', /^query\.limit: /],
      ['a fractional limit', 'type=inventory&limit=2.5', /^query\.limit: /],
      ['a bad from', 'type=inventory&from=yesterday', /^query\.from: must be an ISO 8601/],
      ['an impossible from', 'type=inventory&from=2026-13-01', /^query\.from: /],
      ['a day that does not exist', 'type=inventory&to=2026-02-30', /^query\.to: must be an ISO 8601/],
      ['a bad to', 'type=inventory&to=2026-02-01T25:00', /^query\.to: /],
      ['from after to', 'type=inventory&from=2026-02-03&to=2026-02-02', /^query\.from: from must not be after to/],
      ['a garbage cursor', 'type=inventory&cursor=not-a-cursor', /^query\.cursor: /],
      ['a forged cursor', `type=inventory&cursor=${Buffer.from('{"id":0}').toString('base64url')}`, /^query\.cursor: /],
      ['an overlong cursor', `type=inventory&cursor=${'a'.repeat(201)}`, /^query\.cursor: /],
      ['an overlong search', `type=inventory&search=${'a'.repeat(201)}`, /^query\.search: /],
      ['an unknown parameter', 'type=inventory&page=2', /^query: unknown field\(s\) page/],
    ])('%s is a 400 naming the field', async (_label, qs, mentions) => {
      expectError(await get(`/api/v1/logs?${qs}`), 400, 'invalid_request', mentions);
    });
  });

  describe('GET /api/v1/logs', () => {
    it('returns a page newest first with the documented item fields', async () => {
      const res = await get('/api/v1/logs?type=inventory&limit=3');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.total).toBe(30);
      expect(ids(body)).toEqual(['I30', 'I29', 'I28']);
      expect(body.nextCursor).toEqual(expect.any(String));
      const failed = (await get('/api/v1/logs?type=inventory&status=failed&search=I11')).json().items[0];
      expect(failed).toEqual({
        id: expect.any(Number),
        type: 'inventory',
        info: 'Product 11',
        entityId: 'I11',
        brightpearlId: '1011',
        woocommerceId: '511',
        status: 'failed',
        syncedAt: '2026-02-01T08:00:00.000Z',
        updatedAt: '2026-02-03T11:00:00.000Z',
        error: '=cmd|calc',
        attempts: 2,
      });
    });

    it('uses 50 as the default limit and treats empty parameters as absent', async () => {
      const body = (await get('/api/v1/logs?type=product&status=&search=&from=&to=&cursor=&limit=')).json();
      expect(body.items).toHaveLength(50);
      expect(body.total).toBe(1203);
    });

    it('pages with nextCursor to the end: every row once, no gaps, total on every page', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const body: any = (await get(`/api/v1/logs?type=inventory&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json();
        expect(body.total).toBe(30);
        seen.push(...ids(body));
        cursor = body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(5);
      expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => `I${30 - i}`));
    });

    it('filters by status', async () => {
      const failed = (await get('/api/v1/logs?type=inventory&status=failed')).json();
      expect(failed.total).toBe(10);
      expect(ids(failed)).toEqual(Array.from({ length: 10 }, (_, i) => `I${20 - i}`));
      expect((await get('/api/v1/logs?type=order&status=pending')).json().total).toBe(3);
      expect((await get('/api/v1/logs?type=refund')).json()).toEqual({ items: [], nextCursor: null, total: 0 });
    });

    it('searches info, ids and treats % and _ literally', async () => {
      const search = async (s: string) => ids((await get(`/api/v1/logs?type=inventory&search=${encodeURIComponent(s)}`)).json());
      expect(await search('cotton')).toEqual(['I5']);
      expect(await search('COTTON')).toEqual(['I5']);
      expect(await search('%')).toEqual(['I5']);
      expect(await search('_')).toEqual(['I12']);
      expect(await search('1003')).toEqual(['I3']);
      expect(await search('530')).toEqual(['I30']);
      expect(await search('I7')).toEqual(['I7']);
      expect(await search('  cotton  ')).toEqual(['I5']);
      const body = (await get('/api/v1/logs?type=inventory&search=Product&limit=2')).json();
      expect(body.total).toBe(22);
    });

    it('filters by a date range on updatedAt (bare dates cover the whole UTC day)', async () => {
      const range = async (qs: string) => (await get(`/api/v1/logs?type=inventory&${qs}`)).json();
      const feb2 = await range('from=2026-02-02&to=2026-02-02');
      expect(feb2.total).toBe(10);
      expect(ids(feb2)).toEqual(Array.from({ length: 10 }, (_, i) => `I${10 - i}`));
      expect((await range('from=2026-02-03')).total).toBe(10);
      expect((await range('to=2026-02-01')).total).toBe(10);
      expect((await range('from=2026-02-03T10:30:00Z')).items.map((i: { entityId: string }) => i.entityId)).toEqual(['I11']);
      expect((await range('from=2026-02-03T12:30:00%2B02:00&to=2026-02-03T13:00:00%2B02:00')).items.map((i: { entityId: string }) => i.entityId)).toEqual(['I11']);
      expect((await range('from=2026-02-02T10:00:00&to=2026-02-02T10:00:00')).total).toBe(10);
      expect((await range('from=2026-02-02&to=2026-02-03&status=failed')).total).toBe(10);
      expect((await range('from=2026-03-01')).total).toBe(0);
    });
  });

  describe('GET /api/v1/logs/:id', () => {
    it('returns the item with its attempt history, newest first', async () => {
      const id = h.ctx.store.items.getByEntity('inventory', 'I11')!.id;
      const res = await get(`/api/v1/logs/${id}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ id, entityId: 'I11', status: 'failed', error: '=cmd|calc' });
      expect(body.history).toEqual([
        { id: expect.any(Number), runId: null, at: '2026-02-03T11:00:00.000Z', outcome: 'failed', message: '=cmd|calc', request: null, response: null },
        { id: expect.any(Number), runId: null, at: '2026-02-03T10:00:00.000Z', outcome: 'failed', message: 'SKU missing, "quoted"', request: null, response: null },
      ]);
      const pending = h.ctx.store.items.getByEntity('inventory', 'I25')!.id;
      expect((await get(`/api/v1/logs/${pending}`)).json().history).toEqual([]);
    });

    it('404 for an unknown id, 400 for a bad one', async () => {
      expectError(await get('/api/v1/logs/999999'), 404, 'not_found', /999999/);
      expectError(await get('/api/v1/logs/abc'), 400, 'invalid_request', /^params\.id: /);
      expectError(await get('/api/v1/logs/-3'), 400, 'invalid_request', /^params\.id: /);
    });
  });

  describe('GET /api/v1/logs/export.csv', () => {
    it('streams the header and every row of the filter, RFC 4180 quoted, as an attachment', async () => {
      const res = await get('/api/v1/logs/export.csv?type=inventory');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="brightpearl-sync-inventory-logs-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(res.headers['cache-control']).toBe('no-store');
      const rows = parseCsv(res.body);
      expect(rows[0]).toEqual(['id', 'type', 'info', 'entity_id', 'brightpearl_id', 'woocommerce_id', 'status', 'synced_at', 'updated_at', 'attempts', 'error']);
      expect(rows).toHaveLength(31);

      // Same rows as the JSON API, in the same order.
      const api = (await get('/api/v1/logs?type=inventory&limit=500')).json().items as any[];
      const guard = (s: string | null) => (s === null ? '' : /^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
      expect(rows.slice(1)).toEqual(
        api.map((i) => [String(i.id), i.type, guard(i.info), i.entityId, i.brightpearlId ?? '', i.woocommerceId ?? '', i.status, i.syncedAt, i.updatedAt, String(i.attempts), guard(i.error)]),
      );
      const byEntity = new Map(rows.slice(1).map((r) => [r[3], r]));
      expect(byEntity.get('I5')![2]).toBe('100% cotton, "tee"');
      expect(byEntity.get('I10')![2]).toBe('multi\nline\r\nname');
      expect(byEntity.get('I12')![10]).toBe('SKU missing, "quoted"');
    });

    it('guards cells a spreadsheet would run as a formula', async () => {
      const rows = parseCsv((await get('/api/v1/logs/export.csv?type=inventory')).body);
      const info = new Map(rows.slice(1).map((r) => [r[3], r[2]]));
      expect(info.get('I6')).toBe(`'${SPECIAL_INFO[6]}`);
      expect(info.get('I7')).toBe(`'${SPECIAL_INFO[7]}`);
      expect(info.get('I8')).toBe(`'${SPECIAL_INFO[8]}`);
      expect(info.get('I9')).toBe(`'${SPECIAL_INFO[9]}`);
      expect(info.get('I13')).toBe(`'${SPECIAL_INFO[13]}`);
      expect(info.get('I1')).toBe('Product 1');
      expect(rows.find((r) => r[3] === 'I11')![10]).toBe("'=cmd|calc");
      // The raw text: the formula cell is quoted because of its comma and quotes, with the guard inside.
      expect(csvCell('=1+2')).toBe("'=1+2");
      expect(csvCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
      expect(csvCell(null)).toBe('');
      expect(csvCell(42)).toBe('42');
    });

    it('exports more rows than one write chunk, each once, newest first', async () => {
      const res = await get('/api/v1/logs/export.csv?type=product');
      const rows = parseCsv(res.body).slice(1);
      expect(rows).toHaveLength(1203);
      expect(rows.map((r) => r[3])).toEqual(Array.from({ length: 1203 }, (_, i) => `P${1203 - i}`));
    });

    it('applies the same filters as /logs', async () => {
      const rows = (qs: string) => get(`/api/v1/logs/export.csv?type=inventory&${qs}`).then((r) => parseCsv(r.body).slice(1));
      expect((await rows('status=failed')).map((r) => r[3])).toEqual(Array.from({ length: 10 }, (_, i) => `I${20 - i}`));
      expect((await rows('search=%25')).map((r) => r[3])).toEqual(['I5']);
      expect((await rows('from=2026-02-02&to=2026-02-02')).length).toBe(10);
      const empty = await get('/api/v1/logs/export.csv?type=refund');
      expect(empty.body).toBe('id,type,info,entity_id,brightpearl_id,woocommerce_id,status,synced_at,updated_at,attempts,error\r\n');
    });

    it('validates its query like /logs (JSON errors, no paging parameters)', async () => {
      expectError(await get('/api/v1/logs/export.csv'), 400, 'invalid_request', /^query\.type: /);
      expectError(await get('/api/v1/logs/export.csv?type=inventory&status=nope'), 400, 'invalid_request', /^query\.status: /);
      expectError(await get('/api/v1/logs/export.csv?type=inventory&from=nope'), 400, 'invalid_request', /^query\.from: /);
      expectError(await get('/api/v1/logs/export.csv?type=inventory&limit=5'), 400, 'invalid_request', /unknown field\(s\) limit/);
    });
  });
});

describe('POST /api/v1/logs/retry', () => {
  const time = manualClock();
  let h: ApiHarness;
  let flow: FakeFlow;
  beforeEach(async () => {
    time.set('2026-02-01T08:00:00.000Z');
    flow = new FakeFlow('inventory', Array.from({ length: 6 }, (_, i) => ({ entityId: `I${i + 1}`, outcome: 'synced' as const })));
    h = await createApiHarness({ file: tmp.path(), flows: { inventory: flow }, clock: time.clock });
    const { items } = h.ctx.store;
    items.seen('inventory', Array.from({ length: 6 }, (_, i) => ({ entityId: `I${i + 1}`, info: `Product ${i + 1}` })));
    items.seen('order', [{ entityId: 'O1', info: 'Order 1' }]);
    time.tick(60_000);
    items.record('inventory', null, [
      { entityId: 'I1', status: 'failed', message: 'x' },
      { entityId: 'I2', status: 'failed', message: 'y' },
      { entityId: 'I3', status: 'failed', message: 'z' },
      { entityId: 'I4', status: 'synced' },
    ]);
    items.record('order', null, [{ entityId: 'O1', status: 'failed', message: 'o' }]);
    time.tick(60_000);
  });
  afterEach(async () => h.close());

  const retry = (payload: unknown, headers: Record<string, string> = {}) => h.request({ method: 'POST', url: '/api/v1/logs/retry', payload, headers: { ...auth(), ...headers } });
  const idOf = (entityId: string, type: 'inventory' | 'order' = 'inventory') => h.ctx.store.items.getByEntity(type, entityId)!.id;
  const runFinished = (runId: number) => waitFor(() => h.ctx.store.runs.get(runId)?.status !== 'running' && h.ctx.engine.runningRunId('inventory') === undefined, { what: `run ${runId}` });

  it('by ids: re-queues them and starts a run limited to them', async () => {
    const res = await retry({ ids: [idOf('I1'), idOf('I4')] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({ queued: 2, runs: [{ type: 'inventory', runId: expect.any(Number), queued: false }] });
    await runFinished(body.runs[0].runId);
    expect(h.ctx.store.runs.get(body.runs[0].runId)).toMatchObject({ trigger: 'retry', status: 'succeeded', counts: { seen: 2, synced: 2 } });
    expect([...(flow.runs[0]!.scope ?? [])].sort()).toEqual(['I1', 'I4']);
    expect(h.ctx.store.items.get(idOf('I1'))?.status).toBe('synced');
    expect(h.ctx.store.items.get(idOf('I2'))?.status).toBe('failed');
    expect(h.ctx.store.items.attempts(idOf('I1')).map((a) => a.outcome)).toEqual(['synced', 'queued', 'failed']);
  });

  it('by ids while the flow runs: queued as one follow-up run', async () => {
    flow.hold();
    const running = h.ctx.engine.start('inventory', { trigger: 'schedule' });
    const a = (await retry({ ids: [idOf('I1')] })).json();
    const b = (await retry({ ids: [idOf('I2')] })).json();
    expect(a).toEqual({ queued: 1, runs: [{ type: 'inventory', runId: null, queued: true }] });
    expect(b).toEqual({ queued: 1, runs: [{ type: 'inventory', runId: null, queued: true }] });
    expect(h.ctx.store.items.get(idOf('I1'))?.status).toBe('pending');
    flow.release();
    await running.done;
    await waitFor(() => flow.runs.length === 2 && h.ctx.engine.runningRunId('inventory') === undefined, { what: 'the follow-up run' });
    expect(flow.runs[1]!.trigger).toBe('retry');
    expect([...(flow.runs[1]!.scope ?? [])].sort()).toEqual(['I1', 'I2']);
  });

  it('by {type, status: failed}: re-queues every failed item of that type only', async () => {
    const res = await retry({ type: 'inventory', status: 'failed' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({ queued: 3, runs: [{ type: 'inventory', runId: expect.any(Number), queued: false }] });
    await runFinished(body.runs[0].runId);
    expect([...(flow.runs[0]!.scope ?? [])].sort()).toEqual(['I1', 'I2', 'I3']);
    expect(h.ctx.store.items.counts('inventory')).toEqual({ pending: 2, synced: 4, failed: 0 });
    expect(h.ctx.store.items.counts('order')).toEqual({ pending: 0, synced: 0, failed: 1 });
    // Nothing failed any more: nothing to do.
    expect((await retry({ type: 'inventory', status: 'failed' })).json()).toEqual({ queued: 0, runs: [] });
  });

  it('re-queues items of a flow without an implementation but starts no run for it', async () => {
    const body = (await retry({ ids: [idOf('O1', 'order'), idOf('I2')] })).json();
    expect(body.queued).toBe(2);
    expect(body.runs).toEqual([{ type: 'inventory', runId: expect.any(Number), queued: false }]);
    await runFinished(body.runs[0].runId);
    expect(h.ctx.store.items.get(idOf('O1', 'order'))?.status).toBe('pending');
    expect(h.ctx.store.runs.latest('order')).toBeUndefined();
  });

  it('answers 200 when another process is running the flow; the items stay queued for it', async () => {
    const other = new FakeFlow('inventory').hold();
    const otherEngine = new Engine({ store: h.ctx.store, flows: { inventory: other }, owner: 'other-host:1:x' });
    const otherRun = otherEngine.start('inventory', { trigger: 'schedule' });
    try {
      const res = await retry({ ids: [idOf('I1')] });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ queued: 1, runs: [{ type: 'inventory', runId: null, queued: false, error: expect.stringMatching(/already running/) }] });
      expect(h.ctx.store.items.get(idOf('I1'))?.status).toBe('pending');
    } finally {
      other.release();
      await otherRun.done;
    }
  });

  describe('changes nothing when it refuses', () => {
    const cases: { label: string; payload: unknown; headers?: Record<string, string>; status: number; code: string; mentions?: RegExp }[] = [
      { label: 'an unknown id', payload: { ids: [999_999] }, status: 404, code: 'not_found', mentions: /999999/ },
      { label: 'known ids with one unknown', payload: { ids: [1, 2, 999_999] }, status: 404, code: 'not_found', mentions: /999999/ },
      { label: 'malformed JSON', payload: '{"ids": [1, 2', headers: { 'content-type': 'application/json' }, status: 400, code: 'invalid_json' },
      { label: 'an empty JSON body', payload: '', headers: { 'content-type': 'application/json' }, status: 400, code: 'invalid_request', mentions: /^body: / },
      { label: 'no body', payload: undefined, status: 400, code: 'invalid_request', mentions: /^body: / },
      { label: 'an empty id list', payload: { ids: [] }, status: 400, code: 'invalid_request', mentions: /ids/ },
      { label: 'string ids', payload: { ids: ['1'] }, status: 400, code: 'invalid_request' },
      { label: 'id 0', payload: { ids: [0] }, status: 400, code: 'invalid_request' },
      { label: 'bulk retry of synced items', payload: { type: 'inventory', status: 'synced' }, status: 400, code: 'invalid_request' },
      { label: 'bulk retry of an unknown type', payload: { type: 'widgets', status: 'failed' }, status: 400, code: 'invalid_request' },
      { label: 'an empty object', payload: {}, status: 400, code: 'invalid_request' },
      { label: 'ids and an extra field', payload: { ids: [1], force: true }, status: 400, code: 'invalid_request' },
      { label: 'a form body', payload: 'ids=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
    ];
    it.each(cases)('$label', async ({ payload, headers, status, code, mentions }) => {
      const before = dumpItems(h.ctx.store);
      expect(before.items.length).toBeGreaterThan(0);
      expectError(await retry(payload, headers ?? {}), status, code, mentions);
      expect(dumpItems(h.ctx.store)).toEqual(before);
      expect(h.ctx.engine.runningRunId('inventory')).toBeUndefined();
      expect(flow.runs).toHaveLength(0);
    });
  });
});
