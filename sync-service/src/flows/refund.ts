/**
 * Refunds: WooCommerce → Brightpearl sales credits.
 *
 * Each WooCommerce refund becomes ONE Brightpearl sales credit linked to its sales order
 * (`parentId`), followed by the refund payment (PAYMENT on the credit). Partial refunds and
 * several refunds per order are separate credits. Entity = the WooCommerce refund id; Info = that
 * id; the log row's WooCommerce id is the ORDER id (WooCommerce has no page for a refund: the
 * store owner sees it on its order) and its Brightpearl id is the credit id once there is one.
 *
 * Selection. Refunds changed in a window read the drift-safe way (GET /refunds, or the refunds of
 * the orders modified in the window on stores older than WooCommerce 9.0): from the flow cursor
 * minus an overlap (10 min) — or `ctx.since`, or 24 hours back on the very first run — to the
 * start of the next second, so a refund made this second is read now and one changed later in the
 * same second is read by the next window. Refunds the log already shows Synced are skipped (a
 * refund cannot be edited in WooCommerce), so the overlap costs reads, never writes. Every
 * unscoped run also retries the rows the log shows Failed or Pending; `ctx.scope` (refund ids: a
 * retry from the log) limits the run to those. The cursor moves to the window's end only after an
 * unscoped run that read its window and was not stopped.
 *
 * The order must be in Brightpearl first (the order flow's 'order' id mapping). Until it is, the
 * refund is Failed with "Order #N is not in Brightpearl yet; this refund syncs after the order
 * does." — a Failed row says why it waits (a Pending row cannot), and because Failed rows are
 * retried by every run, it heals by itself on the first run after the order syncs. While the
 * order is still unmapped a retry costs no request at all.
 *
 * The credit (§8 of the reference): customer = the sales order's customer, parentId = the sales
 * order, ref `WC-<order number>-R<n>` (n = the refund's position among the order's refunds),
 * externalRef `<order number>-refund-<refund id>`, installedIntegrationInstanceId when configured,
 * channel / warehouse / currency like the sales order, placedOn = when the refund was made. Rows
 * carry POSITIVE net and tax:
 *  - one per refunded line item, quantity = |refunded quantity|, productId from the sales order's
 *    row whose externalRef is the refunded order item (`_refunded_item_id`), else by SKU among the
 *    order's rows, else through the product id mapping; its tax and nominal code come from that
 *    row. A line refunded with money but no quantity, or whose product Brightpearl does not know,
 *    becomes a free-text row (said so in the log);
 *  - refunded shipping as a free-text row on the shipping nominal code; refunded fees likewise on
 *    the sales code;
 *  - a free-text "Refund adjustment" row for whatever the refund amount and the rows' total
 *    differ by (tax 0: WooCommerce does not say how much of it is tax). An amount-only refund is
 *    therefore a single "Refund adjustment" row.
 * The payment: PAYMENT on the credit, amount = the refund amount, method = the Settings payment
 * method mapped to the order's gateway, transactionRef `wc-refund-<refund id>`. A refund of 0.00
 * needs no payment.
 *
 * Exactly once. A credit is never created twice for a refund:
 *  1. the id mapping (type 'refund', bpId = credit, wcId = refund, wcParentId = order) is checked
 *     first and written the moment a credit exists;
 *  2. without it, credits are looked up by externalRef (order type 3) before anything is created
 *     — this finds a credit whose create reached Brightpearl just before the service died;
 *  3. an intent is recorded (committed) right before `createSalesCredit`; with an
 *     installedIntegrationInstanceId the create itself is idempotent too.
 * The payment is keyed by transactionRef + method (Brightpearl's idempotency key); when the
 * credit existed before this attempt, its payments are read first. A payment failure after the
 * credit exists leaves the row Failed with the credit id, and the retry only records the payment.
 */
