/**
 * Shipments: Brightpearl → WooCommerce tracking and completion.
 *
 * A shipped goods-out note puts its tracking number and carrier on the WooCommerce order, and the
 * order is completed once Brightpearl says all of it has shipped. Entity = the Brightpearl
 * goods-out note id; Info = that id; the log row's ids are the Brightpearl sales order and the
 * WooCommerce order.
 *
 * Selection. Goods-out notes have no updatedOn, so the watermark is `shippedOn`: goods-out-search
 * `shipped=true&shippedOn=<cursor − overlap>/` (or `ctx.since`, or 24 hours back on the very first
 * run), then the notes' details by ID set. Transfer notes (`transfer: true`, order 0) are skipped.
 * Only notes of orders the order flow sent to Brightpearl (an 'order' id mapping) are handled;
 * every other note belongs to an order that did not come from WooCommerce (phone orders, POS,
 * marketplaces) and is ignored without a log row — a WooCommerce order that failed to reach
 * Brightpearl already has its own Failed row, and Brightpearl cannot ship an order it does not
 * have. Notes the log shows Synced are skipped (a shipped note cannot change); Failed and Pending
 * rows are retried by every unscoped run; `ctx.scope` (note ids) limits a run to those notes. The
 * cursor moves to the run's start after an unscoped run that was not stopped.
 *
 * Writing, per WooCommerce order (its new notes together, oldest first):
 *  - carrier = the note's shipping method (name; its `carrier` when Brightpearl has one), read
 *    once per run. Tracking provider: a provider name of the Shipment Tracking extension when the
 *    carrier is one of them (e.g. "Royal Mail Tracked 24" → Royal Mail), else a custom provider
 *    named after the shipping method (no link);
 *  - with the Shipment Tracking extension: POST shipment-trackings, unless the order already has
 *    a tracking item with that number (read first, every time — that is what makes a re-run, or a
 *    run after a crash between the write and the local commit, add nothing);
 *  - without it: a customer note "Your order has shipped with <carrier>: <number>" and an entry
 *    for the note in the order meta `_bpwc_shipments` ({noteId, trackingNumber, carrier,
 *    shippedOn, note}). The meta entry is written after the note and is the record that the note
 *    is done; if the service died between the two, the order has one more such customer note
 *    than meta entries with that text, so the note is not added again — only the meta;
 *  - a note shipped without a tracking number adds no tracking item (the extension needs a
 *    number); without the extension it still gets its customer note;
 *  - an intent is recorded in the log before the first write of a note;
 *  - completion, after the tracking (so the "Completed order" email carries it): when the
 *    Brightpearl order's shippingStatusCode is ASS (all shipped) the order becomes `completed`.
 *    Otherwise (SPS, part shipped) it keeps its status and gets a private note "Partially
 *    shipped: …" naming the goods-out note, added once per note;
 *  - an order WooCommerce already has completed, cancelled, refunded, failed or in the trash keeps
 *    its status and gets no partial note — only tracking it does not have yet (the log says so).
 * If any note of an order fails, the order is not completed in that run (the retry completes it
 * with every tracking on it).
 */
import type { BrightpearlClient } from '../brightpearl/client';
import { isValidId } from '../brightpearl/idset';
import type { BrightpearlGoodsOutNote, BrightpearlOrder } from '../brightpearl/schemas';
import { SYNC_STATUS } from '../domain/constants';
import type { Flow, FlowContext } from '../engine/flow';
import { HttpError } from '../http/request';
import type { EntityRef, Outcome } from '../store';
import type { ShipmentTrackingWrite, WooCommerceClient } from '../woocommerce/client';
import type { WooOrder, WooOrderNote, WooShipmentTrackingItem } from '../woocommerce/schemas';

/** What the flow reads from Brightpearl. */
export type ShipmentSource = Pick<BrightpearlClient, 'searchGoodsOutNotes' | 'getGoodsOutNotes' | 'getOrders' | 'getShippingMethods'>;

/** What the flow reads and writes in WooCommerce. */
export type ShipmentTarget = Pick<
  WooCommerceClient,
  'getOrder' | 'updateOrder' | 'addOrderNote' | 'listOrderNotes' | 'listShipmentTrackings' | 'addShipmentTracking'
