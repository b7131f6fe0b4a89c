/**
 * The order side of the simulated store: records for orders, their items, refunds and notes, and
 * the store configuration they depend on (one 20% VAT rate, the payment gateways, shipping methods,
 * coupons, registered customers). Money is kept in integer pence and rendered as WooCommerce's strings.
 */
import type { MetaEntry } from './data';

export const ORDER_STATUSES = ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number] | 'trash' | 'auto-draft';

/** wc_get_order_statuses() labels, used in status-change notes. */
export const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending payment',
  processing: 'Processing',
  'on-hold': 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  failed: 'Failed',
  'checkout-draft': 'Draft',
  trash: 'Trash',
  'auto-draft': 'Draft',
};

/** wc_get_is_paid_statuses() */
export const PAID_STATUSES: readonly string[] = ['processing', 'completed'];
/** Entering these reduces stock once (wc_maybe_reduce_stock_levels). */
export const STOCK_REDUCING_STATUSES: readonly string[] = ['processing', 'completed', 'on-hold'];
/** Entering these restores reduced stock (wc_maybe_increase_stock_levels). */
export const STOCK_RESTORING_STATUSES: readonly string[] = ['cancelled', 'pending'];

/** The store's one tax rate: GB standard VAT. */
export const VAT = { rateId: 1, rateCode: 'GB-VAT-1', label: 'VAT', percent: 20, compound: false } as const;

export function vatOn(pence: number): number {
  return Math.round((pence * VAT.percent) / 100);
}

export interface GatewayDefinition {
  title: string;
  /** `supports('refunds')`: api_refund=true can move money back. */
  refunds: boolean;
}

export const PAYMENT_GATEWAYS: Record<string, GatewayDefinition> = {
  stripe: { title: 'Credit Card (Stripe)', refunds: true },
  bacs: { title: 'Direct bank transfer', refunds: false },
  cod: { title: 'Cash on delivery', refunds: false },
};

export interface ShippingMethodDefinition {
  methodId: string;
  instanceId: string;
  title: string;
  /** Ex VAT, pence. */
  cost: number;
}

export const SHIPPING_METHODS: Record<string, ShippingMethodDefinition> = {
  flat_rate: { methodId: 'flat_rate', instanceId: '1', title: 'Flat rate', cost: 416 },
  free_shipping: { methodId: 'free_shipping', instanceId: '2', title: 'Free shipping', cost: 0 },
};

/** Orders of at least this much (ex VAT, after discounts) ship free at checkout. */
export const FREE_SHIPPING_FROM = 5000;

export interface CouponDefinition {
  code: string;
  type: 'percent' | 'fixed_cart';
  /** Percent, or pence for fixed_cart. */
  amount: number;
}

/** Codes are stored lower-case (wc_format_coupon_code). */
export const COUPONS: Record<string, CouponDefinition> = {
  spring10: { code: 'spring10', type: 'percent', amount: 10 },
  welcome5: { code: 'welcome5', type: 'fixed_cart', amount: 500 },
};

export interface AddressRecord {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  email?: string;
  phone: string;
}

export const ADDRESS_FIELDS = ['first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country', 'email', 'phone'] as const;

export function blankAddress(withEmail: boolean): AddressRecord {
  const a: AddressRecord = { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '', phone: '' };
  if (withEmail) a.email = '';
  return a;
}

export interface CustomerRecord {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  billing: AddressRecord;
}

/** Per tax rate: `total` after discounts, `subtotal` before (pence). */
export interface TaxSplit {
  rateId: number;
  total: number;
  subtotal: number;
}

interface ItemCommon {
  /** order_item_id */
  id: number;
  meta: MetaEntry[];
  /** Refund items: the order item they refund (`_refunded_item_id`). */
  refundedItemId?: number;
}

export interface LineItemRecord extends ItemCommon {
  type: 'line_item';
  name: string;
  productId: number;
  variationId: number;
  quantity: number;
  taxClass: string;
  subtotal: number;
  subtotalTax: number;
  total: number;
  totalTax: number;
  taxes: TaxSplit[];
  /** `_reduced_stock`: units this item took from stock and has not given back. */
  reducedStock: number;
  /** `_restock_refunded_items` */
  restockedRefunded: number;
}