import { BrightpearlOutcomeUnknownError, ORDER_TYPE_ID, type BrightpearlClient } from '../brightpearl/client';
import { isValidId } from '../brightpearl/idset';
import type { CustomerPaymentInput, OrderRowInput, SalesCreditInput } from '../brightpearl/inputs';
import type { BrightpearlSalesOrder, BrightpearlOrderRow } from '../brightpearl/schemas';
import { SYNC_STATUS } from '../domain/constants';
import { withoutRetryNote } from '../domain/retry-note';
import type { Flow, FlowContext } from '../engine/flow';
import { HttpError } from '../http/request';
import type { Mappings } from '../settings/mappings';
import type { EntityRef, IdMapping, Outcome, SyncItem } from '../store';
import type { WooCommerceClient } from '../woocommerce/client';
import { refundedItemId, type WooOrder, type WooRefundWithParent } from '../woocommerce/schemas';

/** What the flow reads from WooCommerce. */
export type RefundSource = Pick<WooCommerceClient, 'refundsModifiedBetween' | 'listRefunds' | 'listOrders'>;

/** What the flow reads and writes in Brightpearl. */
export type RefundTarget = Pick<
  BrightpearlClient,
  'getSalesOrders' | 'findOrderByExternalRef' | 'createSalesCredit' | 'createCustomerPayment' | 'findCustomerPayments'
>;

export type RefundMappings = Pick<Mappings, 'paymentMethodMap' | 'nominalCodes' | 'defaultTaxCode' | 'channelId' | 'orderWarehouseId'>;

export interface RefundFlowOptions {
  woocommerce: RefundSource;
  brightpearl: RefundTarget;
  /** The store owner's mappings (read per run). */
  mappings: () => RefundMappings;
  /** Brightpearl `installedIntegrationInstanceId`, sent with credits when known. */
  integrationInstanceId?: number;
  /** Refunds handled per step. */
  chunkSize?: number;
  /** How far before the cursor a window starts (clock skew between the store and us, saves in flight). */
  overlapMs?: number;
  /** How far back the very first run looks. */
  initialLookbackMs?: number;
}

export const REFUND_CURSOR_OVERLAP_MS = 10 * 60_000;
export const REFUND_INITIAL_LOOKBACK_MS = 24 * 3_600_000;
const ORDERS_PER_READ = 100;

/** The credit's idempotency key in Brightpearl. */
export const creditExternalRef = (orderNumber: string, refundId: number): string => `${orderNumber}-refund-${refundId}`;
/** The refund payment's transaction reference (unique with the payment method). */
export const refundTransactionRef = (refundId: number): string => `wc-refund-${refundId}`;

// ---------------------------------------------------------------------------------------------
// Money in integer pence (WooCommerce sends 2-dp strings; refund items are negative)

const toCents = (value: string | number | null | undefined): number => {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? Math.round(n * 100) : 0;
};
const fromCents = (cents: number): string => `${cents < 0 ? '-' : ''}${(Math.abs(cents) / 100).toFixed(2)}`;

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const gmtIso = (wooDate: string | null | undefined): string | undefined => (wooDate ? `${wooDate.replace(/Z$/, '')}Z` : undefined);

function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The credit for one refund, plus what the log should say about how it was built. */
export interface PlannedCredit {
  body: SalesCreditInput;
  /** Refund amount in pence. */
  amount: number;
  /** Short description of the rows, e.g. "2 items, shipping". */
  summary: string;
  /** Things a store owner should know (free-text fallbacks, an adjustment row). */
  remarks: string[];
}

/**
 * Builds the sales credit for a refund of `order` (see the file comment). Pure: exported for unit
 * tests and for the log's request summary.
 */
