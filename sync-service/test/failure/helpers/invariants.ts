/**
 * The exactly-once invariants, checked against the simulators' own records (the truth) and the
 * service's database. Each check returns human-readable problems; an empty list means it holds.
 */
import Database from 'better-sqlite3';
import { partialNoteMarker, readShipmentsMeta, type ShipmentMetaEntry } from '../../../src/flows/shipment';
import type { BrightpearlSimulator } from '../../../src/simulators/brightpearl/app';
import { fulfilment, type SimOrder } from '../../../src/simulators/brightpearl/sales';
import { orderNumber, type OrderRecord } from '../../../src/simulators/woocommerce/order-model';
import { storedTrackingItems } from '../../../src/simulators/woocommerce/tracking';
import type { WooCommerceSimulator } from '../../../src/simulators/woocommerce/app';

export interface InvariantReport {
  problems: string[];
  counts: {
    exportedOrders: number;
    salesOrders: number;
    refunds: number;
    credits: number;
    receipts: number;
    refundPayments: number;
    shippedNotes: number;
    trackings: number;
    completedOrders: number;
    partialNotes: number;
  };
}

const EXPORTED = new Set(['processing', 'completed']);

function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/** The order's `_bpwc_shipments` entries (the fallback's record of noted shipments). */
function shipmentsMeta(order: OrderRecord): ShipmentMetaEntry[] {
  return readShipmentsMeta({ meta_data: order.meta.map((m) => ({ id: m.id, key: m.key, value: m.value })) } as Parameters<typeof readShipmentsMeta>[0]);
}

const plain = (text: string) => text.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();

/**
 * Brightpearl ⇄ WooCommerce, from the simulators' state:
 *  - every WooCommerce order in an exported status has exactly one sales order (externalRef = its
 *    number), and Brightpearl has no sales order that is not one of them;
 *  - every refund of such an order has exactly one sales credit (`<number>-refund-<id>`) on that
 *    sales order, and there are no others;
 *  - one RECEIPT per paid sales order, one PAYMENT per credit with an amount;
 *  - every shipped goods-out note's tracking number is on its WooCommerce order exactly once, with no
 *    tracking item, customer note or "Partially shipped" note added twice; fully shipped orders are
 *    completed in WooCommerce.
 * `shipmentsSettled`: the shipment flow has seen every shipped note (false during a run).
 */
