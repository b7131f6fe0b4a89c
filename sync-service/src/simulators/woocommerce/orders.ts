/**
 * /wc/v3/orders for the simulator (§5): the list with status/customer/product/search filters and the
 * §3 paging and date windows, single reads, creates and updates (fields, then set_paid, then the
 * status transition and its side effects), and delete (trash unless force=true).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { homeUrl, requireAuth } from './auth';
import { isRecord, matchesCollectionFilters, paginate, pickFields, readCollectionQuery, readerFor, sortRows, type ParamReader } from './collection';
import type { WooCommerceState } from './data';
import { listWithAnd, WooRestError } from './errors';
import { ADDRESS_FIELDS, ORDER_STATUSES, orderNumber, toPence, type AddressRecord, type OrderRecord, type OrderStatus } from './order-model';
import type { CouponLineWrite, FeeLineWrite, LineItemWrite, OrderOperations, OrderWrite, ShippingLineWrite } from './order-ops';
import { renderOrder } from './order-render';
import { API, apiUrl, BodyReader, idParam, isIntegerLike, sendJson } from './route-helpers';

export interface OrderRoutesContext {
  state: WooCommerceState;
  ops: OrderOperations;
  assumeHttps: boolean;
}

const ORDER_ORDERBY = ['date', 'id', 'include', 'title', 'slug', 'modified'] as const;
const LIST_STATUSES: readonly string[] = ['any', 'trash', 'auto-draft', ...ORDER_STATUSES];
const WRITABLE_STATUSES: readonly OrderStatus[] = ['auto-draft', ...ORDER_STATUSES];

export const orderInvalidId = (status: number): WooRestError => new WooRestError('woocommerce_rest_shop_order_invalid_id', 'Invalid ID.', status);

/** `status`: a comma list or `status[]=` array; `any` (default) means every status but trash. */
export function readStatusList(r: ParamReader, allowed: readonly string[] = LIST_STATUSES): string[] {
  const raw = r.query.status;
  if (raw === undefined) return ['any'];
  const parts = (Array.isArray(raw) ? raw : raw.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  parts.forEach((s, i) => {
    if (!allowed.includes(s)) r.errors.add('status', `status[${i}] is not one of ${listWithAnd(allowed)}.`, 'rest_not_in_enum');
  });
  return parts.length > 0 ? parts : ['any'];
}

export function statusMatches(statuses: readonly string[], status: string): boolean {
  if (statuses.includes(status)) return true;
  return statuses.includes('any') && status !== 'trash' && status !== 'auto-draft';
}

/** `dp` (decimal places for money strings; default 2). */
export function readDp(r: ParamReader): number {
  return r.int('dp', { min: 0 }) ?? 2;
}

function money(value: unknown): number | undefined {
  return toPence(value);
}

function readAddress(value: Record<string, unknown> | undefined): Partial<AddressRecord> | undefined {
  if (!value) return undefined;
  const out: Partial<AddressRecord> = {};
  for (const field of ADDRESS_FIELDS) {
    const v = value[field];
    if (typeof v === 'string') out[field] = v;
    else if (typeof v === 'number') out[field] = String(v);
  }
  return out;
}

const optInt = (v: unknown): number | undefined => (isIntegerLike(v) ? Number(v) : undefined);
const optString = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** An order write as WC_REST_Orders_Controller reads it; bad top-level types answer rest_invalid_param. */
export function readOrderWrite(body: unknown): OrderWrite {
  const b = new BodyReader(body);
  const w: OrderWrite = {
    status: b.oneOf('status', WRITABLE_STATUSES),
    parentId: b.int('parent_id'),
    currency: b.string('currency'),
    customerId: b.int('customer_id'),
    customerNote: b.string('customer_note'),
    billing: readAddress(b.object('billing')),
    shipping: readAddress(b.object('shipping')),
    paymentMethod: b.string('payment_method'),
    paymentMethodTitle: b.string('payment_method_title'),
    transactionId: b.string('transaction_id'),
    setPaid: b.bool('set_paid'),
    manualUpdate: b.bool('manual_update'),
    meta: b.meta(),
  };
  const lineItems = b.list('line_items');
  const shippingLines = b.list('shipping_lines');
  const feeLines = b.list('fee_lines');
  const couponLines = b.list('coupon_lines');
  b.errors.throwIfAny();
  if (lineItems) {
    w.lineItems = lineItems.map((i): LineItemWrite => {
      const meta = new BodyReader(i).meta();
      return {
        id: optInt(i.id),
        productId: i.product_id === null ? null : optInt(i.product_id),
        variationId: optInt(i.variation_id),
        sku: optString(i.sku),
        quantity: optInt(i.quantity),
        subtotal: money(i.subtotal),
        total: money(i.total),
        name: optString(i.name),
        meta,
      };
    });
  }
  if (shippingLines) {
    w.shippingLines = shippingLines.map(
      (l): ShippingLineWrite => ({
        id: optInt(l.id),
        methodId: l.method_id === null ? null : optString(l.method_id),
        methodTitle: optString(l.method_title),
        instanceId: optString(l.instance_id),
        total: money(l.total),
      }),
    );
  }
  if (feeLines) {
    w.feeLines = feeLines.map(
      (l): FeeLineWrite => ({
        id: optInt(l.id),
        name: l.name === null ? null : optString(l.name),
        total: money(l.total),
        taxStatus: l.tax_status === 'none' ? 'none' : l.tax_status === 'taxable' ? 'taxable' : undefined,
      }),
    );
  }
  if (couponLines) {
    w.couponLines = couponLines.map((l): CouponLineWrite => ({ id: optInt(l.id), code: l.code === null ? null : optString(l.code) }));
  }
  return w;
}

function searchText(order: OrderRecord): string {
  const a = order.billing;
  const s = order.shipping;
  return [
    String(order.id),
    orderNumber(order),
    a.first_name,
    a.last_name,
    a.company,
    a.email ?? '',
    a.address_1,
    a.city,
    a.postcode,
    s.first_name,
    s.last_name,
    s.address_1,
    s.city,
    s.postcode,
    order.customerNote,
    ...order.lineItems.map((i) => i.name),
  ]
    .join(' ')
    .toLowerCase();
}

export function registerOrderRoutes(app: FastifyInstance, ctx: OrderRoutesContext): void {
  const { state, ops } = ctx;
  const home = (request: FastifyRequest) => homeUrl(request, ctx.assumeHttps);
  const siteOffset = () => state.options.gmtOffsetHours * 3600;
  const fieldsOf = (r: ParamReader) => r.string('_fields')?.split(',').map((f) => f.trim()).filter((f) => f !== '');

  app.get(`${API}/orders`, async (request, reply) => {
    const r = readerFor(request);
    const q = readCollectionQuery(r, { orderbyValues: ORDER_ORDERBY }, siteOffset());
    const statuses = readStatusList(r);
    const customer = r.int('customer');
    const product = r.int('product');
    const dp = readDp(r);
    r.oneOf('context', ['view', 'edit'] as const);
    r.errors.throwIfAny();
    requireAuth(request, 'list');
    const needle = q.search?.trim().toLowerCase();
    const rows = [...state.orders.values()].filter((o) => {
      if (!statusMatches(statuses, o.status)) return false;
      if (customer !== undefined && o.customerId !== customer) return false;
      if (product !== undefined && !o.lineItems.some((i) => i.productId === product || i.variationId === product)) return false;
      if (needle && !searchText(o).includes(needle)) return false;
      return matchesCollectionFilters(o, q);
    });
    const page = paginate(sortRows(rows, q, (o) => o.id), q, request, home(request));
    const body = page.items.map((o) => pickFields(renderOrder(state, o, home(request), dp), q.fields));
    return sendJson(reply, 200, body, page.headers);
  });

  app.post(`${API}/orders`, async (request, reply) => {
    if (isRecord(request.body) && request.body.id !== undefined && request.body.id !== 0) {
      throw new WooRestError('woocommerce_rest_shop_order_exists', 'Cannot create existing shop_order.', 400);
    }
    const w = readOrderWrite(request.body);
    const user = requireAuth(request, 'create');
    const order = ops.createOrder(w, { user, createdVia: 'rest-api' });
    return sendJson(reply, 201, renderOrder(state, order, home(request)), { location: apiUrl(home(request), `orders/${order.id}`) });
  });

  app.get(`${API}/orders/:id`, async (request, reply) => {
    const id = idParam(request, 'id');
    const r = readerFor(request);
    const dp = readDp(r);
    const fields = fieldsOf(r);
    r.errors.throwIfAny();
    requireAuth(request, 'view');
    const order = state.orders.get(id);
    if (!order) throw orderInvalidId(404);
    return sendJson(reply, 200, pickFields(renderOrder(state, order, home(request), dp), fields));
  });

  const update = async (request: FastifyRequest, reply: FastifyReply) => {
    const id = idParam(request, 'id');
    const w = readOrderWrite(request.body);
    const user = requireAuth(request, 'edit');
    const existing = state.orders.get(id);
    if (!existing) throw orderInvalidId(400);
    const order = ops.updateOrder(existing, w, { user });
    return sendJson(reply, 200, renderOrder(state, order, home(request)));
  };
  app.put(`${API}/orders/:id`, update);
  app.patch(`${API}/orders/:id`, update);
  app.post(`${API}/orders/:id`, update);

  app.delete(`${API}/orders/:id`, async (request, reply) => {
    const id = idParam(request, 'id');
    const force = readerFor(request).bool('force') ?? false;
    requireAuth(request, 'delete');
    const order = state.orders.get(id);
    if (!order) throw orderInvalidId(404);
    const before = renderOrder(state, order, home(request));
    if (force) {
      ops.deletePermanently(order);
      return sendJson(reply, 200, before);
    }
    ops.trash(order);
    return sendJson(reply, 200, renderOrder(state, order, home(request)));
  });
}