export function planCredit(
  refund: WooRefundWithParent,
  order: WooOrder,
  salesOrder: BrightpearlSalesOrder,
  mappings: RefundMappings,
  opts: { integrationInstanceId?: number; productFor?: (wcProductId: number) => number | undefined } = {},
): PlannedCredit {
  const rows: OrderRowInput[] = [];
  const remarks: string[] = [];
  let items = 0;
  let shipping = false;
  let fees = 0;
  const rowByRef = new Map<string, BrightpearlOrderRow>();
  const rowBySku = new Map<string, BrightpearlOrderRow>();
  for (const r of salesOrder.rows) {
    if (r.externalRef) rowByRef.set(r.externalRef, r);
    if (r.sku && r.productId) rowBySku.set(r.sku.toLowerCase(), r);
  }
  const defaultTax = mappings.defaultTaxCode;

  for (const item of refund.line_items) {
    const net = Math.abs(toCents(item.total));
    const tax = Math.abs(toCents(item.total_tax));
    const quantity = Math.abs(item.quantity);
    if (net === 0 && tax === 0 && quantity === 0) continue;
    const orderItemId = refundedItemId(item);
    const orderItem =
      (orderItemId !== undefined ? order.line_items.find((li) => li.id === orderItemId) : undefined) ??
      order.line_items.find((li) => li.product_id === item.product_id && li.variation_id === item.variation_id);
    const ref = String(orderItemId ?? orderItem?.id ?? '');
    const sku = (item.sku ?? orderItem?.sku ?? '').trim().toLowerCase();
    const bpRow = (ref ? rowByRef.get(ref) : undefined) ?? (sku ? rowBySku.get(sku) : undefined);
    const productId = bpRow?.productId ?? opts.productFor?.(item.variation_id || item.product_id) ?? undefined;
    const base = {
      taxCode: bpRow?.taxCode || defaultTax,
      net: fromCents(net),
      tax: fromCents(tax),
      nominalCode: bpRow?.nominalCode || mappings.nominalCodes.sales,
      ...(ref ? { externalRef: ref } : {}),
    };
    if (productId && quantity > 0 && Number.isInteger(quantity)) {
      rows.push({ productId, quantity: String(quantity), ...base });
    } else if (quantity > 0) {
      rows.push({ name: `Refund: ${item.name}`.slice(0, 255), quantity: String(quantity), ...base });
      remarks.push(`"${item.name}" has no Brightpearl product on the order, so it was credited as a free-text row`);
    } else {
      // Money back on a line without items coming back: no stock movement, so no product row.
      rows.push({ name: `Refund adjustment: ${item.name}`.slice(0, 255), quantity: '1', ...base });
    }
    items += 1;
  }

  const shippingTemplate = salesOrder.rows.find((r) => !r.productId && r.nominalCode === mappings.nominalCodes.shipping);
  for (const line of refund.shipping_lines ?? []) {
    const net = Math.abs(toCents(line.total));
    const tax = Math.abs(toCents(line.total_tax));
    if (net === 0 && tax === 0) continue;
    const orderLineId = refundedItemId({ meta_data: line.meta_data ?? [] });
    const bpRow = (orderLineId !== undefined ? rowByRef.get(String(orderLineId)) : undefined) ?? shippingTemplate;
    rows.push({
      name: `Refund: shipping${line.method_title ? ` (${line.method_title})` : ''}`.slice(0, 255),
      quantity: '1',
      taxCode: bpRow?.taxCode || defaultTax,
      net: fromCents(net),
      tax: fromCents(tax),
      nominalCode: mappings.nominalCodes.shipping,
      ...(orderLineId !== undefined ? { externalRef: String(orderLineId) } : {}),
    });
    shipping = true;
  }

  for (const fee of refund.fee_lines ?? []) {
    const net = Math.abs(toCents(fee.total));
    const tax = Math.abs(toCents(fee.total_tax));
    if (net === 0 && tax === 0) continue;
    const orderLineId = refundedItemId({ meta_data: fee.meta_data ?? [] });
    const bpRow = orderLineId !== undefined ? rowByRef.get(String(orderLineId)) : undefined;
    rows.push({
      name: `Refund: ${fee.name}`.slice(0, 255),
      quantity: '1',
      taxCode: bpRow?.taxCode || defaultTax,
      net: fromCents(net),
      tax: fromCents(tax),
      nominalCode: bpRow?.nominalCode || mappings.nominalCodes.sales,
      ...(orderLineId !== undefined ? { externalRef: String(orderLineId) } : {}),
    });
    fees += 1;
  }

  const amount = toCents(refund.amount);
  const credited = rows.reduce((sum, r) => sum + toCents(r.net) + toCents(r.tax), 0);
  const difference = amount - credited;
  if (difference !== 0) {
    rows.push({ name: 'Refund adjustment', quantity: '1', taxCode: defaultTax, net: fromCents(difference), tax: '0.00', nominalCode: mappings.nominalCodes.sales });
    if (rows.length > 1) remarks.push(`a "Refund adjustment" row of ${fromCents(difference)} makes the credit match the refund amount`);
  }

  const ids = order.refunds.map((r) => r.id).sort((a, b) => a - b);
  const position = ids.indexOf(refund.id);
  const parts: string[] = [];
  if (items) parts.push(`${items} item${items === 1 ? '' : 's'}`);
  if (shipping) parts.push('shipping');
  if (fees) parts.push(`${fees} fee${fees === 1 ? '' : 's'}`);
  if (difference !== 0) parts.push(rows.length === 1 ? 'amount only' : 'adjustment');

  const body: SalesCreditInput = {
    customer: { id: salesOrder.customerId as number },
    parentId: salesOrder.id,
    ref: `WC-${order.number}-R${position >= 0 ? position + 1 : refund.id}`.slice(0, 64),
    externalRef: creditExternalRef(order.number, refund.id),
    ...(opts.integrationInstanceId !== undefined ? { installedIntegrationInstanceId: opts.integrationInstanceId } : {}),
    ...((salesOrder.channelId ?? mappings.channelId) ? { channelId: (salesOrder.channelId ?? mappings.channelId) as number } : {}),
    ...((salesOrder.warehouseId ?? mappings.orderWarehouseId) ? { warehouseId: (salesOrder.warehouseId ?? mappings.orderWarehouseId) as number } : {}),
    ...(gmtIso(refund.date_created_gmt) ? { placedOn: gmtIso(refund.date_created_gmt) } : {}),
    currency: { code: salesOrder.currency?.code ?? order.currency },
    rows,
  };
  return { body, amount, summary: parts.join(', ') || 'nothing', remarks };
}

