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

// ---------------------------------------------------------------------------------------------
// Shared pieces for orders, credits, payments, goods-out

/** Order money and quantities are decimal strings (`"9.0909"`); a number is read too, and kept as a string. */
export const DecimalStringSchema = z.union([z.string(), z.number()]).transform(String);

/** Created-resource answers: `{"response": 41872}` (a numeric string is read too). */
export const CreatedIdSchema = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

/** Goods-out note creation answers the new id(s): one id or an array (shape unverified). */
export const CreatedIdsSchema = z.union([CreatedIdSchema.transform((id) => [id]), z.array(CreatedIdSchema)]);

/** An empty map may come back as `[]`; read as `{}`. */
function mapOrEmptyArray<T extends z.ZodType>(value: T) {
  return z.union([z.record(z.string(), value), z.array(z.never()).transform(() => ({}) as Record<string, z.infer<T>>)]);
}

// ---------------------------------------------------------------------------------------------
// Reference data

export const OrderStatusSchema = z.looseObject({
  statusId: z.number().int(),
  name: z.string(),
  orderTypeCode: z.string().optional(),
  state: z.string().optional(),
  visible: z.boolean().optional(),
  disabled: z.boolean().optional(),
});
export type BrightpearlOrderStatus = z.infer<typeof OrderStatusSchema>;

export const ChannelSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  channelTypeId: z.number().int().optional(),
  defaultWarehouseId: z.number().int().optional(),
  defaultPriceListId: z.number().int().optional(),
});
export type BrightpearlChannel = z.infer<typeof ChannelSchema>;

/** Observed minimal `{id, name}`; `code` and `carrier` when the account has them. */
export const ShippingMethodSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  code: z.string().nullish(),
  carrier: z.unknown().optional(),
});
export type BrightpearlShippingMethod = z.infer<typeof ShippingMethodSchema>;

export const TaxCodeSchema = z.looseObject({
  id: z.number().int(),
  code: z.string(),
  description: z.string().nullish(),
  /** Percent. */
  rate: z.union([z.number(), z.string().transform(Number)]).nullish(),
});
export type BrightpearlTaxCode = z.infer<typeof TaxCodeSchema>;

/** A payment-method-search row (columns zipped by name). */
export const PaymentMethodRowSchema = z.looseObject({
  id: z.number().int(),
  code: z.string(),
  name: z.string().nullish(),
});
export type BrightpearlPaymentMethod = z.infer<typeof PaymentMethodRowSchema>;

export const NominalCodeRowSchema = z.looseObject({
  id: z.number().int(),
  code: z.string(),
  name: z.string().nullish(),
});
export type BrightpearlNominalCode = z.infer<typeof NominalCodeRowSchema>;

// ---------------------------------------------------------------------------------------------
// Contacts

/** A contact-search row. `updatedOn` may be null here while the GET has it (observed). */
export const ContactSearchRowSchema = z.looseObject({
  contactId: z.number().int(),
  primaryEmail: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  companyName: z.string().nullish(),
  isStaff: z.boolean().nullish(),
  isSupplier: z.boolean().nullish(),
  isCustomer: z.boolean().nullish(),
  updatedOn: z.string().nullish(),
});
export type ContactSearchRow = z.infer<typeof ContactSearchRowSchema>;

