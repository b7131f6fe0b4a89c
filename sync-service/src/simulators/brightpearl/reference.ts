/**
 * Per-account reference data of the simulated Brightpearl (§7.5, §9, §11 of the reference):
 * order statuses, order types, channels, shipping methods, tax codes, payment methods, nominal
 * codes, and the fixed code tables (shipping / stock / allocation / payment status).
 *
 * Ids are per account for real; these are one plausible account. Clients must resolve them by
 * name or code (as the sync does through config), never hard-code them.
 */

/**
 * What a status means to the simulator. Brightpearl's `state` field was observed as `"draft"`;
 * the other values are the simulator's own.
 */
export type StatusState = 'draft' | 'open' | 'invoiced' | 'completed' | 'cancelled';

export interface SimOrderStatus {
  statusId: number;
  name: string;
  orderTypeCode: 'SO' | 'SC' | 'PO' | 'PC';
  sortOrder: number;
  disabled: boolean;
  /** Hidden statuses cannot be set through the API. */
  visible: boolean;
  color: string;
  state: StatusState;
}

export interface SimOrderType {
  id: number;
  code: 'SO' | 'PO' | 'SC' | 'PC';
  name: string;
}

export interface SimChannel {
  id: number;
  name: string;
  channelTypeId: number;
  defaultWarehouseId: number;
  defaultPriceListId: number;
}

export interface SimShippingMethod {
  id: number;
  name: string;
  code: string;
  /** 1 weight, 2 price, 3 item count. */
  methodType: 1 | 2 | 3;
  carrier?: string;
}

export interface SimTaxCode {
  id: number;
  code: string;
  description: string;
  /** Percent. */
  rate: number;
}

export interface SimPaymentMethod {
  id: number;
  code: string;
  name: string;
  /** When set, a payment with this method also gets a sales-receipt journal. */
  bankAccountNominalCode?: string;
  isActive: boolean;
}

export interface SimNominalCode {
  id: number;
  code: string;
  name: string;
  type: 'ASSET' | 'LIABILITY' | 'INCOME' | 'EXPENSE';
}

/** A code table entry (`order-shipping-status` etc.). Codes are Brightpearl's; ids are the simulator's. */
export interface SimCode {
  id: number;
  code: string;
  name: string;
}

export interface ReferenceData {
  orderStatuses: SimOrderStatus[];
  orderTypes: SimOrderType[];
  channels: SimChannel[];
  shippingMethods: SimShippingMethod[];
  taxCodes: SimTaxCode[];
  paymentMethods: SimPaymentMethod[];
  nominalCodes: SimNominalCode[];
  shippingStatuses: SimCode[];
  stockStatuses: SimCode[];
  allocationStatuses: SimCode[];
  paymentStatuses: SimCode[];
}

/** Status ids of this simulated account, for tests and the demo activity. */
export const ORDER_STATUS = {
  DRAFT: 1,
  NEW_WEB_ORDER: 2,
  AWAITING_PAYMENT: 3,
  READY_TO_SHIP: 4,
  INVOICED: 5,
  CANCELLED: 6,
  /** Hidden: rejected by the status update. */
  ARCHIVED: 19,
  DISPATCHED: 20,
  SALES_CREDIT: 31,
  CREDIT_COMPLETE: 32,
  CREDIT_CANCELLED: 33,
  PURCHASE_ORDER: 40,
} as const;

export const CHANNEL = { BRIGHTPEARL: 1, RETAIL_STORE: 2, WOOCOMMERCE: 3 } as const;

export const SHIPPING_METHOD = { COLLECT: 1, ROYAL_MAIL_48: 2, ROYAL_MAIL_TRACKED_24: 3, DPD_NEXT_DAY: 4, FREE_UK: 5 } as const;

export const ORDER_TYPE_IDS = { SO: 1, PO: 2, SC: 3, PC: 4 } as const;

/** The staff contact that owns system actions (goods-out events, notes, creation). */
export const STAFF_CONTACT_ID = 4;

function status(
  statusId: number,
  name: string,
  orderTypeCode: SimOrderStatus['orderTypeCode'],
  state: StatusState,
  color: string,
  extra: Partial<SimOrderStatus> = {},
): SimOrderStatus {
  return { statusId, name, orderTypeCode, sortOrder: statusId, disabled: false, visible: true, color, state, ...extra };
}

