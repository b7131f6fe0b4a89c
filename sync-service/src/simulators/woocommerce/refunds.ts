/**
 * Refunds (§6): /orders/{id}/refunds (list, create, read, delete with force=true) and, from
 * WooCommerce 9.0, the store-wide read-only /refunds whose items carry parent_id. Create requests
 * are normalised as RestApiParameterUtil does (amount computed from the line items when every item
 * has refund_total and refund_tax) before wc_create_refund runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { homeUrl, requireAuth } from './auth';
import { matchesCollectionFilters, paginate, pickFields, readCollectionQuery, readerFor, sortRows } from './collection';
import type { WooCommerceState } from './data';
import { noRoute, WooRestError } from './errors';
import { toPence, type OrderRecord, type RefundRecord } from './order-model';
import type { OrderOperations, RefundLineWrite, RefundWrite } from './order-ops';
import { renderRefund } from './order-render';
import { readDp } from './orders';
import { API, apiUrl, BodyReader, idParam, isIntegerLike, isNumberLike, sendJson } from './route-helpers';

export interface RefundRoutesContext {
  state: WooCommerceState;
  ops: OrderOperations;
  assumeHttps: boolean;
}

const REFUND_ORDERBY = ['date', 'id', 'include', 'title', 'slug', 'modified'] as const;

const invalidOrderId = (): WooRestError => new WooRestError('woocommerce_rest_invalid_order_id', 'Invalid order ID.', 404);
const invalidRefundId = (): WooRestError => new WooRestError('woocommerce_rest_shop_order_refund_invalid_id', 'Invalid ID.', 404);

/**
 * The create body after RestApiParameterUtil::adjust_create_refund_request_parameters. `amount`
 * must be a JSON string (the schema type); a number is a 400 like any other type mismatch.
 */
export function readRefundWrite(body: unknown): RefundWrite {
  const b = new BodyReader(body);
  const amountText = b.string('amount');
  const reason = b.string('reason');
  const apiRefund = b.bool('api_refund');
  const apiRestock = b.bool('api_restock');
  const meta = b.meta();
  const lines = b.list('line_items');
  b.errors.throwIfAny();

  let computable = (lines?.length ?? 0) > 0;
  let computed = 0;
  const lineItems: RefundLineWrite[] = (lines ?? []).flatMap((l) => {
    if (!isIntegerLike(l.id)) return [];
    const refundTax = new Map<number, number>();
    if (Array.isArray(l.refund_tax)) {
      for (const t of l.refund_tax) {
        if (typeof t !== 'object' || t === null) continue;
        const { id, refund_total: total } = t as { id?: unknown; refund_total?: unknown };
        if (!isNumberLike(total)) computable = false;
        if (isIntegerLike(id) && isNumberLike(total)) refundTax.set(Number(id), toPence(total) ?? 0);
      }
    } else {
      computable = false;
    }
    const refundTotal = isNumberLike(l.refund_total) ? toPence(l.refund_total) : undefined;
    if (refundTotal === undefined) computable = false;
    computed += (refundTotal ?? 0) + [...refundTax.values()].reduce((s, v) => s + v, 0);
    return [{ id: Number(l.id), quantity: isIntegerLike(l.quantity) ? Number(l.quantity) : undefined, refundTotal, refundTax }];
  });

  let amount: number | undefined;
  if (amountText !== undefined && amountText.trim() !== '') {
    amount = toPence(amountText);
    // wc_format_decimal of garbage compares as 0 < x only by accident; WooCommerce ends in "Invalid refund amount.".
    if (amount === undefined) amount = Number.POSITIVE_INFINITY;
  } else if (computable) {
    amount = computed;
  }
  return { amount, reason, lineItems, apiRefund, apiRestock, meta };
}

