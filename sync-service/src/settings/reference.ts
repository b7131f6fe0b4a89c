/**
 * Reads the choices the mappings editor offers, from both systems. One system failing does not
 * hide the other: its lists stay empty and `errors` says why, in words a store owner can act on.
 */
import type { ReferenceData } from '../api/context';
import type { BrightpearlClient } from '../brightpearl/client';
import type { WooCommerceClient } from '../woocommerce/client';

type ReferenceSource = Pick<BrightpearlClient, 'getWarehouses' | 'getPriceLists' | 'getChannels' | 'getOrderStatuses' | 'getShippingMethods' | 'getPaymentMethods' | 'getTaxCodes'>;

/** WooCommerce has no REST list of order statuses; these are core's (custom ones can be typed in). */
export const WOOCOMMERCE_ORDER_STATUSES = [
  { slug: 'pending', name: 'Pending payment' },
  { slug: 'processing', name: 'Processing' },
  { slug: 'on-hold', name: 'On hold' },
  { slug: 'completed', name: 'Completed' },
  { slug: 'cancelled', name: 'Cancelled' },
  { slug: 'refunded', name: 'Refunded' },
  { slug: 'failed', name: 'Failed' },
];

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function readReferenceData(brightpearl: ReferenceSource, woocommerce: Pick<WooCommerceClient, 'get'>): Promise<ReferenceData> {
  const data: ReferenceData = {
    brightpearl: { warehouses: [], priceLists: [], channels: [], orderStatuses: [], shippingMethods: [], paymentMethods: [], taxCodes: [] },
    woocommerce: { orderStatuses: WOOCOMMERCE_ORDER_STATUSES, paymentGateways: [], shippingMethods: [] },
    errors: {},
  };
  try {
    const [warehouses, priceLists, channels, statuses, shipping, payments, taxCodes] = await Promise.all([
      brightpearl.getWarehouses(),
      brightpearl.getPriceLists(),
      brightpearl.getChannels(),
      brightpearl.getOrderStatuses(),
      brightpearl.getShippingMethods(),
      brightpearl.getPaymentMethods(),
      brightpearl.getTaxCodes(),
    ]);
    data.brightpearl = {
      warehouses: warehouses.map((w) => ({ id: w.id, name: w.name })),
      priceLists: priceLists.filter((p) => p.priceListTypeCode !== 'BUY').map((p) => ({ id: p.id, name: `${p.name} (${p.currencyCode})` })),
      channels: channels.map((c) => ({ id: c.id, name: c.name })),
      // Only sales-order statuses can be chosen for orders.
      orderStatuses: statuses.filter((s) => !s.orderTypeCode || s.orderTypeCode === 'SO').map((s) => ({ id: s.statusId, name: s.name })),
      shippingMethods: shipping.map((s) => ({ id: s.id, name: s.name })),
      paymentMethods: payments.map((p) => ({ code: p.code, name: p.name ?? p.code })),
      taxCodes: taxCodes.map((t) => ({ code: t.code, rate: t.rate ?? null })),
    };
  } catch (err) {
    data.errors.brightpearl = `Could not read choices from Brightpearl: ${message(err)}`;
  }
  try {
    const [gateways, shipping] = await Promise.all([woocommerce.get('payment_gateways'), woocommerce.get('shipping_methods')]);
    const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
    data.woocommerce.paymentGateways = list(gateways.data)
      .filter((g) => typeof g.id === 'string')
      .map((g) => ({ id: String(g.id), title: String(g.title || g.method_title || g.id) }));
    data.woocommerce.shippingMethods = list(shipping.data)
      .filter((m) => typeof m.id === 'string')
      .map((m) => ({ id: String(m.id), title: String(m.title || m.id) }));
  } catch (err) {
    data.errors.woocommerce = `Could not read choices from WooCommerce: ${message(err)}`;
  }
  return data;
}
