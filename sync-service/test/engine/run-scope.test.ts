import { Engine } from '../../src/engine/engine';
import type { Flow } from '../../src/engine/flow';
import { noteRetry, takeRetries } from '../../src/engine/run-scope';
import { Store } from '../../src/store';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-run-scope-');

describe('retries in the attempt history', () => {
  it('attributes retries to the run in flight and shows them on the entities it records next', async () => {
    const store = Store.open(tmp.path());
    store.flows.ensure({});
    const flow: Flow = {
      type: 'order',
      async run(ctx) {
        ctx.seen([{ entityId: '1', info: '1' }, { entityId: '2', info: '2' }, { entityId: '3', info: '3' }]);
        // A client retried twice while handling orders 1 and 2 (e.g. inside an awaited HTTP call).
        await new Promise((r) => setTimeout(r, 1));
        noteRetry({ system: 'brightpearl', call: 'POST order-service/sales-order', attempt: 1, reason: 'HTTP 503' });
        noteRetry({ system: 'brightpearl', call: 'POST order-service/sales-order', attempt: 2, reason: 'timeout' });
        ctx.record([
          { entityId: '1', status: 'synced', message: 'Created Brightpearl order 41872' },
          { entityId: '2', status: 'failed', message: 'Unknown SKU X' },
        ]);
        ctx.record([{ entityId: '3', status: 'synced', message: 'Created Brightpearl order 41873' }]);
      },
    };
    const engine = new Engine({ store, flows: { order: flow } });
    await engine.start('order', { trigger: 'test' }).done;
    const message = (id: string) => store.items.attempts((store.items.getByEntity('order', id) as { id: number }).id)[0]?.message;
    expect(message('1')).toBe('Created Brightpearl order 41872 — after 2 retries (brightpearl HTTP 503; brightpearl timeout)');
    expect(message('2')).toContain('Unknown SKU X — after 2 retries');
    expect(message('3')).toBe('Created Brightpearl order 41873');
    // Outside a run nothing is collected.
    noteRetry({ system: 'woocommerce', call: 'GET products', attempt: 1, reason: 'HTTP 502' });
    expect(takeRetries()).toEqual([]);
    store.close();
  });
});