export function defaultReferenceData(): ReferenceData {
  return {
    orderStatuses: [
      status(ORDER_STATUS.DRAFT, 'Draft / Quote', 'SO', 'draft', '#B0B0B0'),
      status(ORDER_STATUS.NEW_WEB_ORDER, 'New web order', 'SO', 'open', '#3D85C6'),
      status(ORDER_STATUS.AWAITING_PAYMENT, 'Awaiting payment', 'SO', 'open', '#F1C232'),
      status(ORDER_STATUS.READY_TO_SHIP, 'Ready to ship', 'SO', 'open', '#6AA84F'),
      status(ORDER_STATUS.INVOICED, 'Invoiced', 'SO', 'invoiced', '#674EA7'),
      status(ORDER_STATUS.CANCELLED, 'Cancelled', 'SO', 'cancelled', '#CC0000'),
      status(ORDER_STATUS.ARCHIVED, 'Archived (old system)', 'SO', 'completed', '#999999', { visible: false, disabled: true }),
      status(ORDER_STATUS.DISPATCHED, 'Dispatched', 'SO', 'completed', '#38761D'),
      status(ORDER_STATUS.SALES_CREDIT, 'Sales credit', 'SC', 'open', '#E69138'),
      status(ORDER_STATUS.CREDIT_COMPLETE, 'Credit complete', 'SC', 'completed', '#B45F06'),
      status(ORDER_STATUS.CREDIT_CANCELLED, 'Credit cancelled', 'SC', 'cancelled', '#CC0000'),
      status(ORDER_STATUS.PURCHASE_ORDER, 'Pending PO', 'PO', 'open', '#999999'),
    ],
    orderTypes: [
      { id: ORDER_TYPE_IDS.SO, code: 'SO', name: 'Sales order' },
      { id: ORDER_TYPE_IDS.PO, code: 'PO', name: 'Purchase order' },
      { id: ORDER_TYPE_IDS.SC, code: 'SC', name: 'Sales credit' },
      { id: ORDER_TYPE_IDS.PC, code: 'PC', name: 'Purchase credit' },
    ],
    channels: [
      { id: CHANNEL.BRIGHTPEARL, name: 'Brightpearl', channelTypeId: 1, defaultWarehouseId: 2, defaultPriceListId: 1 },
      { id: CHANNEL.RETAIL_STORE, name: 'London Store (POS)', channelTypeId: 3, defaultWarehouseId: 5, defaultPriceListId: 1 },
      { id: CHANNEL.WOOCOMMERCE, name: 'WooCommerce', channelTypeId: 2, defaultWarehouseId: 2, defaultPriceListId: 1 },
    ],
    shippingMethods: [
      { id: SHIPPING_METHOD.COLLECT, name: 'Collect in store', code: 'COLLECT', methodType: 3 },
      { id: SHIPPING_METHOD.ROYAL_MAIL_48, name: 'Royal Mail 48', code: 'RM48', methodType: 1, carrier: 'Royal Mail' },
      { id: SHIPPING_METHOD.ROYAL_MAIL_TRACKED_24, name: 'Royal Mail Tracked 24', code: 'RMT24', methodType: 1, carrier: 'Royal Mail' },
      { id: SHIPPING_METHOD.DPD_NEXT_DAY, name: 'DPD Next Day', code: 'DPDND', methodType: 1, carrier: 'DPD' },
      { id: SHIPPING_METHOD.FREE_UK, name: 'Free UK delivery', code: 'FREE', methodType: 2, carrier: 'Royal Mail' },
    ],
    taxCodes: [
      { id: 1, code: 'T0', description: 'Zero rated', rate: 0 },
      { id: 2, code: 'T5', description: 'Reduced rate', rate: 5 },
      { id: 7, code: 'T20', description: 'Standard rate', rate: 20 },
      { id: 9, code: 'T9', description: 'Outside the scope of VAT', rate: 0 },
    ],
    paymentMethods: [
      { id: 1, code: 'CASH', name: 'Cash', bankAccountNominalCode: '1230', isActive: true },
      { id: 2, code: 'CARD', name: 'Card terminal', bankAccountNominalCode: '1200', isActive: true },
      { id: 11, code: 'WOO_STRIPE', name: 'WooCommerce: Stripe', bankAccountNominalCode: '1210', isActive: true },
      { id: 12, code: 'WOO_PAYPAL', name: 'WooCommerce: PayPal', bankAccountNominalCode: '1220', isActive: true },
      { id: 13, code: 'WOO_BACS', name: 'WooCommerce: Direct bank transfer', bankAccountNominalCode: '1200', isActive: true },
      { id: 14, code: 'WOO_COD', name: 'WooCommerce: Cash on delivery', isActive: true },
    ],
    nominalCodes: [
      { id: 1, code: '1200', name: 'Bank current account', type: 'ASSET' },
      { id: 2, code: '1210', name: 'Stripe clearing', type: 'ASSET' },
      { id: 3, code: '1220', name: 'PayPal clearing', type: 'ASSET' },
      { id: 4, code: '1230', name: 'Petty cash', type: 'ASSET' },
      { id: 5, code: '2110', name: 'Gift card liability', type: 'LIABILITY' },
      { id: 6, code: '2200', name: 'VAT liability', type: 'LIABILITY' },
      { id: 7, code: '4000', name: 'Sales', type: 'INCOME' },
      { id: 8, code: '4020', name: 'Sales discounts', type: 'INCOME' },
      { id: 9, code: '4040', name: 'Carriage (shipping charged)', type: 'INCOME' },
      { id: 10, code: '4900', name: 'Other income (fees)', type: 'INCOME' },
      { id: 11, code: '5000', name: 'Cost of goods sold', type: 'EXPENSE' },
    ],
    shippingStatuses: [
      { id: 1, code: 'NST', name: 'No stock-tracked items' },
      { id: 2, code: 'SNS', name: 'Not shipped' },
      { id: 3, code: 'SPS', name: 'Part shipped' },
      { id: 4, code: 'ASS', name: 'All shipped' },
    ],
    stockStatuses: [
      { id: 1, code: 'NON', name: 'No stock-tracked items' },
      { id: 2, code: 'SON', name: 'Not fulfilled' },
      { id: 3, code: 'SOP', name: 'Part fulfilled' },
      { id: 4, code: 'SOA', name: 'All fulfilled' },
      { id: 5, code: 'SCN', name: 'Credit: not returned' },
      { id: 6, code: 'SCP', name: 'Credit: part returned' },
      { id: 7, code: 'SCA', name: 'Credit: all returned' },
    ],
    allocationStatuses: [
      { id: 1, code: 'ANR', name: 'Allocation not required' },
      { id: 2, code: 'ANA', name: 'Not allocated' },
      { id: 3, code: 'APA', name: 'Part allocated' },
      { id: 4, code: 'AAA', name: 'All allocated' },
    ],
    paymentStatuses: [
      { id: 1, code: 'PAID', name: 'Paid' },
      { id: 2, code: 'UNPAID', name: 'Unpaid' },
      { id: 3, code: 'PARTIALLY_PAID', name: 'Partially paid' },
      { id: 4, code: 'NOT_APPLICABLE', name: 'Not applicable' },
    ],
  };
}