export const ContactSchema = z.looseObject({
  contactId: z.number().int(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  postAddressIds: z.looseObject({ DEF: z.number().int().optional(), BIL: z.number().int().optional(), DEL: z.number().int().optional() }).optional(),
  communication: z
    .looseObject({
      emails: z.record(z.string(), z.union([z.looseObject({ email: z.string() }), z.string()])).optional(),
      telephones: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  updatedOn: z.string().optional(),
});
export type BrightpearlContact = z.infer<typeof ContactSchema>;

// ---------------------------------------------------------------------------------------------
// Sales orders and credits (flat `sales-order` / `sales-credit` shape)

export const FlatOrderRowSchema = z.looseObject({
  id: z.number().int(),
  productId: z.number().int().nullish(),
  name: z.string().nullish(),
  sku: z.string().nullish(),
  quantity: DecimalStringSchema,
  net: DecimalStringSchema,
  tax: DecimalStringSchema,
  taxCode: z.string().nullish(),
  nominalCode: z.string().nullish(),
  externalRef: z.string().nullish(),
});
export type BrightpearlOrderRow = z.infer<typeof FlatOrderRowSchema>;

const OrderTotalSchema = z.looseObject({ net: DecimalStringSchema, tax: DecimalStringSchema, gross: DecimalStringSchema });

/** `customerId` is filled from `customer.id` when only that is present. */
export const SalesOrderSchema = z
  .looseObject({
    id: z.number().int(),
    parentId: z.number().int().nullish(),
    ref: z.string().nullish(),
    externalRef: z.string().nullish(),
    installedIntegrationInstanceId: z.number().int().nullish(),
    customerId: z.number().int().optional(),
    customer: z.looseObject({ id: z.number().int() }).optional(),
    statusId: z.number().int(),
    channelId: z.number().int().nullish(),
    warehouseId: z.number().int().nullish(),
    placedOn: z.string().nullish(),
    createdOn: z.string().nullish(),
    updatedOn: z.string().nullish(),
    currency: z.looseObject({ code: z.string() }).optional(),
    delivery: z.looseObject({ shippingMethodId: z.number().int().nullish() }).optional(),
    shippingStatusCode: z.string().nullish(),
    stockStatusCode: z.string().nullish(),
    orderPaymentStatus: z.string().nullish(),
    total: OrderTotalSchema.optional(),
    rows: z.array(FlatOrderRowSchema).default([]),
  })
  .transform((o) => ({ ...o, customerId: o.customerId ?? o.customer?.id }));
export type BrightpearlSalesOrder = z.infer<typeof SalesOrderSchema>;

/** Same shape; `parentId` is the credited sales order; `isCanceled` read-only. */
export const SalesCreditSchema = SalesOrderSchema;
export type BrightpearlSalesCredit = z.infer<typeof SalesCreditSchema>;

// ---------------------------------------------------------------------------------------------
// Orders, legacy nested shape (`order-service/order`)

const ValueSchema = z.looseObject({ value: DecimalStringSchema });

export const LegacyOrderRowSchema = z.looseObject({
  productId: z.number().int().nullish(),
  productName: z.string().nullish(),
  productSku: z.string().nullish(),
  quantity: z.looseObject({ magnitude: DecimalStringSchema }),
  rowValue: z
    .looseObject({
      taxCode: z.string().nullish(),
      rowNet: ValueSchema.optional(),
      rowTax: ValueSchema.optional(),
    })
    .optional(),
  nominalCode: z.string().nullish(),
});
export type BrightpearlLegacyOrderRow = z.infer<typeof LegacyOrderRowSchema>;

export const OrderSchema = z.looseObject({
  id: z.number().int(),
  parentOrderId: z.number().int().nullish(),
  orderTypeCode: z.string(),
  reference: z.string().nullish(),
  orderStatus: z.looseObject({ orderStatusId: z.number().int(), name: z.string().nullish() }),
  orderPaymentStatus: z.string().nullish(),
  stockStatusCode: z.string().nullish(),
  allocationStatusCode: z.string().nullish(),
  /** NST none stock-tracked, SNS not shipped, SPS part shipped, ASS all shipped. */
  shippingStatusCode: z.string().nullish(),
  placedOn: z.string().nullish(),
  createdOn: z.string().nullish(),
  updatedOn: z.string().nullish(),
  warehouseId: z.number().int().nullish(),
  delivery: z.looseObject({ shippingMethodId: z.number().int().nullish(), deliveryDate: z.string().nullish() }).optional(),
  /** Keyed by order row id. */
  orderRows: mapOrEmptyArray(LegacyOrderRowSchema).default({}),
});
export type BrightpearlOrder = z.infer<typeof OrderSchema>;

// ---------------------------------------------------------------------------------------------
// Search rows used by the order side (columns zipped by name; only what is used is required)

export const OrderSearchRowSchema = z.looseObject({
  orderId: z.number().int(),
  orderTypeId: z.number().int().nullish(),
  contactId: z.number().int().nullish(),
  orderStatusId: z.number().int().nullish(),
  parentOrderId: z.number().int().nullish(),
  externalRef: z.string().nullish(),
  installedIntegrationInstanceId: z.number().int().nullish(),
  customerRef: z.string().nullish(),
  updatedOn: z.string().nullish(),
  createdOn: z.string().nullish(),
  orderShippingStatusId: z.number().int().nullish(),
  warehouseId: z.number().int().nullish(),
});
export type OrderSearchRow = z.infer<typeof OrderSearchRowSchema>;

export const CustomerPaymentRowSchema = z.looseObject({
  paymentId: z.number().int(),
  orderId: z.number().int(),
  paymentType: z.string(),
  paymentMethodCode: z.string().nullish(),
  transactionRef: z.string().nullish(),
  transactionCode: z.string().nullish(),
  currencyCode: z.string().nullish(),
  amountPaid: z.union([z.number(), z.string().transform(Number)]).nullish(),
  amountAuthorized: z.union([z.number(), z.string().transform(Number)]).nullish(),
  paymentDate: z.string().nullish(),
});
export type CustomerPaymentRow = z.infer<typeof CustomerPaymentRowSchema>;

export const GoodsOutSearchRowSchema = z.looseObject({
  goodsOutNoteId: z.number().int(),
  orderId: z.number().int(),
  warehouseId: z.number().int().nullish(),
  shipped: z.boolean().nullish(),
  shippedOn: z.string().nullish(),
  transfer: z.boolean().nullish(),
  createdOn: z.string().nullish(),
  channelId: z.number().int().nullish(),
});
export type GoodsOutSearchRow = z.infer<typeof GoodsOutSearchRowSchema>;

// ---------------------------------------------------------------------------------------------
// Goods-out notes

export const GoodsOutLineSchema = z.looseObject({
  productId: z.number().int(),
  quantity: z.union([z.number(), z.string().transform(Number)]),
  locationId: z.number().int().nullish(),
});

export const GoodsOutNoteSchema = z.looseObject({
  /** 0 for a warehouse transfer (`transfer: true`). */
  orderId: z.number().int(),
  warehouseId: z.number().int(),
  transfer: z.boolean().default(false),
  priority: z.boolean().optional(),
  status: z.looseObject({
    printed: z.boolean().optional(),
    picked: z.boolean().optional(),
    packed: z.boolean().optional(),
    shipped: z.boolean(),
    shippedOn: z.string().nullish(),
    shippedById: z.number().int().nullish(),
  }),
  shipping: z
    .looseObject({
      /** The tracking number; '' when none. */
      reference: z.string().nullish(),
      shippingMethodId: z.number().int().nullish(),
      boxes: z.number().int().nullish(),
      weight: DecimalStringSchema.nullish(),
    })
    .default({}),
  createdOn: z.string().nullish(),
  createdBy: z.number().int().nullish(),
  /** Sales-order row id → lines (a row split across locations: sum them). */
  orderRows: mapOrEmptyArray(z.array(GoodsOutLineSchema)).default({}),
  lastEventVersion: z.number().int().nullish(),
  /** The API spells the time key `occured`. */
  events: z.array(z.looseObject({ eventCode: z.string(), occured: z.string().nullish(), eventOwnerId: z.number().int().nullish() })).default([]),
});
export type BrightpearlGoodsOutNoteBody = z.infer<typeof GoodsOutNoteSchema>;
/** A note with its id (the API keys notes by id). */
export type BrightpearlGoodsOutNote = BrightpearlGoodsOutNoteBody & { id: number };

/** Note id → note; an empty answer may be `[]`. */
export const GoodsOutNotesResponseSchema = mapOrEmptyArray(GoodsOutNoteSchema);

// ---------------------------------------------------------------------------------------------
// Webhooks

export const WebhookSchema = z.looseObject({
  id: z.number().int(),
  subscribeTo: z.string(),
  httpMethod: z.string(),
  uriTemplate: z.string(),
  bodyTemplate: z.string().nullish(),
  contentType: z.string().nullish(),
  idSetAccepted: z.boolean().nullish(),
  qualityOfService: z.number().int().nullish(),
});
export type BrightpearlWebhook = z.infer<typeof WebhookSchema>;