export function checkRemoteInvariants(bp: BrightpearlSimulator, wc: WooCommerceSimulator, opts: { shipmentsSettled: boolean; trackingExtension: boolean }): InvariantReport {
  const problems: string[] = [];
  const wcOrders = [...wc.state.orders.values()];
  const exported = wcOrders.filter((o) => EXPORTED.has(o.status));
  const byNumber = new Map<string, OrderRecord>(wcOrders.map((o) => [orderNumber(o), o]));
  const bpOrders = [...bp.state.orders.values()];
  const salesOrders = bpOrders.filter((o) => o.orderTypeCode === 'SO');
  const credits = bpOrders.filter((o) => o.orderTypeCode === 'SC');
  const soByRef = groupBy(salesOrders, (o) => o.externalRef ?? '');
  const scByRef = groupBy(credits, (o) => o.externalRef ?? '');

  // --- sales orders: one per exported WooCommerce order ---
  const soOf = new Map<number, SimOrder>(); // WooCommerce order id → its sales order
  for (const order of exported) {
    const number = orderNumber(order);
    const found = soByRef.get(number) ?? [];
    if (found.length === 0) problems.push(`missing: WooCommerce order ${order.id} (#${number}, ${order.status}) has no Brightpearl sales order`);
    else if (found.length > 1) problems.push(`duplicate: WooCommerce order #${number} has ${found.length} Brightpearl sales orders (${found.map((o) => o.id).join(', ')})`);
    if (found[0]) soOf.set(order.id, found[0]);
  }
  for (const [ref, orders] of soByRef) {
    const wcOrder = byNumber.get(ref);
    if (!wcOrder) problems.push(`stray: Brightpearl sales order(s) ${orders.map((o) => o.id).join(', ')} with externalRef "${ref}" match no WooCommerce order`);
    else if (!EXPORTED.has(wcOrder.status) && wcOrder.status !== 'refunded')
      problems.push(`stray: WooCommerce order #${ref} is ${wcOrder.status} (never exported) but has Brightpearl sales order(s) ${orders.map((o) => o.id).join(', ')}`);
  }

  // --- payments ---
  const payments = [...bp.state.payments.values()];
  const paymentsOf = groupBy(payments, (p) => p.orderId);
  let receipts = 0;
  for (const [wcId, so] of soOf) {
    const order = wc.state.orders.get(wcId) as OrderRecord;
    const got = (paymentsOf.get(so.id) ?? []).filter((p) => p.paymentType === 'RECEIPT');
    receipts += got.length;
    const due = order.total > 0 ? 1 : 0;
    if (got.length !== due) problems.push(`${got.length > due ? 'duplicate' : 'missing'}: payments: sales order ${so.id} (WooCommerce #${orderNumber(order)}) has ${got.length} RECEIPT payments, expected ${due}`);
  }
  const keys = groupBy(payments, (p) => `${p.paymentMethodCode}|${p.transactionRef ?? ''}`);
  for (const [key, list] of keys) if (list.length > 1 && !key.endsWith('|')) problems.push(`duplicate: ${list.length} payments share ${key}`);

  // --- refunds → credits ---
  let refundCount = 0;
  let refundPayments = 0;
  const expectedCreditRefs = new Set<string>();
  for (const order of exported) {
    const so = soOf.get(order.id);
    for (const refundId of order.refundIds) {
      const refund = wc.state.refunds.get(refundId);
      if (!refund) continue;
      refundCount += 1;
      const ref = `${orderNumber(order)}-refund-${refundId}`;
      expectedCreditRefs.add(ref);
      const found = scByRef.get(ref) ?? [];
      if (found.length === 0) problems.push(`missing: refund ${refundId} of WooCommerce order #${orderNumber(order)} has no Brightpearl sales credit`);
      else if (found.length > 1) problems.push(`duplicate: refund ${refundId} of #${orderNumber(order)} has ${found.length} sales credits (${found.map((c) => c.id).join(', ')})`);
      const credit = found[0];
      if (!credit) continue;
      if (so && credit.parentId !== so.id) problems.push(`credit ${credit.id} of refund ${refundId} credits order ${credit.parentId}, not ${so.id}`);
      const paid = (paymentsOf.get(credit.id) ?? []).filter((p) => p.paymentType === 'PAYMENT');
      refundPayments += paid.length;
      const due = refund.amount > 0 ? 1 : 0;
      if (paid.length !== due) problems.push(`${paid.length > due ? 'duplicate' : 'missing'}: payments: credit ${credit.id} (refund ${refundId}) has ${paid.length} PAYMENT payments, expected ${due}`);
    }
  }
  for (const [ref, list] of scByRef) if (!expectedCreditRefs.has(ref)) problems.push(`stray: sales credit(s) ${list.map((c) => c.id).join(', ')} with externalRef "${ref}" match no refund`);

  // --- shipments ---
  const wcOrderOfSo = new Map<number, OrderRecord>();
  for (const [wcId, so] of soOf) wcOrderOfSo.set(so.id, wc.state.orders.get(wcId) as OrderRecord);
  const shipped = [...bp.state.goodsOutNotes.values()].filter((n) => !n.transfer && n.status.shipped && wcOrderOfSo.has(n.orderId));
  const notesByOrder = groupBy(shipped, (n) => n.orderId);
  let trackings = 0;
  let completed = 0;
  let partialNotes = 0;
  for (const [soId, order] of wcOrderOfSo) {
    const label = `WooCommerce order #${orderNumber(order)}`;
    const notes = notesByOrder.get(soId) ?? [];
    const items = storedTrackingItems(order);
    trackings += opts.trackingExtension ? items.length : shipmentsMeta(order).length;
    const numbers = groupBy(items, (t) => t.tracking_number.replace(/\s+/g, '').toUpperCase());
    for (const [number, list] of numbers) if (list.length > 1) problems.push(`duplicate: tracking ${number} is on ${label} ${list.length} times`);
    const customer = groupBy(
      order.notes.filter((n) => n.customerNote),
      (n) => plain(n.note),
    );
    for (const [text, list] of customer) if (list.length > 1) problems.push(`duplicate: customer note "${text}" is on ${label} ${list.length} times`);
    for (const note of notes) {
      const partial = order.notes.filter((n) => !n.customerNote && plain(n.note).includes(partialNoteMarker(note.id))).length;
      partialNotes += partial;
      if (partial > 1) problems.push(`duplicate: the "Partially shipped" note of goods-out note ${note.id} is on ${label} ${partial} times`);
      if (!opts.shipmentsSettled) continue;
      const number = note.shipping.reference.replace(/\s+/g, '').toUpperCase();
      if (opts.trackingExtension) {
        const on = numbers.get(number)?.length ?? 0;
        if (number && on !== 1) problems.push(`${on === 0 ? 'missing' : 'duplicate'}: tracking ${number} of goods-out note ${note.id} is on ${label} ${on} times`);
      } else {
        const meta = shipmentsMeta(order).filter((e) => e.noteId === note.id);
        if (meta.length !== 1) problems.push(`shipments meta: goods-out note ${note.id} is in ${label}'s _bpwc_shipments ${meta.length} times`);
        const text = meta[0]?.note;
        if (text && !(customer.get(plain(text))?.length === 1)) problems.push(`missing: the customer note "${text}" is not on ${label} exactly once`);
      }
    }
    if (opts.shipmentsSettled) {
      if (opts.trackingExtension && items.length !== notes.filter((n) => n.shipping.reference.trim() !== '').length) {
        problems.push(`${label} has ${items.length} tracking items for ${notes.length} shipped goods-out notes`);
      }
      const so = bp.state.orders.get(soId) as SimOrder;
      if (fulfilment(bp.state, so).shippingStatusCode === 'ASS' && notes.length > 0 && order.status !== 'completed') {
        problems.push(`${label} is fully shipped in Brightpearl (sales order ${soId}) but ${order.status} in WooCommerce`);
      }
    }
    if (order.status === 'completed') completed += 1;
  }
  return {
    problems,
    counts: {
      exportedOrders: exported.length,
      salesOrders: salesOrders.length,
      refunds: refundCount,
      credits: credits.length,
      receipts,
      refundPayments,
      shippedNotes: shipped.length,
      trackings,
      completedOrders: completed,
      partialNotes,
    },
  };
}