export function findStatus(ref: ReferenceData, statusId: number): SimOrderStatus | undefined {
  return ref.orderStatuses.find((s) => s.statusId === statusId);
}

export function codeId(table: SimCode[], code: string): number | null {
  return table.find((c) => c.code === code)?.id ?? null;
}

// ---------------------------------------------------------------------------------------------
// Views

export function orderStatusView(s: SimOrderStatus): Record<string, unknown> {
  return {
    statusId: s.statusId,
    name: s.name,
    orderTypeCode: s.orderTypeCode,
    sortOrder: s.sortOrder,
    disabled: s.disabled,
    visible: s.visible,
    color: s.color,
    remindAfterDays: 0,
    alertEmails: [],
    emailContent: '',
    batchProcess: false,
    state: s.state,
  };
}

export function channelView(c: SimChannel): Record<string, unknown> {
  return { id: c.id, name: c.name, channelTypeId: c.channelTypeId, defaultWarehouseId: c.defaultWarehouseId, defaultPriceListId: c.defaultPriceListId };
}

export function shippingMethodView(m: SimShippingMethod): Record<string, unknown> {
  return { id: m.id, name: m.name, code: m.code, methodType: m.methodType, breaks: [], ...(m.carrier ? { carrier: m.carrier } : {}) };
}

export function taxCodeView(t: SimTaxCode): Record<string, unknown> {
  return { id: t.id, code: t.code, description: t.description, rate: t.rate };
}
