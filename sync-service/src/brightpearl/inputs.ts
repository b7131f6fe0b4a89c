/**
 * What the sync sends to Brightpearl (request bodies), per the reference. Money and quantities are
 * decimal strings (`"20.00"`, `"2"`); `net`/`tax` are row totals, not unit prices.
 */

/** `POST contact-service/postal-address`. `countryIsoCode`: 2 or 3 letters (docs example `GBR`). */
export interface PostalAddressInput {
  /** Street; required. */
  addressLine1: string;
  /** Suburb. */
  addressLine2?: string;
  /** City. */
  addressLine3?: string;
  /** State / county. */
  addressLine4?: string;
  postalCode?: string;
  countryIsoCode?: string;
  countryId?: number;
}

/** `POST contact-service/contact`. */
export interface ContactInput {
  salutation?: string;
  firstName?: string;
  lastName?: string;
  postAddressIds?: { DEF?: number; BIL?: number; DEL?: number };
  communication?: {
    emails?: Partial<Record<'PRI' | 'SEC' | 'TER', { email: string }>>;
    telephones?: Partial<Record<'PRI' | 'SEC' | 'MOB' | 'FAX', string>>;
  };
  relationshipToAccount?: { isSupplier?: boolean; isStaff?: boolean };
  marketingDetails?: { isReceiveEmailNewsletter?: boolean };
  organisation?: { name: string };
  contactStatusId?: number;
  priceListId?: number;
}

/** Order address (2-letter `countryIsoCode` in the order examples). */
export interface OrderAddress {
  addressFullName?: string;
  companyName?: string;
  addressLine1?: string;
  addressLine2?: string;
  addressLine3?: string;
  addressLine4?: string;
  postalCode?: string;
  countryIsoCode?: string;
  telephone?: string;
  mobileTelephone?: string;
  email?: string;
}

/** A product row (`productId`) or a free-text row (`name`: shipping, fees, discounts, gift cards). */
export interface OrderRowInput {
  productId?: number;
  name?: string;
  /** Whole for stock-tracked products, else up to 4 decimal places. */
  quantity: string;
  /** Account tax code, e.g. `T20`. Required. */
  taxCode: string;
  /** Row total excluding tax. */
  net: string;
  /** Row tax total. */
  tax: string;
  nominalCode?: string;
  /** E.g. the WooCommerce line item id; comes back on GET rows. */
  externalRef?: string;
}

/** `POST order-service/sales-order`. */
export interface SalesOrderInput {
  customer: { id: number; address?: OrderAddress };
  billing?: { contactId?: number; address?: OrderAddress };
  delivery?: { address?: OrderAddress; date?: string; shippingMethodId?: number };
  /** Customer reference (the Woo order number); search column `customerRef`. */
  ref?: string;
  /**
   * With `installedIntegrationInstanceId`, the idempotency key: a re-POST with the same pair
   * answers the existing order's id and changes nothing.
   */
  externalRef?: string;
  installedIntegrationInstanceId?: number;
  placedOn?: string;
  taxDate?: string;
  statusId?: number;
  channelId?: number;
  warehouseId?: number;
  parentId?: number;
  priceListId?: number;
  priceModeCode?: 'INC' | 'EXC';
  currency?: { code: string; fixedExchangeRate?: boolean; exchangeRate?: string };
  staffOwnerId?: number;
  projectId?: number;
  leadSourceId?: number;
  teamId?: number;
  rows: OrderRowInput[];
}

/** `POST order-service/sales-credit`: the sales-order shape, `parentId` = the credited order. Rows carry positive amounts. */
export interface SalesCreditInput extends SalesOrderInput {
  parentId: number;
}

/** `POST accounting-service/customer-payment`. transactionRef + paymentMethodCode are unique (idempotency). */
export interface CustomerPaymentInput {
  /** RECEIPT money in on a sales order; PAYMENT money out (refunds, on a credit). */
  paymentType: 'RECEIPT' | 'PAYMENT' | 'AUTH' | 'CAPTURE' | 'VOID';
  orderId: number;
  /** ≤36, an account payment method code, e.g. WOO_STRIPE. */
  paymentMethodCode: string;
  currencyIsoCode: string;
  paymentDate: string;
  amountPaid?: number | string;
  amountAuthorized?: number | string;
  authorizationExpiry?: string;
  exchangeRate?: number | string;
  /** ≤64. */
  transactionRef?: string;
  /** ≤64; links CAPTURE/VOID to AUTH. */
  transactionCode?: string;
  journalRef?: string;
  journalId?: number;
}

/** `POST warehouse-service/order/{orderId}/goods-note/goods-out`: one note per `warehouses[]` entry. */
export interface GoodsOutCreateInput {
  warehouses: {
    warehouseId: number;
    releaseDate?: string;
    transfer?: false;
    products: { productId?: number; salesOrderRowId: number; quantity: number }[];
  }[];
  priority?: boolean;
  shippingMethodId?: number;
}

/** `PUT warehouse-service/goods-note/goods-out/{noteId}` (refused once shipped). */
export interface GoodsOutUpdateInput {
  priority?: boolean;
  shipping?: { shippingMethodId?: number; reference?: string; boxes?: number; weight?: string };
  labelUri?: string;
}

export interface GoodsOutEventInput {
  eventCode: 'PRI' | 'UPR' | 'PIC' | 'UPI' | 'PAC' | 'UPA' | 'SHW';
  /** The API's spelling. */
  occured?: string;
  eventOwnerId?: number;
}

/** `POST integration-service/webhook`. */
export interface WebhookInput {
  subscribeTo: string;
  httpMethod: 'GET' | 'POST' | 'PUT' | 'DELETE';
  uriTemplate: string;
  /** Required for POST / PUT. */
  bodyTemplate?: string;
  contentType?: string;
  idSetAccepted?: boolean;
  qualityOfService?: 0 | 1;
}
