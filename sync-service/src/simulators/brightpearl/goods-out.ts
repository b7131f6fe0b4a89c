/**
 * Goods-out notes of the simulated Brightpearl account (§9 of the reference): creation per
 * warehouse entry with partial fulfilment, tracking updates (refused once shipped), events with
 * `If-Match: lastEventVersion`, SHW auto-creating PRI/PIC/PAC, stock leaving the warehouse, and
 * the order's shipping status moving SNS → SPS → ASS (`order.modified.fully-shipped`).
 */
import { announce, isoDate, nextId, type BrightpearlSimState, type SimEvent } from './data';
import { formatUnits, parseUnits } from './decimal';
import { BrightpearlApiError, ERROR_CODES, notFound, type ApiErrorEntry } from './envelope';
import { STAFF_CONTACT_ID } from './reference';
import { consumeForShipment, fulfilment, requireOrder, touchOrder, type SimOrder, type SimOrderRow } from './sales';
import type { SearchDefinition } from './search';

export type GoodsOutEventCode = 'PLA' | 'PRI' | 'UPR' | 'PIC' | 'UPI' | 'PAC' | 'UPA' | 'SHW';

/** Codes a client may post (PLA is the system's own "created" event). */
export const POSTABLE_EVENT_CODES: readonly GoodsOutEventCode[] = ['PRI', 'UPR', 'PIC', 'UPI', 'PAC', 'UPA', 'SHW'];

export interface SimGoodsOutEvent {
  eventCode: GoodsOutEventCode;
  occured: number;
  eventOwnerId: number;
  version: number;
}

export interface SimGoodsOutLine {
  productId: number;
  quantity: number;
  locationId: number;
}

export interface SimGoodsOutStatus {
  printed: boolean;
  printedOn?: number;
  printedById?: number;
  picked: boolean;
  pickedOn?: number;
  pickedById?: number;
  packed: boolean;
  packedOn?: number;
  packedById?: number;
  shipped: boolean;
  shippedOn?: number;
  shippedById?: number;
}

export interface SimGoodsOutNote {
  id: number;
  /** 0 for a warehouse-to-warehouse transfer. */
  orderId: number;
  warehouseId: number;
  targetWarehouseId?: number;
  transfer: boolean;
  priority: boolean;
  status: SimGoodsOutStatus;
  shipping: { reference: string; shippingMethodId: number; boxes: number; weight: string };
  releaseDate: number;
  createdOn: number;
  createdBy: number;
  /** Sales-order row id → lines (a row can be split across locations). */
  orderRows: Map<number, SimGoodsOutLine[]>;
  /** 1 for an order's first note, 2 for its second... */
  sequence: number;
  labelUri: string;
  lastEventVersion: number;
  events: SimGoodsOutEvent[];
  channelId?: number;
  /** Who made it: the demo activity only moves on notes it (or the seed) made. */
  source: 'api' | 'seed' | 'activity' | 'helper';
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(entries: ApiErrorEntry[] | string): BrightpearlApiError {
  return typeof entries === 'string' ? new BrightpearlApiError(400, ERROR_CODES.GOODS_OUT_INVALID, entries) : BrightpearlApiError.fromList(400, entries);
}

function wholeNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (!/^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d))?$/.test(value.trim())) return undefined;
  const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function requireNote(state: BrightpearlSimState, noteId: number): SimGoodsOutNote {
  const note = state.goodsOutNotes.get(noteId);
  if (!note) throw notFound(`Goods-out note ${noteId} does not exist`);
  return note;
}

function record(state: BrightpearlSimState, note: SimGoodsOutNote, eventCode: GoodsOutEventCode, occured: number, eventOwnerId: number): void {
  const version = nextId(state, 'eventVersion');
  note.events.push({ eventCode, occured, eventOwnerId, version });
  note.lastEventVersion = version;
}

export function defaultLocationId(warehouseId: number): number {
  return warehouseId * 100 + 1;
}

/** Stock-tracked rows with what is not on a goods-out note yet (whole items). */
export function unfulfilledRows(state: BrightpearlSimState, order: SimOrder): { row: SimOrderRow; remaining: number }[] {
  if (order.orderTypeCode !== 'SO') return [];
  const f = fulfilment(state, order);
  return order.rows
    .filter((row) => row.stockTracked && row.productId !== undefined)
    .map((row) => ({ row, remaining: Math.round(row.quantity / 10_000) - (f.rows.get(row.id)?.noted ?? 0) }))
    .filter((r) => r.remaining > 0);
}