>;

export interface ShipmentFlowOptions {
  brightpearl: ShipmentSource;
  woocommerce: ShipmentTarget;
  /** Goods-out notes handled per step (≤500, one GET). */
  chunkSize?: number;
  /** How far before the cursor the shippedOn search starts (clock skew, notes shipped while a run reads). */
  overlapMs?: number;
  /** How far back the very first run looks. */
  initialLookbackMs?: number;
  /** Provider names the store's Shipment Tracking extension lists; default KNOWN_TRACKING_PROVIDERS. */
  trackingProviders?: readonly string[];
}

export const SHIPMENT_CURSOR_OVERLAP_MS = 10 * 60_000;
export const SHIPMENT_INITIAL_LOOKBACK_MS = 24 * 3_600_000;
/** Order meta listing the goods-out notes written as customer notes (stores without Shipment Tracking). */
export const SHIPMENTS_META_KEY = '_bpwc_shipments';

/**
 * Carrier names the Shipment Tracking extension lists (UK and US ones; its list changes between
 * versions). A carrier not here is sent as a custom provider, which the extension shows as typed.
 */
export const KNOWN_TRACKING_PROVIDERS: readonly string[] = ['Royal Mail', 'ParcelForce', 'DPD', 'DHL', 'Evri', 'InPost', 'UPS', 'USPS', 'Fedex'];

/** WooCommerce statuses the flow never changes (the order is finished one way or another). */
const FINAL_STATUSES = new Set(['completed', 'cancelled', 'refunded', 'failed', 'trash']);

export interface ShipmentMetaEntry {
  noteId: number;
  trackingNumber: string;
  carrier: string;
  shippedOn: string | null;
  /** The customer note's text. */
  note: string;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const normalize = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/**
 * The Shipment Tracking provider for a carrier: the listed name when the carrier (or the shipping
 * method's name) is that provider or starts with it as a word ("Royal Mail Tracked 24").
 */
export function matchTrackingProvider(candidates: (string | undefined)[], providers: readonly string[] = KNOWN_TRACKING_PROVIDERS): string | undefined {
  const byLength = [...providers].sort((a, b) => b.length - a.length);
  for (const candidate of candidates) {
    if (!candidate) continue;
    const text = normalize(candidate);
    const hit = byLength.find((p) => {
      const name = normalize(p);
      return name !== '' && (text === name || text.startsWith(`${name} `));
    });
    if (hit) return hit;
  }
  return undefined;
}

/** WooCommerce may hand note text back entity-encoded; compare what a reader sees. */
function plainText(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&#039;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

const sameNumber = (a: string, b: string) => a.replace(/\s+/g, '').toUpperCase() === b.replace(/\s+/g, '').toUpperCase();

/** The customer note of a shipment (stores without Shipment Tracking). */
export function customerNoteText(carrier: string, trackingNumber: string): string {
  return trackingNumber ? `Your order has shipped with ${carrier}: ${trackingNumber}` : `Your order has shipped with ${carrier}.`;
}

/** What identifies our private "Partially shipped" note of a goods-out note. */
export const partialNoteMarker = (noteId: number) => `(Brightpearl goods-out note ${noteId})`;

export function readShipmentsMeta(order: Pick<WooOrder, 'meta_data'>): ShipmentMetaEntry[] {
  const meta = order.meta_data.find((m) => m.key === SHIPMENTS_META_KEY);
  let value: unknown = meta?.value;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      value = [];
    }
  }
  if (!Array.isArray(value)) return [];
  return value.flatMap((v): ShipmentMetaEntry[] => {
    if (typeof v !== 'object' || v === null) return [];
    const e = v as Record<string, unknown>;
    const noteId = Number(e.noteId);
    if (!isValidId(noteId)) return [];
    return [
      {
        noteId,
        trackingNumber: String(e.trackingNumber ?? ''),
        carrier: String(e.carrier ?? ''),
        shippedOn: typeof e.shippedOn === 'string' ? e.shippedOn : null,
        note: String(e.note ?? ''),
      },
    ];
  });
}

interface Carrier {
  /** What the customer reads: the shipping method's name. */
  name: string;
  /** The Shipment Tracking provider, when it lists this carrier. */
  provider?: string;
}