export interface DbReport {
  problems: string[];
  items: Record<string, Record<string, number>>;
  runs: Record<string, number>;
  abortedByRestart: number;
  locks: { id: string; lockOwner: string | null }[];
  /** Run owners (host:pid:nonce) that started at least one run. */
  owners: string[];
}

/** The service's own records: every order/refund/shipment row settled with a reason, no run left running, no lock held. */
export function checkDatabase(file: string, types: string[] = ['order', 'refund', 'shipment']): DbReport {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const problems: string[] = [];
    const items: Record<string, Record<string, number>> = {};
    for (const type of types) {
      const rows = db.prepare('SELECT status, COUNT(*) AS n FROM sync_items WHERE type = ? GROUP BY status').all(type) as { status: string; n: number }[];
      items[type] = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      const pending = db.prepare("SELECT entity_id FROM sync_items WHERE type = ? AND status NOT IN ('synced', 'failed')").pluck().all(type) as string[];
      if (pending.length) problems.push(`${type}: ${pending.length} rows neither Synced nor Failed (e.g. ${pending.slice(0, 5).join(', ')})`);
      const silent = db.prepare("SELECT entity_id FROM sync_items WHERE type = ? AND status = 'failed' AND (last_error IS NULL OR trim(last_error) = '')").pluck().all(type) as string[];
      if (silent.length) problems.push(`${type}: ${silent.length} Failed rows without a reason (e.g. ${silent.slice(0, 5).join(', ')})`);
    }
    const runRows = db.prepare('SELECT status, COUNT(*) AS n FROM runs GROUP BY status').all() as { status: string; n: number }[];
    const runs = Object.fromEntries(runRows.map((r) => [r.status, r.n]));
    if (runs.running) problems.push(`${runs.running} runs are still marked running`);
    const abortedByRestart = db.prepare("SELECT COUNT(*) FROM runs WHERE status = 'aborted' AND error LIKE 'The service stopped before this run finished%'").pluck().get() as number;
    const locks = (db.prepare('SELECT id, lock_owner FROM flows').all() as { id: string; lock_owner: string | null }[]).map((r) => ({ id: r.id, lockOwner: r.lock_owner }));
    for (const l of locks) if (l.lockOwner) problems.push(`the ${l.id} flow is still locked by ${l.lockOwner}`);
    const owners = db.prepare('SELECT DISTINCT owner FROM runs').pluck().all() as string[];
    return { problems, items, runs, abortedByRestart, locks, owners };
  } finally {
    db.close();
  }
}

/** Flows whose lock is held right now, with the owner (read-only look at the database). */
export function heldLocks(file: string): { id: string; owner: string }[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT id, lock_owner FROM flows WHERE lock_owner IS NOT NULL').all() as { id: string; lock_owner: string }[]).map((r) => ({ id: r.id, owner: r.lock_owner }));
  } finally {
    db.close();
  }
}

/**
 * How often a restart found work a killed process had done remotely without recording it
 * (the exactly-once paths that only a crash at the wrong instruction exercises).
 */
export function recoveryEvidence(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const count = (like: string) => db.prepare('SELECT COUNT(*) FROM sync_attempts WHERE message LIKE ?').pluck().get(like) as number;
    return {
      ordersLinkedNotCreated: count('Found existing Brightpearl order%'),
      paymentsFoundNotCreated: count('%payment was already recorded in Brightpearl%'),
      creditsLinkedNotCreated: count('Linked to sales credit % already in Brightpearl%'),
      trackingsFoundNotAdded: count('%was already on WooCommerce order%'),
      intents: db.prepare("SELECT COUNT(*) FROM sync_attempts WHERE outcome = 'intent'").pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

/** Runs still marked running that belong to process `pid` (read right after it was killed). */
export function runningRunsOf(file: string, pid: number): number[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT id FROM runs WHERE status = 'running' AND owner LIKE ?").pluck().all(`%:${pid}:%`) as number[];
  } finally {
    db.close();
  }
}

/** Flows process `pid` has started at least one run of. */
export function flowsRunBy(file: string, pid: number): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT DISTINCT flow_id FROM runs WHERE owner LIKE ?').pluck().all(`%:${pid}:%`) as string[];
  } finally {
    db.close();
  }
}

/** Runs by status and error, for the runs a kill cut short. */
export function runsById(file: string, ids: number[]): { id: number; status: string; error: string | null }[] {
  if (ids.length === 0) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`SELECT id, status, error FROM runs WHERE id IN (${ids.map(() => '?').join(',')})`).all(...ids) as { id: number; status: string; error: string | null }[];
  } finally {
    db.close();
  }
}