export interface GoodsOutCreateOptions {
  source?: SimGoodsOutNote['source'];
  /** Seed data: created at this time without touching the order's updatedOn. */
  historic?: { createdOn: number };
}

/**
 * `POST warehouse-service/order/{orderId}/goods-note/goods-out` → the new note ids, one per
 * `warehouses[]` entry. Repeatable until every stock-tracked row is on a note.
 */
export function createGoodsOutNotes(state: BrightpearlSimState, orderId: number, input: unknown, opts: GoodsOutCreateOptions = {}): number[] {
  const order = requireOrder(state, orderId);
  if (!isRecord(input)) throw new BrightpearlApiError(400, ERROR_CODES.NO_JSON_BODY, 'The request needs a JSON object body');
  const problems: ApiErrorEntry[] = [];
  const problem = (message: string) => problems.push({ code: ERROR_CODES.GOODS_OUT_INVALID, message });
  if (order.orderTypeCode !== 'SO') throw invalid(`Order ${orderId} is a sales credit: goods-out notes are for sales orders`);
  if (order.cancelled) throw invalid(`Order ${orderId} is cancelled`);

  const priority = input.priority === undefined ? false : input.priority;
  if (typeof priority !== 'boolean') problem('priority must be true or false');
  const shippingMethodId = input.shippingMethodId === undefined ? order.delivery.shippingMethodId : wholeNumber(input.shippingMethodId);
  if (shippingMethodId === undefined) problem('shippingMethodId must be a whole number');
  else if (shippingMethodId !== 0 && !state.reference.shippingMethods.some((m) => m.id === shippingMethodId))
    problem(`shippingMethodId: shipping method ${shippingMethodId} does not exist`);
  if (!Array.isArray(input.warehouses) || input.warehouses.length === 0) throw invalid('warehouses must be a non-empty array');

  const remaining = new Map(unfulfilledRows(state, order).map((r) => [r.row.id, r.remaining]));
  const rowsById = new Map(order.rows.map((r) => [r.id, r]));
  const planned: { warehouseId: number; releaseDate?: number; lines: Map<number, SimGoodsOutLine[]> }[] = [];
  input.warehouses.forEach((entry: unknown, w: number) => {
    const label = `warehouses[${w}]`;
    if (!isRecord(entry)) return problem(`${label} must be an object`);
    const warehouseId = wholeNumber(entry.warehouseId);
    if (warehouseId === undefined || !state.warehouses.some((x) => x.id === warehouseId))
      problem(`${label}.warehouseId: warehouse ${JSON.stringify(entry.warehouseId)} does not exist`);
    if (entry.transfer === true) problem(`${label}.transfer: a sales order's goods-out note cannot be a transfer`);
    const releaseDate = entry.releaseDate === undefined ? undefined : parseTime(entry.releaseDate);
    if (entry.releaseDate !== undefined && releaseDate === undefined) problem(`${label}.releaseDate must be an ISO-8601 date-time`);
    if (!Array.isArray(entry.products) || entry.products.length === 0) return problem(`${label}.products must be a non-empty array`);
    const lines = new Map<number, SimGoodsOutLine[]>();
    entry.products.forEach((line: unknown, i: number) => {
      const at = `${label}.products[${i}]`;
      if (!isRecord(line)) return problem(`${at} must be an object`);
      const rowId = wholeNumber(line.salesOrderRowId);
      const row = rowId === undefined ? undefined : rowsById.get(rowId);
      if (!row) return problem(`${at}.salesOrderRowId: order ${orderId} has no row ${JSON.stringify(line.salesOrderRowId)}`);
      if (row.productId === undefined) return problem(`${at}: row ${row.id} is a free-text row; only product rows are shipped`);
      if (!row.stockTracked) return problem(`${at}: row ${row.id} (product ${row.productId}) is not stock-tracked and needs no goods-out note`);
      if (line.productId !== undefined && wholeNumber(line.productId) !== row.productId)
        return problem(`${at}.productId ${JSON.stringify(line.productId)} is not the product of row ${row.id} (${row.productId})`);
      const quantity = wholeNumber(line.quantity);
      if (quantity === undefined || quantity === 0) return problem(`${at}.quantity must be a whole number greater than 0`);
      const left = remaining.get(row.id) ?? 0;
      if (quantity > left) return problem(`${at}.quantity ${quantity} is more than the ${left} of row ${row.id} not yet on a goods-out note`);
      remaining.set(row.id, left - quantity);
      const list = lines.get(row.id) ?? [];
      list.push({ productId: row.productId, quantity, locationId: defaultLocationId(warehouseId ?? 0) });
      lines.set(row.id, list);
    });
    if (warehouseId !== undefined) planned.push({ warehouseId, releaseDate, lines });
  });
  if (problems.length > 0) throw invalid(problems);

  const now = opts.historic?.createdOn ?? state.now();
  let sequence = [...state.goodsOutNotes.values()].filter((n) => n.orderId === orderId && !n.transfer).length;
  const ids = planned.map((plan) => {
    const id = nextId(state, 'goodsOutNote');
    sequence += 1;
    const note: SimGoodsOutNote = {
      id,
      orderId,
      warehouseId: plan.warehouseId,
      transfer: false,
      priority: priority === true,
      status: { printed: false, picked: false, packed: false, shipped: false },
      shipping: { reference: '', shippingMethodId: shippingMethodId ?? 0, boxes: 1, weight: '0.00' },
      releaseDate: plan.releaseDate ?? now,
      createdOn: now,
      createdBy: STAFF_CONTACT_ID,
      orderRows: plan.lines,
      sequence,
      labelUri: '',
      lastEventVersion: 0,
      events: [],
      ...(order.channelId !== undefined ? { channelId: order.channelId } : {}),
      source: opts.source ?? 'api',
    };
    record(state, note, 'PLA', now, STAFF_CONTACT_ID);
    state.goodsOutNotes.set(id, note);
    return id;
  });
  announce(state, 'goods-out-note.created', ids);
  // The order's fulfilment status changed.
  if (!opts.historic) touchOrder(state, order);
  return ids;
}