export interface ShippingLineRecord extends ItemCommon {
  type: 'shipping';
  methodTitle: string;
  methodId: string;
  instanceId: string;
  total: number;
  totalTax: number;
  taxes: TaxSplit[];
}

export interface FeeLineRecord extends ItemCommon {
  type: 'fee';
  name: string;
  taxClass: string;
  taxStatus: 'taxable' | 'none';
  total: number;
  totalTax: number;
  taxes: TaxSplit[];
}

export interface CouponLineRecord extends ItemCommon {
  type: 'coupon';
  code: string;
  discount: number;
  discountTax: number;
}

export interface TaxLineRecord extends ItemCommon {
  type: 'tax';
  rateId: number;
  rateCode: string;
  label: string;
  compound: boolean;
  taxTotal: number;
  shippingTaxTotal: number;
  ratePercent: number;
}

export type RefundableItem = LineItemRecord | ShippingLineRecord | FeeLineRecord;

export interface NoteRecord {
  /** comment_ID */
  id: number;
  created: number;
  note: string;
  customerNote: boolean;
  /** comment_author: 'WooCommerce' for system notes, else the user's display name. */
  author: string;
}

export interface OrderRecord {
  kind: 'order';
  id: number;
  parentId: number;
  status: OrderStatus;
  currency: string;
  version: string;
  pricesIncludeTax: boolean;
  createdVia: string;
  orderKey: string;
  /** Unix seconds. */
  created: number;
  modified: number;
  paid: number | null;
  completed: number | null;
  customerId: number;
  customerIp: string;
  customerUserAgent: string;
  customerNote: string;
  billing: AddressRecord;
  shipping: AddressRecord;
  paymentMethod: string;
  paymentMethodTitle: string;
  transactionId: string;
  cartHash: string;
  meta: MetaEntry[];
  lineItems: LineItemRecord[];
  shippingLines: ShippingLineRecord[];
  feeLines: FeeLineRecord[];
  couponLines: CouponLineRecord[];
  taxLines: TaxLineRecord[];
  discountTotal: number;
  discountTax: number;
  shippingTotal: number;
  shippingTax: number;
  cartTax: number;
  total: number;
  totalTax: number;
  /** Newest first, as WooCommerce lists them. */
  refundIds: number[];
  /** `_order_stock_reduced` */
  stockReduced: boolean;
  notes: NoteRecord[];
  /** Status before it was trashed (`_wp_trash_meta_status`). */
  statusBeforeTrash?: OrderStatus;
}

export interface RefundRecord {
  kind: 'refund';
  id: number;
  parentId: number;
  created: number;
  modified: number;
  /** Positive pence. */
  amount: number;
  reason: string;
  refundedBy: number;
  refundedPayment: boolean;
  meta: MetaEntry[];
  /** Copies of the order's items with negative quantity and totals. */
  lineItems: LineItemRecord[];
  shippingLines: ShippingLineRecord[];
  feeLines: FeeLineRecord[];
  taxLines: TaxLineRecord[];
}

/** Pence → WooCommerce money string with `dp` decimals. */
export function money(pence: number, dp = 2): string {
  const value = pence / 100;
  const fixed = value.toFixed(Math.max(0, Math.min(6, dp)));
  return /^-0(\.0*)?$/.test(fixed) ? fixed.slice(1) : fixed;
}

/** A money value from a request (number or numeric string) → pence; undefined when not numeric. */
export function toPence(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 100);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Math.round(Number(value) * 100);
  return undefined;
}

export function priceToPence(price: string): number {
  return toPence(price) ?? 0;
}

/** The order's refunds, newest first. */
export function refundsOf(refunds: Map<number, RefundRecord>, order: OrderRecord): RefundRecord[] {
  return order.refundIds.map((id) => refunds.get(id)).filter((r): r is RefundRecord => r !== undefined);
}

export function refundedTotal(refunds: Map<number, RefundRecord>, order: OrderRecord): number {
  return refundsOf(refunds, order).reduce((sum, r) => sum + r.amount, 0);
}

/** `number`: a sequential-number plugin's `_order_number` meta when present, else the id. */
export function orderNumber(order: OrderRecord): string {
  const meta = order.meta.find((m) => m.key === '_order_number');
  return meta && (typeof meta.value === 'string' || typeof meta.value === 'number') && String(meta.value) !== '' ? String(meta.value) : String(order.id);
}
