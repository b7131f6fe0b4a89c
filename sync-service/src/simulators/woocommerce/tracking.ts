/**
 * The WooCommerce Shipment Tracking extension (§7): routes under wc/v3 and the extension's own
 * wc-shipment-tracking/v3 namespace; tracking items live in the order meta
 * `_wc_shipment_tracking_items` (provider stored as a slug, date_shipped as a unix timestamp), so a
 * direct meta write through PUT /orders shows up here too. Not registered when the store does not
 * have the extension: the routes are then 404 rest_no_route.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Random } from '../shared/random';
import { requireAuth } from './auth';
import { isRecord } from './collection';
import { slugify, type WooCommerceState } from './data';
import { WooRestError } from './errors';
import type { OrderRecord } from './order-model';
import { randomHex, type OrderOperations } from './order-ops';
import { BodyReader, idParam, sendJson } from './route-helpers';

export const TRACKING_META_KEY = '_wc_shipment_tracking_items';
export const TRACKING_NAMESPACES = ['wc/v3', 'wc-shipment-tracking/v3'] as const;

/** Provider name → tracking URL (`%1$s` = number, `%2$s` = postcode), by region as the providers route lists them. */
export const TRACKING_PROVIDERS: Record<string, Record<string, string>> = {
  'United Kingdom': {
    DHL: 'https://www.dhl.com/gb-en/home/tracking/tracking-parcel.html?submit=1&tracking-id=%1$s',
    DPD: 'https://track.dpd.co.uk/parcels/%1$s',
    Evri: 'https://www.evri.com/track/parcel/%1$s',
    InPost: 'https://inpost.co.uk/tracking/%1$s',
    ParcelForce: 'https://www.parcelforce.com/track-trace?trackNumber=%1$s',
    'Royal Mail': 'https://www.royalmail.com/track-your-item#/tracking-results/%1$s',
    UPS: 'https://www.ups.com/track?loc=en_GB&tracknum=%1$s',
  },
  'United States': {
    Fedex: 'https://www.fedex.com/apps/fedextrack/?action=track&tracknumbers=%1$s',
    UPS: 'https://www.ups.com/track?loc=en_US&tracknum=%1$s',
    USPS: 'https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=%1$s',
  },
};

export interface StoredTrackingItem {
  tracking_provider: string;
  custom_tracking_provider: string;
  custom_tracking_link: string;
  tracking_number: string;
  /** Unix timestamp as a string (wc_clean). */
  date_shipped: string;
  tracking_id: string;
}

function findProvider(nameOrSlug: string): { name: string; url: string } | undefined {
  const wanted = slugify(nameOrSlug);
  for (const region of Object.values(TRACKING_PROVIDERS)) {
    for (const [name, url] of Object.entries(region)) if (slugify(name) === wanted) return { name, url };
  }
  return undefined;
}

export function storedTrackingItems(order: OrderRecord): StoredTrackingItem[] {
  const meta = order.meta.find((m) => m.key === TRACKING_META_KEY);
  if (!meta || !Array.isArray(meta.value)) return [];
  return meta.value.filter(isRecord).map((v) => ({
    tracking_provider: String(v.tracking_provider ?? ''),
    custom_tracking_provider: String(v.custom_tracking_provider ?? ''),
    custom_tracking_link: String(v.custom_tracking_link ?? ''),
    tracking_number: String(v.tracking_number ?? ''),
    date_shipped: String(v.date_shipped ?? ''),
    tracking_id: String(v.tracking_id ?? ''),
  }));
}

function saveTrackingItems(state: WooCommerceState, order: OrderRecord, items: StoredTrackingItem[]): void {
  const meta = order.meta.find((m) => m.key === TRACKING_META_KEY);
  if (meta) meta.value = items;
  else order.meta.push({ id: state.nextMetaId(), key: TRACKING_META_KEY, value: items });
}