interface RunState {
  carriers?: Map<number, Carrier>;
}

/** What happened to one note while its order was handled. */
interface NoteResult {
  note: BrightpearlGoodsOutNote;
  trackingNumber: string;
  carrier: Carrier;
  /** Things written for it in WooCommerce. */
  wrote: string[];
  /** Things that were already there. */
  found: string[];
  failed?: string;
  /** The order was completed in this run (after this note's tracking). */
  completed?: boolean;
  request?: unknown;
}

export class ShipmentFlow implements Flow {
  readonly type = 'shipment' as const;
  private readonly chunkSize: number;
  private readonly overlapMs: number;
  private readonly initialLookbackMs: number;
  private readonly providers: readonly string[];

  constructor(private readonly options: ShipmentFlowOptions) {
    this.chunkSize = Math.min(500, Math.max(1, options.chunkSize ?? 100));
    this.overlapMs = options.overlapMs ?? SHIPMENT_CURSOR_OVERLAP_MS;
    this.initialLookbackMs = options.initialLookbackMs ?? SHIPMENT_INITIAL_LOOKBACK_MS;
    this.providers = options.trackingProviders ?? KNOWN_TRACKING_PROVIDERS;
  }

  async run(ctx: FlowContext): Promise<void> {
    const startedAt = ctx.store.runs.get(ctx.runId)?.startedAt ?? ctx.store.clock().toISOString();
    const run: RunState = {};
    let ids: number[];
    if (ctx.scope) {
      ids = [...new Set(ctx.scope.map(Number).filter(isValidId))];
    } else {
      const from = this.windowStart(ctx);
      const rows = await this.options.brightpearl.searchGoodsOutNotes({
        shipped: true,
        shippedOn: `${from.toISOString()}/`,
        columns: 'goodsOutNoteId,orderId,transfer,shipped,shippedOn',
      });
      const due = new Set<number>();
      for (const row of rows) {
        if (row.transfer || !isValidId(row.orderId) || row.shipped === false) continue;
        if (!ctx.store.mappings.byBrightpearl('order', String(row.orderId))) continue; // not a WooCommerce order
        if (ctx.store.items.getByEntity('shipment', String(row.goodsOutNoteId))?.status === SYNC_STATUS.SYNCED) continue;
        due.add(row.goodsOutNoteId);
      }
      for (const id of [...ctx.store.items.entityIds('shipment', SYNC_STATUS.FAILED), ...ctx.store.items.entityIds('shipment', SYNC_STATUS.PENDING)]) {
        if (isValidId(Number(id))) due.add(Number(id));
      }
      ids = [...due];
    }
    ids.sort((a, b) => a - b);
    for (const chunk of chunked(ids, this.chunkSize)) {
      if (ctx.signal.aborted) return;
      await this.syncChunk(ctx, chunk, run);
    }
    if (!ctx.scope && !ctx.signal.aborted) ctx.store.flows.setCursor('shipment', startedAt);
  }

  private windowStart(ctx: FlowContext): Date {
    if (ctx.since) {
      const ms = Date.parse(ctx.since);
      if (Number.isNaN(ms)) throw new Error(`Cannot resync shipments from "${ctx.since}": not a date.`);
      return new Date(ms);
    }
    const cursor = ctx.store.flows.getCursor('shipment');
    const ms = cursor ? Date.parse(cursor) : Number.NaN;
    return new Date(Number.isNaN(ms) ? ctx.store.clock().getTime() - this.initialLookbackMs : ms - this.overlapMs);
  }

  private async carriers(run: RunState): Promise<Map<number, Carrier>> {
    if (!run.carriers) {
      const methods = await this.options.brightpearl.getShippingMethods();
      run.carriers = new Map(
        methods.map((m) => {
          const carrier = typeof m.carrier === 'string' ? m.carrier : undefined;
          return [m.id, { name: m.name, provider: matchTrackingProvider([carrier, m.name], this.providers) }];
        }),
      );
    }
    return run.carriers;
  }

