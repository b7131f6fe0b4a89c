/**
 * What we read from WooCommerce wc/v3. Objects are loose (plugins add fields, newer versions add
 * more); only the fields the sync uses are required. Enum-like strings stay plain strings because
 * plugins register their own product types and stock statuses.
 */
import { z } from 'zod';

/** `YYYY-MM-DDTHH:MM:SS`, no offset; null where WooCommerce has no date. */
const WooDate = z.string().nullable();

/** `{code, message, data: {status, ...}}`; `data` is occasionally a bare status or missing. */
export const WooErrorSchema = z.looseObject({
  code: z.string(),
  message: z.string(),
  data: z.union([z.looseObject({ status: z.number().int().optional() }), z.number(), z.null()]).optional(),
});
export type WooErrorBody = z.infer<typeof WooErrorSchema>;

export const MetaDataSchema = z.looseObject({
  id: z.number().int().optional(),
  key: z.string(),
  value: z.unknown(),
});
export type WooMetaData = z.infer<typeof MetaDataSchema>;

/** On a product: the attribute definition with all its options. */
export const ProductAttributeSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  position: z.number().int().optional(),
  visible: z.boolean().optional(),
  variation: z.boolean().optional(),
  options: z.array(z.string()),
});

/** On a variation (or a variation read through /products): the chosen option. */
export const VariationAttributeSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  option: z.string(),
});

/** Boolean, or "parent" on a variation whose stock the parent manages (unverified on current versions). */
export const ManageStockSchema = z.union([z.boolean(), z.literal('parent')]);
export const StockQuantitySchema = z.number().int().nullable();

export const ProductSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  sku: z.string(),
  type: z.string(),
  status: z.string(),
  parent_id: z.number().int(),
  manage_stock: ManageStockSchema,
  stock_quantity: StockQuantitySchema,
  stock_status: z.string(),
  regular_price: z.string(),
  price: z.string(),
  variations: z.array(z.number().int()),
  // A variation found through /products carries {id,name,option} items here.
  attributes: z.array(z.union([ProductAttributeSchema, VariationAttributeSchema])),
  meta_data: z.array(MetaDataSchema),
  date_created_gmt: WooDate.optional(),
  date_modified_gmt: WooDate,
});
export type WooProduct = z.infer<typeof ProductSchema>;

export const VariationSchema = z.looseObject({
  id: z.number().int(),
  // Older versions omit name and parent_id on variations.
  name: z.string().optional(),
  parent_id: z.number().int().optional(),
  sku: z.string(),
  status: z.string(),
  manage_stock: ManageStockSchema,
  stock_quantity: StockQuantitySchema,
  stock_status: z.string(),
  regular_price: z.string(),
  price: z.string(),
  attributes: z.array(VariationAttributeSchema),
  meta_data: z.array(MetaDataSchema),
  date_created_gmt: WooDate.optional(),
  date_modified_gmt: WooDate,
});
export type WooVariation = z.infer<typeof VariationSchema>;

/** What findBySkus asks for with `_fields`. */
export const PRODUCT_SUMMARY_FIELDS = ['id', 'parent_id', 'sku', 'name', 'type', 'manage_stock', 'stock_quantity', 'stock_status'] as const;

export const ProductSummarySchema = z.looseObject({
  id: z.number().int(),
  parent_id: z.number().int(),
  sku: z.string(),
  name: z.string(),
  type: z.string(),
  manage_stock: ManageStockSchema,
  stock_quantity: StockQuantitySchema,
  stock_status: z.string(),
});
export type WooProductSummary = z.infer<typeof ProductSummarySchema>;

/** A failed batch item: create errors carry id 0; an update without id may come back as null. */
export const BatchItemErrorSchema = z.looseObject({
  id: z.number().int().nullable().optional(),
  error: WooErrorSchema,
});
export type WooBatchItemError = z.infer<typeof BatchItemErrorSchema>;

/** The raw batch answer: each list only present when that operation was sent; `[]` when nothing was. */
export const BatchResponseSchema = z.union([
  z.looseObject({
    create: z.array(z.unknown()).optional(),
    update: z.array(z.unknown()).optional(),
    delete: z.array(z.unknown()).optional(),
  }),
  z.array(z.never()),
]);
export type WooBatchResponse = z.infer<typeof BatchResponseSchema>;

// --- orders, refunds, notes, shipment tracking, webhooks ------------------------------------------