// ---------------------------------------------------------------------------------------------

interface RunState {
  mappings: RefundMappings;
}

export class RefundFlow implements Flow {
  readonly type = 'refund' as const;
  private readonly chunkSize: number;
  private readonly overlapMs: number;
  private readonly initialLookbackMs: number;

  constructor(private readonly options: RefundFlowOptions) {
    this.chunkSize = Math.max(1, options.chunkSize ?? 50);
    this.overlapMs = options.overlapMs ?? REFUND_CURSOR_OVERLAP_MS;
    this.initialLookbackMs = options.initialLookbackMs ?? REFUND_INITIAL_LOOKBACK_MS;
  }

  async run(ctx: FlowContext): Promise<void> {
    const run: RunState = { mappings: this.options.mappings() };
    const due = new Map<number, WooRefundWithParent>();
    let windowEnd: Date | undefined;

    if (ctx.scope) {
      const ids = [...new Set(ctx.scope.map(Number).filter(isValidId))];
      await this.collectRetries(ctx, ids, due);
    } else {
      const now = ctx.store.clock().getTime();
      const from = this.windowStart(ctx, now);
      windowEnd = new Date((Math.floor(now / 1000) + 1) * 1000);
      for (const refund of await this.options.woocommerce.refundsModifiedBetween(from, windowEnd)) {
        if (ctx.store.items.getByEntity('refund', String(refund.id))?.status === SYNC_STATUS.SYNCED) continue;
        due.set(refund.id, refund);
      }
      const again = [...ctx.store.items.entityIds('refund', SYNC_STATUS.FAILED), ...ctx.store.items.entityIds('refund', SYNC_STATUS.PENDING)]
        .map(Number)
        .filter((id) => isValidId(id) && !due.has(id));
      await this.collectRetries(ctx, again, due);
    }

    // Oldest first, so an order's R1 is credited before its R2.
    const ordered = [...due.values()].sort((a, b) => (a.date_created_gmt ?? '').localeCompare(b.date_created_gmt ?? '') || a.id - b.id);
    for (const chunk of chunked(ordered, this.chunkSize)) {
      if (ctx.signal.aborted) return;
      await this.syncChunk(ctx, chunk, run);
    }
    if (windowEnd && !ctx.signal.aborted) ctx.store.flows.setCursor('refund', windowEnd.toISOString());
  }

  private windowStart(ctx: FlowContext, now: number): Date {
    if (ctx.since) {
      const ms = Date.parse(ctx.since);
      if (Number.isNaN(ms)) throw new Error(`Cannot resync refunds from "${ctx.since}": not a date.`);
      return new Date(ms);
    }
    const cursor = ctx.store.flows.getCursor('refund');
    const ms = cursor ? Date.parse(cursor) : Number.NaN;
    return new Date(Number.isNaN(ms) ? now - this.initialLookbackMs : ms - this.overlapMs);
  }