  private async syncChunk(ctx: FlowContext, ids: number[], run: RunState): Promise<void> {
    const known = (id: number) => ctx.store.items.getByEntity('shipment', String(id)) !== undefined;
    const outcomes: Outcome[] = [];
    let notes: BrightpearlGoodsOutNote[];
    let orders: Map<number, BrightpearlOrder>;
    let carriers: Map<number, Carrier>;
    try {
      notes = await this.options.brightpearl.getGoodsOutNotes('*', ids);
      const orderIds = [...new Set(notes.filter((n) => !n.transfer && isValidId(n.orderId)).map((n) => n.orderId))];
      orders = new Map((orderIds.length ? await this.options.brightpearl.getOrders(orderIds) : []).map((o) => [o.id, o]));
      carriers = await this.carriers(run);
    } catch (err) {
      // Logged as Failed (new ones too: they are shipments of WooCommerce orders), so the retry pass picks them up.
      ctx.log.warn({ flow: 'shipment', err: errorText(err) }, 'could not read goods-out notes');
      ctx.seen(ids.filter((id) => !known(id)).map((id): EntityRef => ({ entityId: String(id), info: String(id) })));
      ctx.record(
        ids.map((id) => ({ entityId: String(id), status: 'failed' as const, message: `Could not read this goods-out note from Brightpearl: ${errorText(err)}. It will be retried on the next run.` })),
      );
      return;
    }

    // Notes that cannot be handled any more: only those the log already has get an outcome.
    const byOrder = new Map<number, BrightpearlGoodsOutNote[]>();
    const returned = new Set(notes.map((n) => n.id));
    for (const id of ids) {
      if (!returned.has(id) && known(id)) {
        outcomes.push({ entityId: String(id), status: 'synced', message: 'Brightpearl no longer has this goods-out note (it was deleted); nothing to add in WooCommerce.' });
      }
    }
    for (const note of notes) {
      const mapped = isValidId(note.orderId) ? ctx.store.mappings.byBrightpearl('order', String(note.orderId)) : undefined;
      if (note.transfer || !note.status.shipped || !mapped) {
        if (known(note.id)) {
          const why = note.transfer
            ? 'it is a warehouse transfer, not a shipment of a WooCommerce order'
            : !note.status.shipped
              ? 'it has not shipped'
              : `Brightpearl order ${note.orderId} is not linked to a WooCommerce order`;
          outcomes.push({ entityId: String(note.id), status: 'synced', message: `Nothing to add in WooCommerce: ${why}.` });
        }
        continue;
      }
      byOrder.set(note.orderId, [...(byOrder.get(note.orderId) ?? []), note]);
    }
    ctx.record(outcomes);

    for (const [orderId, group] of byOrder) {
      if (ctx.signal.aborted) return;
      const wcOrderId = Number(ctx.store.mappings.byBrightpearl('order', String(orderId))?.wcId);
      group.sort((a, b) => a.id - b.id);
      ctx.seen(group.map((n): EntityRef => ({ entityId: String(n.id), info: String(n.id), bpId: String(orderId), wcId: String(wcOrderId) })));
      let results: Outcome[];
      try {
        results = await this.syncOrder(ctx, wcOrderId, orders.get(orderId), orderId, group, carriers);
      } catch (err) {
        ctx.log.warn({ flow: 'shipment', orderId, err: errorText(err) }, 'shipment failed');
        results = group.map((n) => ({ entityId: String(n.id), status: 'failed' as const, message: `Could not add this shipment to WooCommerce: ${errorText(err)}. It will be retried on the next run.` }));
      }
      ctx.record(results);
    }
  }