/** Money: WooCommerce sends strings; a plugin answering a number is read as its string form. */
const Money = z.union([z.string(), z.number()]).transform((v) => (typeof v === 'number' ? String(v) : v));
/** Integer ids that some plugins send as numeric strings. */
const IntLike = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]);

export const TaxAmountSchema = z.looseObject({
  /** Tax rate id. */
  id: IntLike,
  total: Money,
  /** Line items only; '' on shipping and fee lines. */
  subtotal: Money.optional(),
});
export type WooTaxAmount = z.infer<typeof TaxAmountSchema>;

export const OrderAddressSchema = z.looseObject({
  first_name: z.string(),
  last_name: z.string(),
  company: z.string().optional(),
  address_1: z.string(),
  address_2: z.string().optional(),
  city: z.string(),
  state: z.string().optional(),
  postcode: z.string(),
  country: z.string(),
  /** Billing only. */
  email: z.string().nullable().optional(),
  /** Shipping phone exists in newer versions only. */
  phone: z.string().nullable().optional(),
});
export type WooOrderAddress = z.infer<typeof OrderAddressSchema>;

export const LineItemSchema = z.looseObject({
  /** Order item id: key on this, not product_id (an order can repeat a product). */
  id: z.number().int(),
  name: z.string(),
  product_id: z.number().int(),
  /** 0 when not a variation. */
  variation_id: z.number().int(),
  /** Negative on refund items. */
  quantity: z.number(),
  tax_class: z.string().optional(),
  subtotal: Money,
  subtotal_tax: Money,
  total: Money,
  total_tax: Money,
  taxes: z.array(TaxAmountSchema),
  meta_data: z.array(MetaDataSchema),
  /** Looked up from the current product at read time: null once the product is deleted. */
  sku: z.string().nullable(),
  /** A float (total / quantity), not a money string. */
  price: z.union([z.number(), z.string().transform(Number)]).optional(),
  parent_name: z.string().nullable().optional(),
});
export type WooLineItem = z.infer<typeof LineItemSchema>;

export const ShippingLineSchema = z.looseObject({
  id: z.number().int(),
  method_title: z.string(),
  method_id: z.string(),
  instance_id: z.union([z.string(), z.number()]).transform(String).optional(),
  total: Money,
  total_tax: Money,
  taxes: z.array(TaxAmountSchema),
  meta_data: z.array(MetaDataSchema).optional(),
});
export type WooShippingLine = z.infer<typeof ShippingLineSchema>;

export const FeeLineSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  tax_class: z.string().optional(),
  tax_status: z.string().optional(),
  total: Money,
  total_tax: Money,
  taxes: z.array(TaxAmountSchema),
  meta_data: z.array(MetaDataSchema).optional(),
});
export type WooFeeLine = z.infer<typeof FeeLineSchema>;

export const CouponLineSchema = z.looseObject({
  id: z.number().int(),
  code: z.string(),
  discount: Money,
  discount_tax: Money,
  meta_data: z.array(MetaDataSchema).optional(),
});
export type WooCouponLine = z.infer<typeof CouponLineSchema>;

export const TaxLineSchema = z.looseObject({
  id: z.number().int(),
  rate_code: z.string(),
  rate_id: IntLike,
  label: z.string(),
  compound: z.boolean().optional(),
  tax_total: Money,
  shipping_tax_total: Money,
  rate_percent: z.number().optional(),
  meta_data: z.array(MetaDataSchema).optional(),
});
export type WooTaxLine = z.infer<typeof TaxLineSchema>;

/** The refund summary on an order: total is negative. */
export const OrderRefundSummarySchema = z.looseObject({
  id: z.number().int(),
  reason: z.string().nullable().optional(),
  total: Money,
});

export const OrderSchema = z.looseObject({
  id: z.number().int(),
  parent_id: z.number().int().optional(),
  /** Display number; differs from id on stores with sequential-number plugins. Key on id. */
  number: z.union([z.string(), z.number()]).transform(String),
  order_key: z.string().optional(),
  created_via: z.string().optional(),
  status: z.string(),
  currency: z.string(),
  prices_include_tax: z.boolean(),
  date_created_gmt: WooDate,
  date_modified_gmt: WooDate,
  date_paid_gmt: WooDate.optional(),
  date_completed_gmt: WooDate.optional(),
  discount_total: Money,
  discount_tax: Money,
  shipping_total: Money,
  shipping_tax: Money,
  cart_tax: Money,
  total: Money,
  total_tax: Money,
  /** 0 for a guest. */
  customer_id: z.number().int(),
  customer_note: z.string(),
  billing: OrderAddressSchema,
  shipping: OrderAddressSchema,
  payment_method: z.string(),
  payment_method_title: z.string(),
  transaction_id: z.string(),
  meta_data: z.array(MetaDataSchema),
  line_items: z.array(LineItemSchema),
  tax_lines: z.array(TaxLineSchema),
  shipping_lines: z.array(ShippingLineSchema),
  fee_lines: z.array(FeeLineSchema),
  coupon_lines: z.array(CouponLineSchema),
  refunds: z.array(OrderRefundSummarySchema),
});
export type WooOrder = z.infer<typeof OrderSchema>;