/** A warehouse-to-warehouse transfer note (seed data; orderId 0). */
export function createTransferNote(
  state: BrightpearlSimState,
  input: { warehouseId: number; targetWarehouseId: number; lines: { productId: number; quantity: number }[]; createdOn: number; shippedOn?: number },
): number {
  const id = nextId(state, 'goodsOutNote');
  const note: SimGoodsOutNote = {
    id,
    orderId: 0,
    warehouseId: input.warehouseId,
    targetWarehouseId: input.targetWarehouseId,
    transfer: true,
    priority: false,
    status: { printed: false, picked: false, packed: false, shipped: false },
    shipping: { reference: '', shippingMethodId: 0, boxes: 1, weight: '0.00' },
    releaseDate: input.createdOn,
    createdOn: input.createdOn,
    createdBy: STAFF_CONTACT_ID,
    orderRows: new Map([[0, input.lines.map((l) => ({ ...l, locationId: defaultLocationId(input.warehouseId) }))]]),
    sequence: 1,
    labelUri: '',
    lastEventVersion: 0,
    events: [],
    source: 'seed',
  };
  record(state, note, 'PLA', input.createdOn, STAFF_CONTACT_ID);
  if (input.shippedOn !== undefined) {
    for (const code of ['PRI', 'PIC', 'PAC', 'SHW'] as const) applyFlag(note, code, input.shippedOn, STAFF_CONTACT_ID);
    for (const code of ['PRI', 'PIC', 'PAC', 'SHW'] as const) record(state, note, code, input.shippedOn, STAFF_CONTACT_ID);
  }
  state.goodsOutNotes.set(id, note);
  return id;
}

/**
 * `PUT warehouse-service/goods-note/goods-out/{noteId}`: priority, shipping method, boxes,
 * reference (tracking, ≤64), weight (≤999,999.99), labelUri (≤512). Refused once shipped.
 */
