/**
 * Demo activity on the order side: the warehouse at work. Each tick, with some probability, a
 * sales order with nothing waiting in the warehouse gets a goods-out note for all or part of
 * what is left to send (these are mostly the orders the sync created from WooCommerce); notes
 * made by the activity (or the seed) get tracking on the next tick and are shipped (SHW) on the
 * one after; and now and then a fully shipped order moves to "Invoiced".
 *
 * Deterministic for a random source and the same sequence of ticks.
 */
import { isoDate, type BrightpearlSimState } from './data';
import { BrightpearlApiError } from './envelope';
import { createNoteForOrder, postGoodsOutEvents, unfulfilledRows, updateGoodsOutNote, type SimGoodsOutNote } from './goods-out';
import { findStatus, ORDER_STATUS } from './reference';
import { fulfilment, notesOfOrder, setOrderStatus, type SimOrder } from './sales';
import { trackingNumberFor } from './seed';
import type { Random } from '../shared/random';

export interface OrderActivityOptions {
  /** Chance per tick of starting a goods-out note. Default 0.6. */
  noteChance?: number;
  /** Chance per tick that a note covers only part of what is left. Default 0.3. */
  partialChance?: number;
  /** Chance per tick of invoicing a fully shipped order. Default 0.25. */
  statusChance?: number;
}

export interface ActivityReport {
  notesCreated: number[];
  notesTracked: number[];
  notesShipped: number[];
  statusChanges: { orderId: number; statusId: number }[];
}

type Stage = 'created' | 'tracked';

export class OrderActivity {
  private tick = 0;
  /** Notes the activity moves on, with the tick they reached their stage. */
  private readonly pending = new Map<number, { stage: Stage; since: number }>();
  private readonly noteChance: number;
  private readonly partialChance: number;
  private readonly statusChance: number;

  constructor(
    private readonly state: BrightpearlSimState,
    private readonly random: Random,
    options: OrderActivityOptions = {},
  ) {
    this.noteChance = options.noteChance ?? 0.6;
    this.partialChance = options.partialChance ?? 0.3;
    this.statusChance = options.statusChance ?? 0.25;
  }

  /** One tick; never throws (a race with an API call just skips that step). */
  step(): ActivityReport {
    this.tick += 1;
    const report: ActivityReport = { notesCreated: [], notesTracked: [], notesShipped: [], statusChanges: [] };
    this.adoptSeedNotes();
    this.advanceNotes(report);
    if (this.random() < this.noteChance) this.startNote(report);
    if (this.random() < this.statusChance) this.invoiceShipped(report);
    return report;
  }

  /** Seeded notes waiting in the warehouse are the activity's to finish. */
  private adoptSeedNotes(): void {
    for (const note of this.state.goodsOutNotes.values()) {
      if (note.source === 'seed' && !note.status.shipped && !this.pending.has(note.id)) this.pending.set(note.id, { stage: 'created', since: this.tick - 1 });
    }
  }

  private advanceNotes(report: ActivityReport): void {
    for (const [noteId, progress] of [...this.pending.entries()].sort(([a], [b]) => a - b)) {
      const note = this.state.goodsOutNotes.get(noteId);
      if (!note || note.status.shipped) {
        this.pending.delete(noteId);
        continue;
      }
      if (progress.since >= this.tick) continue;
      attempt(() => {
        if (progress.stage === 'created') {
          this.track(note);
          this.pending.set(noteId, { stage: 'tracked', since: this.tick });
          report.notesTracked.push(noteId);
        } else {
          postGoodsOutEvents(this.state, noteId, { events: [{ eventCode: 'SHW', occured: isoDate(this.state.now()), eventOwnerId: note.createdBy }] });
          this.pending.delete(noteId);
          report.notesShipped.push(noteId);
        }
      });
    }
  }

  private track(note: SimGoodsOutNote): void {
    if (note.shipping.reference !== '') return;
    const reference = trackingNumberFor(note.shipping.shippingMethodId, this.random);
    const boxes = 1 + Math.floor(this.random() * 2);
    const weight = (0.3 + Math.floor(this.random() * 40) / 10).toFixed(2);
    updateGoodsOutNote(this.state, note.id, { shipping: { reference, boxes, weight } });
  }

  /** Open sales orders with something left to send and nothing waiting in the warehouse. */
  private candidates(): SimOrder[] {
    return [...this.state.orders.values()].filter((order) => {
      if (order.orderTypeCode !== 'SO' || order.cancelled) return false;
      const state = findStatus(this.state.reference, order.statusId)?.state;
      if (state === 'draft' || state === 'cancelled') return false;
      if (notesOfOrder(this.state, order.id).some((n) => !n.status.shipped)) return false;
      return unfulfilledRows(this.state, order).length > 0;
    });
  }

  private startNote(report: ActivityReport): void {
    const candidates = this.candidates();
    if (candidates.length === 0) return;
    // Orders nobody has touched yet first, oldest first: the warehouse works through its queue.
    const fresh = candidates.filter((o) => notesOfOrder(this.state, o.id).length === 0);
    const order = (fresh.length > 0 ? fresh : candidates)[0] as SimOrder;
    let lines = unfulfilledRows(this.state, order).map((r) => ({ rowId: r.row.id, quantity: r.remaining }));
    if (this.random() < this.partialChance) {
      if (lines.length > 1) lines = lines.slice(0, Math.ceil(lines.length / 2));
      else if (lines[0] && lines[0].quantity > 1) lines = [{ rowId: lines[0].rowId, quantity: Math.floor(lines[0].quantity / 2) }];
    }
    attempt(() => {
      const noteId = createNoteForOrder(this.state, order.id, { rows: lines, source: 'activity' });
      this.pending.set(noteId, { stage: 'created', since: this.tick });
      report.notesCreated.push(noteId);
    });
  }

  private invoiceShipped(report: ActivityReport): void {
    const order = [...this.state.orders.values()].find((o) => {
      if (o.orderTypeCode !== 'SO' || o.cancelled || o.invoicedOn !== undefined) return false;
      return fulfilment(this.state, o).shippingStatusCode === 'ASS';
    });
    if (!order) return;
    attempt(() => {
      setOrderStatus(this.state, order.id, ORDER_STATUS.INVOICED, 'Invoiced by the warehouse after dispatch');
      report.statusChanges.push({ orderId: order.id, statusId: ORDER_STATUS.INVOICED });
    });
  }
}

function attempt(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof BrightpearlApiError)) throw err;
  }
}