  /** Tracking for every note of one order, then completion or a partial-shipment note. */
  private async syncOrder(
    ctx: FlowContext,
    wcOrderId: number,
    bpOrder: BrightpearlOrder | undefined,
    bpOrderId: number,
    notes: BrightpearlGoodsOutNote[],
    carriers: Map<number, Carrier>,
  ): Promise<Outcome[]> {
    const failAll = (message: string): Outcome[] => notes.map((n) => ({ entityId: String(n.id), status: 'failed' as const, message }));
    if (!isValidId(wcOrderId)) return failAll(`Brightpearl order ${bpOrderId} is linked to an invalid WooCommerce order id.`);
    if (!bpOrder) return failAll(`Brightpearl order ${bpOrderId} could not be read (it may have been deleted); its shipment was not added to WooCommerce.`);

    let order: WooOrder;
    try {
      order = await this.options.woocommerce.getOrder(wcOrderId);
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) {
        return failAll(
          `WooCommerce order ${wcOrderId}, which Brightpearl order ${bpOrderId} came from, no longer exists. Nothing was added; if the order was deleted on purpose, this row can be ignored.`,
        );
      }
      throw err;
    }
    const label = `WooCommerce order #${order.number}`;
    const finalStatus = FINAL_STATUSES.has(order.status) ? order.status : undefined;
    let trackings = await this.options.woocommerce.listShipmentTrackings(wcOrderId);
    let orderNotes: WooOrderNote[] | undefined;
    const readNotes = async () => (orderNotes ??= await this.options.woocommerce.listOrderNotes(wcOrderId));
    const intents = new Set<number>();
    const intend = (note: BrightpearlGoodsOutNote, what: Record<string, unknown>) => {
      if (intents.has(note.id)) return;
      intents.add(note.id);
      ctx.store.items.recordIntent('shipment', String(note.id), { wcOrderId, ...what }, ctx.runId);
    };

    const results: NoteResult[] = [];
    for (const note of notes) {
      const trackingNumber = (note.shipping.reference ?? '').trim();
      const methodId = note.shipping.shippingMethodId ?? 0;
      const carrier = carriers.get(methodId) ?? { name: methodId ? `shipping method ${methodId}` : 'our courier' };
      const result: NoteResult = { note, trackingNumber, carrier, wrote: [], found: [] };
      results.push(result);
      try {
        if (trackings !== null) {
          if (!trackingNumber) {
            result.found.push('no tracking number in Brightpearl, so no tracking item was added');
          } else if (trackings.some((t) => sameNumber(t.tracking_number, trackingNumber))) {
            result.found.push(`tracking ${trackingNumber} was already on ${label}`);
          } else {
            const body: ShipmentTrackingWrite = {
              tracking_number: trackingNumber,
              ...(carrier.provider ? { tracking_provider: carrier.provider } : { custom_tracking_provider: carrier.name }),
              ...(note.status.shippedOn ? { date_shipped: new Date(note.status.shippedOn).toISOString().slice(0, 10) } : {}),
            };
            result.request = body;
            intend(note, { tracking: trackingNumber, via: 'shipment-trackings' });
            const added: WooShipmentTrackingItem | null = await this.options.woocommerce.addShipmentTracking(wcOrderId, body);
            if (added) {
              trackings.push(added);
              result.wrote.push(`tracking ${trackingNumber} (${added.tracking_provider || carrier.provider || carrier.name}) added to ${label}`);
            } else {
              trackings = null; // the extension went away meanwhile: this and the next notes use the fallback
            }
          }
        }
        if (trackings === null) order = await this.fallback(order, note, result, readNotes, intend);
      } catch (err) {
        result.failed = errorText(err);
      }
    }

    // --- completion or a partial-shipment note ---
    const ok = results.filter((r) => r.failed === undefined);
    const allShipped = bpOrder.shippingStatusCode === 'ASS';
    let closing = '';
    let closingFailed: string | undefined;
    if (finalStatus) {
      closing = `; ${label} is already ${finalStatus}, so its status was left as it is`;
    } else if (allShipped) {
      if (ok.length < results.length) {
        closing = `; ${label} is completed once every shipment is on it`;
      } else if (order.status === 'completed') {
        closing = `; ${label} was already completed`;
      } else {
        try {
          await this.options.woocommerce.updateOrder(wcOrderId, { status: 'completed' });
          closing = `; everything has shipped, so ${label} was completed`;
          for (const r of ok) r.completed = true;
        } catch (err) {
          closingFailed = `completing ${label} failed: ${errorText(err)}`;
        }
      }
    } else {
      closing = `; part of the order shipped, so ${label} stays ${order.status}`;
      for (const r of ok) {
        const marker = partialNoteMarker(r.note.id);
        try {
          if ((await readNotes()).some((n) => !n.customer_note && plainText(n.note).includes(marker))) continue;
          const text = `Partially shipped: ${this.describeItems(r.note, bpOrder)} with ${r.carrier.name}${r.trackingNumber ? `, tracking ${r.trackingNumber}` : ''} ${marker}. The rest of the order has not shipped yet.`;
          intend(r.note, { partialNote: true });
          orderNotes?.unshift(await this.options.woocommerce.addOrderNote(wcOrderId, text, false));
          r.wrote.push('private "Partially shipped" note added');
        } catch (err) {
          r.failed = `adding the "Partially shipped" note failed: ${errorText(err)}`;
        }
      }
    }