export const RefundSchema = z.looseObject({
  id: z.number().int(),
  /** The order id; only on the store-wide /refunds (the client fills it in for per-order reads). */
  parent_id: z.number().int().optional(),
  date_created_gmt: WooDate,
  /** Positive. */
  amount: Money,
  reason: z.string().nullable().transform((v) => v ?? ''),
  refunded_by: z.number().int().optional(),
  refunded_payment: z.boolean().optional(),
  meta_data: z.array(MetaDataSchema),
  /** Copies of the order's items with negative quantity/totals. */
  line_items: z.array(LineItemSchema),
  /** Newer versions only. */
  shipping_lines: z.array(ShippingLineSchema).optional(),
  tax_lines: z.array(TaxLineSchema).optional(),
  fee_lines: z.array(FeeLineSchema).optional(),
});
export type WooRefund = z.infer<typeof RefundSchema>;
/** A refund with the order it belongs to. */
export type WooRefundWithParent = WooRefund & { parent_id: number };

/**
 * The order item a refund item refunds (`_refunded_item_id` meta). Whether REST shows that meta is
 * unverified: undefined when it is absent, so match by product_id/variation_id then.
 */
export function refundedItemId(item: { meta_data: readonly { key: string; value: unknown }[] }): number | undefined {
  const meta = item.meta_data.find((m) => m.key === '_refunded_item_id');
  const n = Number(meta?.value);
  return meta && Number.isInteger(n) && n > 0 ? n : undefined;
}

export const OrderNoteSchema = z.looseObject({
  id: z.number().int(),
  /** v3: "system" for WooCommerce's own notes, else the user's name; absent before v3. */
  author: z.string().optional(),
  date_created_gmt: WooDate,
  note: z.string(),
  customer_note: z.boolean(),
});
export type WooOrderNote = z.infer<typeof OrderNoteSchema>;

export const ShipmentTrackingItemSchema = z.looseObject({
  tracking_id: z.string(),
  tracking_provider: z.string().nullable().optional(),
  tracking_link: z.string().nullable().optional(),
  tracking_number: z.string(),
  /** `YYYY-MM-DD` from the REST route; a unix timestamp in the raw order meta. */
  date_shipped: z.union([z.string(), z.number()]).nullable().optional(),
});
export type WooShipmentTrackingItem = z.infer<typeof ShipmentTrackingItemSchema>;

export const WebhookSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  status: z.string(),
  topic: z.string(),
  resource: z.string().optional(),
  event: z.string().optional(),
  hooks: z.array(z.string()).optional(),
  delivery_url: z.string(),
  date_created_gmt: WooDate.optional(),
  date_modified_gmt: WooDate.optional(),
});
export type WooWebhook = z.infer<typeof WebhookSchema>;

/** Items of the store-wide GET /refunds (WooCommerce 9.0+) carry their order id. */
export const StoreRefundSchema = RefundSchema.extend({ parent_id: z.number().int() });

/**
 * What a selection needs of an order (`_fields`, see ORDER_REF_FIELDS). Only `id` is checked, so
 * one order the full OrderSchema cannot read does not break a window read: read the orders
 * themselves afterwards, by id, and check each on its own.
 */
export const ORDER_REF_FIELDS = ['id', 'number', 'status', 'date_modified_gmt'] as const;
export const OrderRefSchema = z.looseObject({
  id: z.number().int(),
  number: z.union([z.string(), z.number()]).transform(String).optional().catch(undefined),
  status: z.string().optional().catch(undefined),
  date_modified_gmt: z.string().nullable().optional().catch(undefined),
});
export type WooOrderRef = z.infer<typeof OrderRefSchema>;

/** What the refunds fallback asks for about orders (`_fields=id,date_modified_gmt,refunds`). */
export const OrderRefundsProbeSchema = z.looseObject({
  id: z.number().int(),
  date_modified_gmt: WooDate,
  refunds: z.array(OrderRefundSummarySchema),
});
