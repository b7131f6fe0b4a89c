/** Mappings for the demo: the simulated Brightpearl account's ids, matched to the simulated store. */
import type { Mappings } from '../settings/mappings';
import { DEFAULT_MAPPINGS } from '../settings/mappings';
import { CHANNEL, ORDER_STATUS, SHIPPING_METHOD } from './brightpearl/reference';

export const DEMO_MAPPINGS: Mappings = {
  ...DEFAULT_MAPPINGS,
  priceListId: 1,
  channelId: CHANNEL.WOOCOMMERCE,
  orderWarehouseId: 2,
  exportOrderStatuses: ['processing', 'completed'],
  orderStatusMap: {
    toBrightpearl: { processing: ORDER_STATUS.NEW_WEB_ORDER, cancelled: ORDER_STATUS.CANCELLED },
    toWooCommerce: { [String(ORDER_STATUS.DISPATCHED)]: 'completed', [String(ORDER_STATUS.CANCELLED)]: 'cancelled' },
  },
  paymentMethodMap: { stripe: 'WOO_STRIPE', bacs: 'WOO_BACS', cod: 'WOO_COD' },
  shippingMethodMap: { flat_rate: SHIPPING_METHOD.ROYAL_MAIL_48, free_shipping: SHIPPING_METHOD.FREE_UK },
};