export function updateGoodsOutNote(state: BrightpearlSimState, noteId: number, input: unknown): void {
  const note = requireNote(state, noteId);
  if (!isRecord(input)) throw new BrightpearlApiError(400, ERROR_CODES.NO_JSON_BODY, 'The request needs a JSON object body');
  if (note.status.shipped) throw invalid(`Goods-out note ${noteId} has been shipped; it can no longer be changed`);
  const problems: ApiErrorEntry[] = [];
  const problem = (message: string) => problems.push({ code: ERROR_CODES.GOODS_OUT_INVALID, message });
  const next = { priority: note.priority, shipping: { ...note.shipping }, labelUri: note.labelUri };
  if (input.priority !== undefined) {
    if (typeof input.priority !== 'boolean') problem('priority must be true or false');
    else next.priority = input.priority;
  }
  if (input.labelUri !== undefined) {
    if (typeof input.labelUri !== 'string' || input.labelUri.length > 512) problem('labelUri must be a string of at most 512 characters');
    else next.labelUri = input.labelUri;
  }
  if (input.shipping !== undefined) {
    if (!isRecord(input.shipping)) problem('shipping must be an object');
    else {
      const s = input.shipping;
      if (s.reference !== undefined) {
        if (typeof s.reference !== 'string' || s.reference.length > 64) problem('shipping.reference must be a string of at most 64 characters');
        else next.shipping.reference = s.reference;
      }
      if (s.shippingMethodId !== undefined) {
        const id = wholeNumber(s.shippingMethodId);
        if (id === undefined || (id !== 0 && !state.reference.shippingMethods.some((m) => m.id === id)))
          problem(`shipping.shippingMethodId: shipping method ${JSON.stringify(s.shippingMethodId)} does not exist`);
        else next.shipping.shippingMethodId = id;
      }
      if (s.boxes !== undefined) {
        const boxes = wholeNumber(s.boxes);
        if (boxes === undefined) problem('shipping.boxes must be a whole number');
        else next.shipping.boxes = boxes;
      }
      if (s.weight !== undefined) {
        const units = parseUnits(s.weight, 2);
        if (units === undefined || units < 0 || units > 999_999_99 * 100)
          problem('shipping.weight must be a number from 0 to 999999.99 with at most 2 decimal places');
        else next.shipping.weight = formatUnits(units, 2);
      }
    }
  }
  if (problems.length > 0) throw invalid(problems);
  note.priority = next.priority;
  note.shipping = next.shipping;
  note.labelUri = next.labelUri;
  announce(state, 'goods-out-note.modified', [noteId]);
}

const EVENT_NAMES: Record<Exclude<GoodsOutEventCode, 'PLA'>, SimEvent> = {
  PRI: 'goods-out-note.modified.printed',
  UPR: 'goods-out-note.modified.un-printed',
  PIC: 'goods-out-note.modified.picked',
  UPI: 'goods-out-note.modified.un-picked',
  PAC: 'goods-out-note.modified.packed',
  UPA: 'goods-out-note.modified.un-packed',
  SHW: 'goods-out-note.modified.shipped',
};

function applyFlag(note: SimGoodsOutNote, code: Exclude<GoodsOutEventCode, 'PLA'>, at: number, owner: number): void {
  const s = note.status;
  switch (code) {
    case 'PRI':
      Object.assign(s, { printed: true, printedOn: at, printedById: owner });
      break;
    case 'UPR':
      s.printed = false;
      delete s.printedOn;
      delete s.printedById;
      break;
    case 'PIC':
      Object.assign(s, { picked: true, pickedOn: at, pickedById: owner });
      break;
    case 'UPI':
      s.picked = false;
      delete s.pickedOn;
      delete s.pickedById;
      break;
    case 'PAC':
      Object.assign(s, { packed: true, packedOn: at, packedById: owner });
      break;
    case 'UPA':
      s.packed = false;
      delete s.packedOn;
      delete s.packedById;
      break;
    case 'SHW':
      Object.assign(s, { shipped: true, shippedOn: at, shippedById: owner });
      break;
  }
}

/** `If-Match` value → version number (ETag quoting and `W/` tolerated); NaN when unreadable. */
function ifMatchVersion(value: string): number {
  const bare = value
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1');
  return /^\d+$/.test(bare) ? Number(bare) : Number.NaN;
}

/**
 * `POST warehouse-service/goods-note/goods-out/{noteId}/event` `{events:[{eventCode, occured,
 * eventOwnerId}]}`. With `If-Match`, refused (412) unless it names the note's lastEventVersion.
 * Nothing is accepted once shipped; SHW must be the last event of a request, and creates the
 * missing PRI/PIC/PAC before it.
 */
