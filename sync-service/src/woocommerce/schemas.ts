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