  /**
   * Refunds named by id (Failed/Pending rows, or a scoped retry): read through their order (the
   * row's WooCommerce id). A row still waiting for its order costs nothing while the order is not
   * in Brightpearl; refunds that no longer exist are settled here.
   */
  private async collectRetries(ctx: FlowContext, ids: number[], due: Map<number, WooRefundWithParent>): Promise<void> {
    if (ids.length === 0) return;
    const byOrder = new Map<number, SyncItem[]>();
    const outcomes: Outcome[] = [];
    const unknown: number[] = [];
    for (const id of ids) {
      const item = ctx.store.items.getByEntity('refund', String(id));
      const orderId = Number(item?.wcId);
      if (!item || !isValidId(orderId)) {
        unknown.push(id);
        continue;
      }
      const waiting =
        item.status === SYNC_STATUS.FAILED && item.error !== null && !ctx.store.mappings.byWooCommerce('order', String(orderId)) && isWaitingMessage(withoutRetryNote(item.error));
      if (waiting) {
        // Same message again: no history row, no request.
        outcomes.push({ entityId: item.entityId, status: 'failed', message: withoutRetryNote(item.error as string) });
        continue;
      }
      byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), item]);
    }
    if (unknown.length) {
      ctx.seen(unknown.map((id): EntityRef => ({ entityId: String(id), info: String(id) })));
      for (const id of unknown) {
        outcomes.push({
          entityId: String(id),
          status: 'failed',
          message: `The sync does not know which WooCommerce order refund ${id} belongs to. It syncs when WooCommerce next reports it changed, or run a resync from the day it was made.`,
        });
      }
    }
    for (const [orderId, items] of byOrder) {
      if (ctx.signal.aborted) break;
      let refunds: WooRefundWithParent[];
      try {
        refunds = await this.options.woocommerce.listRefunds(orderId);
      } catch (err) {
        if (err instanceof HttpError && err.status === 404) {
          for (const item of items) {
            outcomes.push({
              entityId: item.entityId,
              status: 'synced',
              message: `WooCommerce order ${orderId} no longer exists (deleted with its refunds) before this refund reached Brightpearl; nothing to credit.`,
            });
          }
        } else {
          for (const item of items) {
            outcomes.push({ entityId: item.entityId, status: 'failed', message: `Could not read the refunds of WooCommerce order ${orderId}: ${errorText(err)}. It will be retried on the next run.` });
          }
        }
        continue;
      }
      const byId = new Map(refunds.map((r) => [r.id, r]));
      for (const item of items) {
        const refund = byId.get(Number(item.entityId));
        if (refund) due.set(refund.id, refund);
        else
          outcomes.push({
            entityId: item.entityId,
            status: 'synced',
            message: `The refund was deleted in WooCommerce (order ${orderId}) before it reached Brightpearl; nothing to credit.`,
          });
      }
    }
    ctx.record(outcomes);
  }

  private async syncChunk(ctx: FlowContext, refunds: WooRefundWithParent[], run: RunState): Promise<void> {
    const refOf = (r: WooRefundWithParent): EntityRef => {
      const credit = ctx.store.mappings.byWooCommerce('refund', String(r.id));
      return { entityId: String(r.id), info: String(r.id), wcId: String(r.parent_id), ...(credit ? { bpId: credit.bpId } : {}) };
    };
    ctx.seen(refunds.map(refOf));
    const outcomes: Outcome[] = [];

    // The WooCommerce orders (number, gateway, refund list) and their Brightpearl sales orders.
    const orders = new Map<number, WooOrder>();
    const salesOrders = new Map<number, BrightpearlSalesOrder>();
    const orderIds = [...new Set(refunds.map((r) => r.parent_id))];
    try {
      for (const ids of chunked(orderIds, ORDERS_PER_READ)) {
        for await (const order of this.options.woocommerce.listOrders({ include: ids.join(','), per_page: ORDERS_PER_READ })) orders.set(order.id, order);
      }
      const bpIds = orderIds.flatMap((id) => {
        const m = ctx.store.mappings.byWooCommerce('order', String(id));
        return m && isValidId(Number(m.bpId)) ? [Number(m.bpId)] : [];
      });
      if (bpIds.length) for (const so of await this.options.brightpearl.getSalesOrders(bpIds)) salesOrders.set(so.id, so);
    } catch (err) {
      for (const r of refunds) {
        outcomes.push({ entityId: String(r.id), status: 'failed', message: `Could not read the order of this refund: ${errorText(err)}. It will be retried on the next run.` });
      }
      ctx.record(outcomes);
      return;
    }

    for (const refund of refunds) {
      if (ctx.signal.aborted) break; // the rest stay Pending and are picked up next run
      const order = orders.get(refund.parent_id);
      const mapping = ctx.store.mappings.byWooCommerce('order', String(refund.parent_id));
      try {
        outcomes.push(await this.syncOne(ctx, refund, order, mapping, mapping ? salesOrders.get(Number(mapping.bpId)) : undefined, run));
      } catch (err) {
        ctx.log.warn({ flow: 'refund', refundId: refund.id, err: errorText(err) }, 'refund failed');
        outcomes.push({ entityId: String(refund.id), status: 'failed', message: `Could not sync this refund: ${errorText(err)}. It will be retried on the next run.` });
      }
    }
    ctx.record(outcomes);
  }

  private async syncOne(
    ctx: FlowContext,
    refund: WooRefundWithParent,
    order: WooOrder | undefined,
    orderMapping: IdMapping | undefined,
    salesOrder: BrightpearlSalesOrder | undefined,
    run: RunState,
  ): Promise<Outcome> {
    const entityId = String(refund.id);
    const fail = (message: string, extra: { request?: unknown; response?: unknown } = {}): Outcome => ({ entityId, status: 'failed', message, ...extra });
    if (!order) {
      return fail(
        `WooCommerce order ${refund.parent_id} of this refund could not be read (it may be in the trash). Restore the order and the refund syncs on the next run.`,
      );
    }
    if (!orderMapping) return fail(waitingMessage(order.number));
    if (!salesOrder) {
      return fail(
        `Brightpearl sales order ${orderMapping.bpId}, which order #${order.number} was sent to, was not found (it may have been deleted in Brightpearl). The refund cannot be credited against it; check the order in Brightpearl.`,
      );
    }
    if (salesOrder.customerId === undefined) {
      return fail(`Brightpearl sales order ${salesOrder.id} has no customer, so a credit cannot be raised against it. Check the order in Brightpearl.`);
    }

    const plan = planCredit(refund, order, salesOrder, run.mappings, {
      integrationInstanceId: this.options.integrationInstanceId,
      productFor: (wcId) => {
        const m = ctx.store.mappings.byWooCommerce('product', String(wcId));
        const id = Number(m?.bpId);
        return isValidId(id) ? id : undefined;
      },
    });
    if (plan.amount === 0 && plan.body.rows.length === 0) {
      return { entityId, status: 'synced', message: `Refund of 0.00 with nothing refunded on order #${order.number}: nothing to credit in Brightpearl.`, wcId: String(order.id) };
    }
    const externalRef = plan.body.externalRef as string;

    // --- the credit, exactly once ---
    let creditId: number | undefined;
    let how: 'mapped' | 'found' | 'created';
    const mapped = ctx.store.mappings.byWooCommerce('refund', entityId);
    if (mapped && isValidId(Number(mapped.bpId))) {
      creditId = Number(mapped.bpId);
      how = 'mapped';
    } else {
      try {
        const found = await this.options.brightpearl.findOrderByExternalRef(externalRef, { orderTypeId: ORDER_TYPE_ID.SALES_CREDIT });
        creditId = found[0];
      } catch (err) {
        return fail(`Could not check Brightpearl for an existing credit (reference ${externalRef}): ${errorText(err)}. Nothing was created; it will be retried on the next run.`);
      }
      how = creditId !== undefined ? 'found' : 'created';
      if (creditId === undefined) {
        ctx.store.items.recordIntent('refund', entityId, { create: 'sales-credit', externalRef, parentId: salesOrder.id, amount: fromCents(plan.amount) }, ctx.runId);
        try {
          creditId = await this.options.brightpearl.createSalesCredit(plan.body);
        } catch (err) {
          if (err instanceof BrightpearlOutcomeUnknownError) {
            return fail(
              `Brightpearl may or may not have created the credit (${errorText(err.original)}). The next run looks for it by its reference ${externalRef} before creating one, so it is never credited twice.`,
              { request: plan.body },
            );
          }
          if (err instanceof HttpError && err.status !== undefined && err.status >= 400 && err.status < 500) {
            return fail(`Brightpearl did not accept the sales credit for order #${order.number}: ${errorText(err)}. It will be retried on the next run.`, { request: plan.body });
          }
          return fail(
            `Creating the sales credit for order #${order.number} failed (${errorText(err)}). The next run looks for it by its reference ${externalRef} before creating one, so it is never credited twice.`,
            { request: plan.body },
          );
        }
      }
      ctx.store.mappings.link([{ type: 'refund', bpId: String(creditId), wcId: entityId, wcParentId: String(order.id) }]);
      ctx.seen([{ entityId, info: entityId, bpId: String(creditId), wcId: String(order.id) }]);
    }

    const creditText =
      how === 'created'
        ? `Sales credit ${creditId} created against sales order ${salesOrder.id} (${plan.summary})`
        : how === 'found'
          ? `Linked to sales credit ${creditId} already in Brightpearl with reference ${externalRef}`
          : `Sales credit ${creditId}`;

    // --- the refund payment ---
    let paymentText = '';
    let paymentId: number | undefined;
    let paymentCreated = false;
    if (plan.amount > 0) {
      const gateway = order.payment_method;
      const code = gateway ? run.mappings.paymentMethodMap[gateway] : undefined;
      if (!code) {
        const which = gateway ? `payment method "${order.payment_method_title || gateway}" (${gateway})` : 'order has no payment method, and its';
        return fail(
          `${creditText}, but the refund payment was not recorded: WooCommerce ${which} has no Brightpearl payment method. Choose one under Settings → Payment methods; the payment is recorded on the next run and the credit is not created again.`,
          { request: plan.body, response: { creditId } },
        );
      }
      const payment: CustomerPaymentInput = {
        paymentType: 'PAYMENT',
        orderId: creditId as number,
        paymentMethodCode: code,
        currencyIsoCode: plan.body.currency?.code ?? order.currency,
        paymentDate: gmtIso(refund.date_created_gmt) ?? ctx.store.clock().toISOString(),
        amountPaid: fromCents(plan.amount),
        transactionRef: refundTransactionRef(refund.id),
        journalRef: `WooCommerce refund ${refund.id} of order #${order.number}`,
      };
      try {
        if (how !== 'created') {
          // The credit existed before this attempt: an earlier one may have recorded the payment.
          const existing = (await this.options.brightpearl.findCustomerPayments(creditId as number)).find(
            (p) => p.paymentType === 'PAYMENT' && p.transactionRef === payment.transactionRef,
          );
          paymentId = existing?.paymentId;
        }
        if (paymentId === undefined) {
          paymentId = await this.options.brightpearl.createCustomerPayment(payment);
          paymentCreated = true;
        }
      } catch (err) {
        return fail(
          `${creditText}, but recording the refund payment failed: ${errorText(err)}. The payment is retried on the next run; the credit is not created again.`,
          { request: payment, response: { creditId } },
        );
      }
      paymentText = `; ${fromCents(plan.amount)} ${payment.currencyIsoCode} paid back via ${code}`;
    }

    if (how === 'mapped' && !paymentCreated) {
      // Credit and payment were both there already (a retry of a row that had synced).
      return { entityId, status: 'unchanged', value: `credit ${creditId}`, wcId: String(order.id) };
    }
    const remarks = plan.remarks.length ? ` (${plan.remarks.join('; ')})` : '';
    return {
      entityId,
      status: 'synced',
      message: `${creditText} for order #${order.number}${paymentText}${remarks}.`,
      value: `credit ${creditId}`,
      wcId: String(order.id),
      request: plan.body,
      response: { creditId, paymentId },
    };
  }
}

const WAITING_SUFFIX = 'is not in Brightpearl yet; this refund syncs after the order does.';
function waitingMessage(orderNumber: string): string {
  return `Order #${orderNumber} ${WAITING_SUFFIX}`;
}
function isWaitingMessage(message: string): boolean {
  return message.endsWith(WAITING_SUFFIX);
}