export function postGoodsOutEvents(state: BrightpearlSimState, noteId: number, input: unknown, ifMatch?: string, opts: { historic?: boolean } = {}): void {
  const note = requireNote(state, noteId);
  if (ifMatch !== undefined && ifMatchVersion(ifMatch) !== note.lastEventVersion) {
    throw new BrightpearlApiError(
      412,
      ERROR_CODES.GOODS_OUT_VERSION_MISMATCH,
      `Goods-out note ${noteId} has changed: If-Match ${ifMatch} is not its lastEventVersion ${note.lastEventVersion}`,
    );
  }
  if (note.status.shipped) throw invalid(`Goods-out note ${noteId} has been shipped; no more events are accepted`);
  if (!isRecord(input)) throw new BrightpearlApiError(400, ERROR_CODES.NO_JSON_BODY, 'The request needs a JSON object body');
  if (!Array.isArray(input.events) || input.events.length === 0) throw invalid('events must be a non-empty array');
  const problems: ApiErrorEntry[] = [];
  const problem = (message: string) => problems.push({ code: ERROR_CODES.GOODS_OUT_INVALID, message });
  const events: { code: Exclude<GoodsOutEventCode, 'PLA'>; at: number; owner: number }[] = [];
  input.events.forEach((raw: unknown, i: number) => {
    const label = `events[${i}]`;
    if (!isRecord(raw)) return problem(`${label} must be an object`);
    const code = raw.eventCode as Exclude<GoodsOutEventCode, 'PLA'>;
    if (!POSTABLE_EVENT_CODES.includes(code))
      return problem(`${label}.eventCode must be one of ${POSTABLE_EVENT_CODES.join(', ')}, not ${JSON.stringify(raw.eventCode)}`);
    if (code === 'SHW' && i !== (input.events as unknown[]).length - 1)
      return problem(`${label}: SHW must be the last event; nothing is accepted after shipping`);
    const at = raw.occured === undefined ? state.now() : parseTime(raw.occured);
    if (at === undefined) return problem(`${label}.occured must be an ISO-8601 date-time`);
    const owner = raw.eventOwnerId === undefined ? note.createdBy : wholeNumber(raw.eventOwnerId);
    if (owner === undefined || owner === 0) return problem(`${label}.eventOwnerId must be a staff contact id`);
    events.push({ code, at, owner });
  });
  if (problems.length > 0) throw invalid(problems);

  const order = note.transfer ? undefined : state.orders.get(note.orderId);
  const shippingBefore = order ? fulfilment(state, order).shippingStatusCode : undefined;
  const raised: SimEvent[] = [];
  for (const e of events) {
    if (e.code === 'SHW') {
      // Missing PRI/PIC/PAC are created first.
      for (const [flag, code] of [
        ['printed', 'PRI'],
        ['picked', 'PIC'],
        ['packed', 'PAC'],
      ] as const) {
        if (note.status[flag]) continue;
        applyFlag(note, code, e.at, e.owner);
        record(state, note, code, e.at, e.owner);
        raised.push(EVENT_NAMES[code]);
      }
    }
    applyFlag(note, e.code, e.at, e.owner);
    record(state, note, e.code, e.at, e.owner);
    raised.push(EVENT_NAMES[e.code]);
  }
  for (const event of raised) announce(state, event, [noteId]);

  if (note.status.shipped && order && !opts.historic) {
    const rows = new Map(order.rows.map((r) => [r.id, r]));
    for (const [rowId, lines] of note.orderRows) {
      const row = rows.get(rowId);
      if (row)
        consumeForShipment(
          state,
          order,
          row,
          note.warehouseId,
          lines.reduce((sum, l) => sum + l.quantity, 0),
        );
    }
    const after = fulfilment(state, order).shippingStatusCode;
    touchOrder(state, order, after === 'ASS' && shippingBefore !== 'ASS' ? 'order.modified.fully-shipped' : 'order.modified');
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers for tests, the seed and the demo activity

export interface NoteRequest {
  /** Rows and quantities; default every unfulfilled stock-tracked row in full. */
  rows?: { rowId: number; quantity: number }[];
  warehouseId?: number;
  shippingMethodId?: number;
  source?: SimGoodsOutNote['source'];
  historic?: { createdOn: number };
}

/** One goods-out note for (part of) an order; returns its id. */
export function createNoteForOrder(state: BrightpearlSimState, orderId: number, req: NoteRequest = {}): number {
  const order = requireOrder(state, orderId, 'SO');
  const lines = req.rows ?? unfulfilledRows(state, order).map((r) => ({ rowId: r.row.id, quantity: r.remaining }));
  if (lines.length === 0) throw invalid(`Order ${orderId} has nothing left to put on a goods-out note`);
  const productOf = new Map(order.rows.map((r) => [r.id, r.productId]));
  const [id] = createGoodsOutNotes(
    state,
    orderId,
    {
      warehouses: [
        {
          warehouseId: req.warehouseId ?? order.warehouseId,
          products: lines.map((l) => ({ productId: productOf.get(l.rowId), salesOrderRowId: l.rowId, quantity: l.quantity })),
        },
      ],
      ...(req.shippingMethodId !== undefined ? { shippingMethodId: req.shippingMethodId } : {}),
    },
    { source: req.source ?? 'helper', historic: req.historic },
  );
  return id as number;
}

/** Sets tracking (when given) and posts SHW. */
export function shipNote(
  state: BrightpearlSimState,
  noteId: number,
  opts: { reference?: string; shippingMethodId?: number; shippedOn?: number; historic?: boolean } = {},
): void {
  const note = requireNote(state, noteId);
  if (opts.historic) {
    if (opts.reference !== undefined) note.shipping.reference = opts.reference;
    if (opts.shippingMethodId !== undefined) note.shipping.shippingMethodId = opts.shippingMethodId;
  } else if (opts.reference !== undefined || opts.shippingMethodId !== undefined) {
    updateGoodsOutNote(state, noteId, {
      shipping: {
        ...(opts.reference !== undefined ? { reference: opts.reference } : {}),
        ...(opts.shippingMethodId !== undefined ? { shippingMethodId: opts.shippingMethodId } : {}),
      },
    });
  }
  postGoodsOutEvents(
    state,
    noteId,
    { events: [{ eventCode: 'SHW', occured: isoDate(opts.shippedOn ?? state.now()), eventOwnerId: note.createdBy }] },
    undefined,
    {
      historic: opts.historic,
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Views

function optionalDates(status: SimGoodsOutStatus): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(status)) {
    if (value === undefined) continue;
    out[key] = key.endsWith('On') ? isoDate(value as number) : value;
  }
  return out;
}

export function goodsOutNoteView(note: SimGoodsOutNote): Json {
  const orderRows: Json = {};
  for (const [rowId, lines] of note.orderRows) orderRows[String(rowId)] = lines.map((l) => ({ ...l }));
  return {
    orderId: note.orderId,
    warehouseId: note.warehouseId,
    ...(note.targetWarehouseId !== undefined ? { targetWarehouseId: note.targetWarehouseId } : {}),
    transfer: note.transfer,
    priority: note.priority,
    status: optionalDates(note.status),
    shipping: { ...note.shipping },
    releaseDate: isoDate(note.releaseDate),
    createdOn: isoDate(note.createdOn),
    createdBy: note.createdBy,
    orderRows,
    sequence: note.sequence,
    labelUri: note.labelUri,
    lastEventVersion: note.lastEventVersion,
    // Spelled `occured`, as the API does.
    events: note.events.map((e) => ({ eventCode: e.eventCode, occured: isoDate(e.occured), eventOwnerId: e.eventOwnerId })),
  };
}

/** `warehouse-service/goods-note/goods-out-search`: no `updatedOn` (use `shippedOn`), as for real. */
export const GOODS_OUT_SEARCH: SearchDefinition<SimGoodsOutNote> = {
  defaultSort: 'goodsOutNoteId',
  columns: [
    { name: 'goodsOutNoteId', reportDataType: 'IDSET', value: (n) => n.id },
    { name: 'orderId', reportDataType: 'IDSET', value: (n) => n.orderId },
    { name: 'warehouseId', reportDataType: 'INTEGER', value: (n) => n.warehouseId },
    { name: 'targetWarehouseId', reportDataType: 'INTEGER', value: (n) => n.targetWarehouseId ?? null },
    { name: 'transfer', reportDataType: 'BOOLEAN', value: (n) => n.transfer },
    { name: 'priority', reportDataType: 'BOOLEAN', value: (n) => n.priority },
    { name: 'printed', reportDataType: 'BOOLEAN', value: (n) => n.status.printed },
    { name: 'picked', reportDataType: 'BOOLEAN', value: (n) => n.status.picked },
    { name: 'packed', reportDataType: 'BOOLEAN', value: (n) => n.status.packed },
    { name: 'shipped', reportDataType: 'BOOLEAN', value: (n) => n.status.shipped },
    { name: 'shippedOn', reportDataType: 'PERIOD', value: (n) => (n.status.shippedOn === undefined ? null : isoDate(n.status.shippedOn)) },
    { name: 'createdOn', reportDataType: 'PERIOD', value: (n) => isoDate(n.createdOn) },
    { name: 'releaseDate', reportDataType: 'PERIOD', value: (n) => isoDate(n.releaseDate) },
    { name: 'channelId', reportDataType: 'INTEGER', value: (n) => n.channelId ?? null },
    { name: 'shippingMethodId', reportDataType: 'INTEGER', value: (n) => n.shipping.shippingMethodId },
  ],
};