export function registerRefundRoutes(app: FastifyInstance, ctx: RefundRoutesContext): void {
  const { state, ops } = ctx;
  const home = (request: FastifyRequest) => homeUrl(request, ctx.assumeHttps);
  const siteOffset = () => state.options.gmtOffsetHours * 3600;

  const orderFor = (request: FastifyRequest): OrderRecord => {
    const order = state.orders.get(idParam(request, 'id'));
    if (!order) throw invalidOrderId();
    return order;
  };
  const refundOf = (order: OrderRecord, request: FastifyRequest): RefundRecord => {
    const refund = state.refunds.get(idParam(request, 'refundId'));
    if (!refund || refund.parentId !== order.id) throw invalidRefundId();
    return refund;
  };

  app.get(`${API}/orders/:id/refunds`, async (request, reply) => {
    const r = readerFor(request);
    const q = readCollectionQuery(r, { orderbyValues: REFUND_ORDERBY }, siteOffset());
    const dp = readDp(r);
    r.errors.throwIfAny();
    requireAuth(request, 'list');
    const order = orderFor(request);
    const rows = order.refundIds.map((id) => state.refunds.get(id)).filter((x): x is RefundRecord => x !== undefined && matchesCollectionFilters(x, q));
    const page = paginate(sortRows(rows, q, (x) => x.id), q, request, home(request));
    return sendJson(
      reply,
      200,
      page.items.map((x) => pickFields(renderRefund(state, x, home(request), dp), q.fields)),
      page.headers,
    );
  });

  app.post(`${API}/orders/:id/refunds`, async (request, reply) => {
    const w = readRefundWrite(request.body);
    const user = requireAuth(request, 'create');
    const order = orderFor(request);
    if (w.amount !== undefined && w.amount < 0) {
      // new WP_Error(code, message, 400): data is a bare number, so WordPress answers 500.
      throw new WooRestError('woocommerce_rest_invalid_order_refund', 'Refund amount must be greater than zero.', 500, {}, {}, 400);
    }
    const refund = ops.createRefund(order, w, { user });
    return sendJson(reply, 201, renderRefund(state, refund, home(request)), { location: apiUrl(home(request), `orders/${order.id}/refunds/${refund.id}`) });
  });

  app.get(`${API}/orders/:id/refunds/:refundId`, async (request, reply) => {
    const r = readerFor(request);
    const dp = readDp(r);
    const fields = r.string('_fields')?.split(',').map((f) => f.trim());
    r.errors.throwIfAny();
    requireAuth(request, 'view');
    const order = orderFor(request);
    return sendJson(reply, 200, pickFields(renderRefund(state, refundOf(order, request), home(request), dp), fields));
  });

  app.delete(`${API}/orders/:id/refunds/:refundId`, async (request, reply) => {
    const force = readerFor(request).bool('force') ?? false;
    requireAuth(request, 'delete');
    const order = orderFor(request);
    const refund = refundOf(order, request);
    if (!force) throw new WooRestError('woocommerce_rest_trash_not_supported', 'The shop_order_refund does not support trashing.', 501);
    const body = renderRefund(state, refund, home(request));
    ops.deleteRefund(refund);
    return sendJson(reply, 200, body);
  });

  app.get(`${API}/refunds`, async (request, reply) => {
    // WC_REST_Refunds_Controller exists from WooCommerce 9.0.
    if (!state.versionAtLeast(9, 0)) throw noRoute();
    const r = readerFor(request);
    const q = readCollectionQuery(r, { orderbyValues: REFUND_ORDERBY }, siteOffset());
    const dp = readDp(r);
    r.errors.throwIfAny();
    requireAuth(request, 'list');
    const rows = [...state.refunds.values()].filter((x) => matchesCollectionFilters(x, q));
    const page = paginate(sortRows(rows, q, (x) => x.id), q, request, home(request));
    return sendJson(
      reply,
      200,
      page.items.map((x) => pickFields(renderRefund(state, x, home(request), dp, true), q.fields)),
      page.headers,
    );
  });
}
