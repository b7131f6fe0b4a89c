/**
 * What we read from Brightpearl, checked at the edge. Records are loose objects: Brightpearl adds
 * fields per account and omits null ones, so only the fields the sync uses are required.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Envelopes

export const ErrorEntrySchema = z.looseObject({
  code: z.string(),
  message: z.string().default(''),
});
export type BrightpearlErrorEntry = z.infer<typeof ErrorEntrySchema>;

/** `{"errors":[{"code":"CMNC-018","message":"..."}]}` */
export const ErrorEnvelopeSchema = z.looseObject({ errors: z.array(ErrorEntrySchema) });

/** 401s (and possibly other gateway answers) carry a bare string: `{"response":"Authorization token expired"}`. */
export const BareMessageSchema = z.looseObject({ response: z.string() });

/** `{"response": ...}`; updates may answer `{}` so `response` is optional here. */
export const EnvelopeSchema = z.looseObject({ response: z.unknown().optional() });

// ---------------------------------------------------------------------------------------------
// Resource search

export const SearchColumnSchema = z.looseObject({
  name: z.string(),
  sortable: z.boolean().optional(),
  filterable: z.boolean().optional(),
  reportDataType: z.string().optional(),
  referenceData: z.array(z.string()).optional(),
  required: z.boolean().optional(),
});
export type SearchColumn = z.infer<typeof SearchColumnSchema>;

export const SearchMetaDataSchema = z.looseObject({
  morePagesAvailable: z.boolean(),
  resultsAvailable: z.number().int(),
  resultsReturned: z.number().int(),
  firstResult: z.number().int(),
  lastResult: z.number().int(),
  columns: z.array(SearchColumnSchema),
  sorting: z.array(z.unknown()).optional(),
});
export type SearchMetaData = z.infer<typeof SearchMetaDataSchema>;

/** `reference`: referenceData key → id → label/list. */
export const SearchReferenceSchema = z.record(z.string(), z.record(z.string(), z.unknown()));
export type SearchReference = z.infer<typeof SearchReferenceSchema>;

/** The whole search body: `reference` sits beside `response`, not inside it. */
export const SearchBodySchema = z.looseObject({
  response: z.looseObject({
    results: z.array(z.array(z.unknown())),
    metaData: SearchMetaDataSchema,
  }),
  reference: SearchReferenceSchema.optional(),
});
export type SearchBody = z.infer<typeof SearchBodySchema>;

// ---------------------------------------------------------------------------------------------
// Products

const DescriptionSchema = z.looseObject({
  languageCode: z.string().optional(),
  text: z.string().default(''),
  format: z.string().optional(),
});

export const SalesChannelSchema = z.looseObject({
  salesChannelName: z.string().optional(),
  productName: z.string(),
  productCondition: z.string().optional(),
  categories: z.array(z.looseObject({ categoryCode: z.union([z.string(), z.number()]) })).optional(),
  description: DescriptionSchema.optional(),
  shortDescription: DescriptionSchema.optional(),
});
export type BrightpearlSalesChannel = z.infer<typeof SalesChannelSchema>;

export const VariationSchema = z.looseObject({
  optionId: z.number().int().optional(),
  optionName: z.string(),
  optionValueId: z.number().int().optional(),
  optionValue: z.string(),
});
export type BrightpearlVariation = z.infer<typeof VariationSchema>;

export const ProductSchema = z.looseObject({
  id: z.number().int(),
  /** 0 (or absent) = not in a group; variants of one item share it. */
  productGroupId: z.number().int().nullish(),
  status: z.string().optional(),
  /** Epoch ms; bumps on every change. */
  version: z.number().optional(),
  createdOn: z.string().optional(),
  updatedOn: z.string().optional(),
  identity: z.looseObject({
    // A product may have no SKU; one such record must not fail a batch of 200, so callers decide.
    sku: z.string().nullish(),
    barcode: z.string().nullish(),
    ean: z.string().nullish(),
    upc: z.string().nullish(),
    isbn: z.string().nullish(),
    mpn: z.string().nullish(),
  }),
  stock: z.looseObject({ stockTracked: z.boolean() }),
  salesChannels: z.array(SalesChannelSchema).default([]),
  variations: z.array(VariationSchema).default([]),
  composition: z.looseObject({ bundle: z.boolean().optional() }).optional(),
});
export type BrightpearlProduct = z.infer<typeof ProductSchema>;

/** The product name lives in the sales channels; the default channel is called "Brightpearl". */
export function productName(product: BrightpearlProduct): string | undefined {
  const channels = product.salesChannels;
  return (channels.find((c) => c.salesChannelName === 'Brightpearl') ?? channels[0])?.productName;
}

// ---------------------------------------------------------------------------------------------
// Inventory

export const StockQuantitiesSchema = z.looseObject({
  inStock: z.number(),
  /** Available to sell: inStock − allocated. */
  onHand: z.number(),
  allocated: z.number(),
  inTransit: z.number().default(0),
});
export type StockQuantities = z.infer<typeof StockQuantitiesSchema>;

export const ProductAvailabilitySchema = z.looseObject({
  total: StockQuantitiesSchema,
  warehouses: z.record(z.string(), StockQuantitiesSchema).default({}),
});
export type ProductAvailability = z.infer<typeof ProductAvailabilitySchema>;

/** Keyed by product id. An empty answer may come back as `[]` (not documented), read as none. */
export const AvailabilityResponseSchema = z.union([
  z.record(z.string(), ProductAvailabilitySchema),
  z.array(z.never()).transform(() => ({}) as Record<string, ProductAvailability>),
]);

export const WarehouseSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  typeCode: z.string().optional(),
  typeDescription: z.string().optional(),
});
export type BrightpearlWarehouse = z.infer<typeof WarehouseSchema>;

// ---------------------------------------------------------------------------------------------
// Prices

const LocalisedTextSchema = z.looseObject({ languageCode: z.string().optional(), text: z.string() });

export const PriceListSchema = z.looseObject({
  id: z.number().int(),
  // Documented as {languageCode,text,format}; a plain string is read too.
  name: z.union([LocalisedTextSchema, z.string()]).transform((n) => (typeof n === 'string' ? n : n.text)),
  code: z.string().optional(),
  currencyCode: z.string(),
  currencySymbol: z.string().optional(),
  currencyId: z.number().int().optional(),
  priceListTypeCode: z.string().optional(),
  /** true = prices include tax. */
  gross: z.boolean().optional(),
});
export type BrightpearlPriceList = z.infer<typeof PriceListSchema>;

/** Quantity break → unit price, as strings; `{}` (or `[]`) when no price is set. */
const QuantityPriceSchema = z.union([
  z.record(z.string(), z.union([z.string(), z.number()]).transform(String)),
  z.array(z.never()).transform(() => ({}) as Record<string, string>),
]);

export const ProductPriceSchema = z.looseObject({
  productId: z.number().int(),
  priceLists: z
    .array(
      z.looseObject({
        priceListId: z.number().int(),
        currencyCode: z.string().optional(),
        currencyId: z.number().int().optional(),
        sku: z.string().nullish(),
        quantityPrice: QuantityPriceSchema.default({}),
      }),
    )
    .default([]),
});
export type BrightpearlProductPrice = z.infer<typeof ProductPriceSchema>;

export const GetUrisSchema = z.looseObject({ getUris: z.array(z.string()) });