    return results.map((r): Outcome => {
      const entityId = String(r.note.id);
      const value = r.trackingNumber || '(no tracking number)';
      const what = [...r.wrote, ...r.found].join('; ');
      if (r.failed !== undefined || closingFailed !== undefined) {
        const done = r.wrote.length ? `${r.wrote.join('; ')}, but ` : 'Could not add this shipment to WooCommerce: ';
        return {
          entityId,
          status: 'failed',
          message: `${done}${r.failed ?? closingFailed}. It will be retried on the next run (nothing is added twice).`.replace(/^./, (c) => c.toUpperCase()),
          request: r.request,
        };
      }
      const message = `${what || 'nothing to add'}${closing}.`.replace(/^./, (c) => c.toUpperCase());
      if (r.wrote.length === 0 && !r.completed) return { entityId, status: 'unchanged', value, wcId: String(wcOrderId) };
      return { entityId, status: 'synced', message, value, wcId: String(wcOrderId), request: r.request };
    });
  }

  /** No Shipment Tracking extension: a customer note plus the `_bpwc_shipments` meta entry, each once. */
  private async fallback(
    order: WooOrder,
    note: BrightpearlGoodsOutNote,
    result: NoteResult,
    readNotes: () => Promise<WooOrderNote[]>,
    intend: (note: BrightpearlGoodsOutNote, what: Record<string, unknown>) => void,
  ): Promise<WooOrder> {
    const label = `WooCommerce order #${order.number}`;
    const entries = readShipmentsMeta(order);
    if (entries.some((e) => e.noteId === note.id)) {
      result.found.push(`the shipment${result.trackingNumber ? ` (${result.trackingNumber})` : ''} was already noted on ${label}`);
      return order;
    }
    const text = customerNoteText(result.carrier.name, result.trackingNumber);
    const notes = await readNotes();
    // One customer note per meta entry with this text: one more means a run died right after adding it.
    const landed = notes.filter((n) => n.customer_note && plainText(n.note) === text).length > entries.filter((e) => e.note === text).length;
    intend(note, { customerNote: text, meta: SHIPMENTS_META_KEY });
    if (!landed) {
      notes.unshift(await this.options.woocommerce.addOrderNote(order.id, text, true));
      result.wrote.push(`customer note "${text}" added to ${label} (the store has no Shipment Tracking extension)`);
    } else {
      result.found.push(`the customer note "${text}" was already on ${label} (an earlier run stopped before recording it)`);
    }
    const entry: ShipmentMetaEntry = {
      noteId: note.id,
      trackingNumber: result.trackingNumber,
      carrier: result.carrier.name,
      shippedOn: note.status.shippedOn ?? null,
      note: text,
    };
    result.request = { customerNote: text, meta: entry };
    const updated = await this.options.woocommerce.updateOrder(order.id, { meta_data: [{ key: SHIPMENTS_META_KEY, value: [...entries, entry] }] });
    result.wrote.push(`shipment recorded in the order's ${SHIPMENTS_META_KEY} field`);
    return updated;
  }

  /** "2 × Trail Tee (TT-001), 1 × Mug" from the note's rows and the order's row names. */
  private describeItems(note: BrightpearlGoodsOutNote, order: BrightpearlOrder): string {
    const parts: string[] = [];
    for (const [rowId, lines] of Object.entries(note.orderRows)) {
      const quantity = lines.reduce((sum, l) => sum + Number(l.quantity), 0);
      const row = order.orderRows[rowId];
      const name = row?.productName || `product ${lines[0]?.productId ?? rowId}`;
      parts.push(`${quantity} × ${name}${row?.productSku ? ` (${row.productSku})` : ''}`);
    }
    return parts.join(', ') || 'items';
  }
}