function ymd(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** The REST shape: provider display name, link with the number filled in, date as Y-m-d. */
export function renderTrackingItem(item: StoredTrackingItem): Record<string, unknown> {
  const provider = item.custom_tracking_provider ? undefined : findProvider(item.tracking_provider);
  const name = item.custom_tracking_provider || provider?.name || item.tracking_provider;
  const template = item.custom_tracking_provider ? item.custom_tracking_link : (provider?.url ?? '');
  const ts = Number(item.date_shipped);
  return {
    tracking_id: item.tracking_id,
    tracking_provider: name,
    tracking_link: template.replace(/%1\$s/g, encodeURIComponent(item.tracking_number)).replace(/%2\$s/g, ''),
    tracking_number: item.tracking_number,
    date_shipped: Number.isFinite(ts) && item.date_shipped !== '' ? ymd(ts) : '',
  };
}

export interface TrackingRoutesContext {
  state: WooCommerceState;
  ops: OrderOperations;
  random: Random;
}

/** date_shipped: `YYYY-MM-DD` (or a timestamp) → midnight UTC; default today in site time. */
function shippedTimestamp(state: WooCommerceState, value: string | undefined): string {
  if (value !== undefined && /^\d+$/.test(value.trim())) return value.trim();
  const date = value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : state.siteDate(state.nowSeconds()).slice(0, 10);
  return String(Date.parse(`${date}T00:00:00Z`) / 1000);
}

export function registerTrackingRoutes(app: FastifyInstance, ctx: TrackingRoutesContext): void {
  const { state, ops } = ctx;
  const orderFor = (request: FastifyRequest): OrderRecord => {
    const order = state.orders.get(idParam(request, 'id'));
    if (!order) throw new WooRestError('woocommerce_rest_order_invalid_id', 'Invalid order ID.', 404);
    return order;
  };

  for (const ns of TRACKING_NAMESPACES) {
    const base = `/wp-json/${ns}/orders/:id/shipment-trackings`;

    app.get(base, async (request, reply) => {
      requireAuth(request, 'list');
      const order = orderFor(request);
      return sendJson(reply, 200, storedTrackingItems(order).map(renderTrackingItem));
    });

    app.post(base, async (request, reply) => {
      const b = new BodyReader(request.body);
      b.required(['tracking_number']);
      const number = (b.string('tracking_number') ?? '').trim();
      const providerName = b.string('tracking_provider') ?? '';
      const customProvider = b.string('custom_tracking_provider') ?? '';
      const customLink = b.string('custom_tracking_link') ?? '';
      const dateShipped = b.has('date_shipped') ? String(b.body.date_shipped) : undefined;
      b.errors.throwIfAny();
      requireAuth(request, 'create');
      const order = orderFor(request);
      const known = providerName ? findProvider(providerName) : undefined;
      const item: StoredTrackingItem = {
        // Stored as a slug; a name the extension does not know is kept as a custom provider without link.
        tracking_provider: customProvider ? '' : known ? slugify(known.name) : '',
        custom_tracking_provider: customProvider || (known ? '' : providerName),
        custom_tracking_link: customProvider ? customLink : '',
        tracking_number: number,
        date_shipped: shippedTimestamp(state, dateShipped),
        tracking_id: randomHex(ctx.random, 32),
      };
      saveTrackingItems(state, order, [...storedTrackingItems(order), item]);
      ops.touch(order);
      return sendJson(reply, 201, renderTrackingItem(item));
    });

    app.get(`${base}/providers`, async (request, reply) => {
      requireAuth(request, 'view');
      orderFor(request);
      return sendJson(reply, 200, TRACKING_PROVIDERS);
    });

    const itemOf = (order: OrderRecord, request: FastifyRequest): StoredTrackingItem => {
      const trackingId = (request.params as { trackingId?: string }).trackingId ?? '';
      const item = storedTrackingItems(order).find((t) => t.tracking_id === trackingId);
      if (!item) throw new WooRestError('woocommerce_rest_order_invalid_id', 'Invalid tracking ID.', 404);
      return item;
    };

    app.get(`${base}/:trackingId`, async (request, reply) => {
      requireAuth(request, 'view');
      const order = orderFor(request);
      return sendJson(reply, 200, renderTrackingItem(itemOf(order, request)));
    });

    app.delete(`${base}/:trackingId`, async (request, reply) => {
      requireAuth(request, 'delete');
      const order = orderFor(request);
      const item = itemOf(order, request);
      saveTrackingItems(
        state,
        order,
        storedTrackingItems(order).filter((t) => t.tracking_id !== item.tracking_id),
      );
      ops.touch(order);
      return sendJson(reply, 200, renderTrackingItem(item));
    });
  }

  app.get('/wp-json/wc-shipment-tracking/v3', async () => ({ namespace: 'wc-shipment-tracking/v3', routes: {} }));
}
