/**
 * Contacts, postal addresses, sales orders, sales credits, order notes, status changes and
 * customer payments of the simulated Brightpearl account (§7, §8 of the reference): validation
 * in the `errors[]` form, the idempotency keys, derived statuses and the two order views
 * (flat `sales-order` and nested legacy `order`).
 *
 * Everything is validated before anything changes, so a rejected request changes nothing.
 */
import { announce, isoDate, nextId, setStock, type BrightpearlSimState, type SimEvent } from './data';
import { formatUnits, isWholeUnits, parseUnits, unitsToNumber, UNITS } from './decimal';
import { BrightpearlApiError, ERROR_CODES, notFound, type ApiErrorEntry } from './envelope';
import type { SimGoodsOutNote } from './goods-out';
import { codeId, findStatus, ORDER_TYPE_IDS, STAFF_CONTACT_ID, type SimOrderStatus } from './reference';
import type { SearchDefinition } from './search';

// ---------------------------------------------------------------------------------------------
// Records

export interface SimAddress {
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

export interface SimPostalAddress {
  id: number;
  addressLine1: string;
  addressLine2?: string;
  addressLine3?: string;
  addressLine4?: string;
  postalCode?: string;
  /** ISO 3166 alpha-3 where the simulator knows the country, else as sent. */
  countryIsoCode?: string;
  countryIsoCode2?: string;
  countryId?: number;
}

export type EmailKey = 'PRI' | 'SEC' | 'TER';
export type PhoneKey = 'PRI' | 'SEC' | 'MOB' | 'FAX';
export type AddressKey = 'DEF' | 'BIL' | 'DEL';

export interface SimContact {
  id: number;
  salutation?: string;
  firstName?: string;
  lastName?: string;
  emails: Partial<Record<EmailKey, string>>;
  telephones: Partial<Record<PhoneKey, string>>;
  postAddressIds: Partial<Record<AddressKey, number>>;
  companyName?: string;
  isSupplier: boolean;
  isStaff: boolean;
  priceListId?: number;
  contactStatusId?: number;
  receiveNewsletter: boolean;
  createdOn: number;
  updatedOn: number;
  lastOrderedOn?: number;
  /** Quirk (reference §4): contact search shows `updatedOn` null while the GET has a value. */
  searchUpdatedOnNull: boolean;
}

export type OrderTypeCode = 'SO' | 'SC';

export interface SimOrderRow {
  id: number;
  productId?: number;
  name: string;
  sku?: string;
  /** Units of 0.0001 (see decimal.ts). */
  quantity: number;
  /** Row total excluding tax, units. */
  net: number;
  tax: number;
  taxCode: string;
  nominalCode: string;
  externalRef?: string;
  sequence: number;
  /** A product row whose product is stock-tracked: needs goods-out, counts for shipping status. */
  stockTracked: boolean;
  /** Whole items reserved in the order's warehouse and not shipped yet. */
  allocated: number;
}

export interface SimOrderNote {
  id: number;
  orderId: number;
  text: string;
  isPublic: boolean;
  fileId?: number;
  addedOn: number;
  addedBy: number;
}

export interface SimOrder {
  id: number;
  orderTypeCode: OrderTypeCode;
  /** 0 = none. For a credit: the sales order it credits. */
  parentId: number;
  customerId: number;
  customerAddress?: SimAddress;
  billing: { contactId: number; address?: SimAddress };
  delivery: { address?: SimAddress; date?: number; shippingMethodId: number };
  ref?: string;
  externalRef?: string;
  installedIntegrationInstanceId?: number;
  placedOn: number;
  taxDate?: number;
  statusId: number;
  channelId?: number;
  warehouseId: number;
  priceListId: number;
  priceModeCode: 'INC' | 'EXC';
  currency: { code: string; exchangeRate: string; fixedExchangeRate: boolean };
  staffOwnerId?: number;
  projectId?: number;
  leadSourceId?: number;
  teamId?: number;
  rows: SimOrderRow[];
  notes: SimOrderNote[];
  createdOn: number;
  createdBy: number;
  updatedOn: number;
  invoicedOn?: number;
  invoiceReference?: string;
  closedOn?: number;
  cancelled: boolean;
}

export type PaymentType = 'RECEIPT' | 'PAYMENT' | 'AUTH' | 'CAPTURE' | 'VOID';
export const PAYMENT_TYPES: readonly PaymentType[] = ['RECEIPT', 'PAYMENT', 'AUTH', 'CAPTURE', 'VOID'];

export interface SimPayment {
  id: number;
  paymentType: PaymentType;
  orderId: number;
  paymentMethodCode: string;
  currencyIsoCode: string;
  amountPaid?: number;
  amountAuthorized?: number;
  authorizationExpiry?: number;
  exchangeRate: string;
  paymentDate: number;
  transactionRef?: string;
  transactionCode?: string;
  journalRef?: string;
  journalId?: number;
  createdOn: number;
}

// ---------------------------------------------------------------------------------------------
// Input reading (hand-rolled so messages and codes read like Brightpearl's)

type Json = Record<string, unknown>;

class Problems {
  readonly list: ApiErrorEntry[] = [];
  constructor(private readonly code: string) {}
  add(message: string, code: string = this.code): void {
    this.list.push({ code, message });
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw BrightpearlApiError.fromList(400, this.list);
  }
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireBody(body: unknown): Json {
  if (!isRecord(body)) throw new BrightpearlApiError(400, ERROR_CODES.NO_JSON_BODY, 'The request needs a JSON object body');
  return body;
}

/** An optional positive integer (a JSON number or digit string). */
function optInt(p: Problems, value: unknown, label: string, allowZero = false): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n) && (n > 0 || (allowZero && n === 0))) return n;
  p.add(`${label} must be a whole number${allowZero ? ' (0 or more)' : ' greater than 0'}, not ${JSON.stringify(value)}`);
  return undefined;
}

function optString(p: Problems, value: unknown, label: string, maxLength?: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    p.add(`${label} must be a string`);
    return undefined;
  }
  const text = String(value);
  if (maxLength !== undefined && text.length > maxLength) {
    p.add(`${label} must be at most ${maxLength} characters (got ${text.length})`);
    return undefined;
  }
  return text;
}

function optBoolean(p: Problems, value: unknown, label: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  p.add(`${label} must be true or false`);
  return undefined;
}

/** ISO-8601 with an offset, or a date alone (`2025-03-04`, read as UTC midnight). */
function optDate(p: Problems, value: unknown, label: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d{4}-\d\d-\d\d$/.test(text)) return Date.parse(`${text}T00:00:00Z`);
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.test(text)) {
      const ms = Date.parse(text);
      if (!Number.isNaN(ms)) return ms;
    }
  }
  p.add(`${label} must be an ISO-8601 date-time with an offset (e.g. 2025-03-04T10:22:00+00:00), not ${JSON.stringify(value)}`);
  return undefined;
}

const ADDRESS_FIELDS = [
  'addressFullName',
  'companyName',
  'addressLine1',
  'addressLine2',
  'addressLine3',
  'addressLine4',
  'postalCode',
  'countryIsoCode',
  'telephone',
  'mobileTelephone',
  'email',
] as const;

function readAddress(p: Problems, value: unknown, label: string): SimAddress | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    p.add(`${label} must be an object`);
    return undefined;
  }
  const address: SimAddress = {};
  for (const field of ADDRESS_FIELDS) {
    const text = optString(p, value[field], `${label}.${field}`, 255);
    if (text !== undefined && text !== '') address[field] = text;
  }
  if (address.countryIsoCode !== undefined && !/^[A-Za-z]{2,3}$/.test(address.countryIsoCode)) {
    p.add(`${label}.countryIsoCode must be a 2- or 3-letter ISO country code, not ${address.countryIsoCode}`);
  }
  return address;
}

// ---------------------------------------------------------------------------------------------
// Postal addresses and contacts (contact-service)

/** alpha-2 → [alpha-3, simulator countryId]; other valid-looking codes are kept as sent. */
const COUNTRIES: Record<string, [string, number]> = {
  GB: ['GBR', 222],
  IE: ['IRL', 103],
  US: ['USA', 223],
  CA: ['CAN', 38],
  AU: ['AUS', 13],
  FR: ['FRA', 73],
  DE: ['DEU', 81],
  NL: ['NLD', 150],
  ES: ['ESP', 195],
  IT: ['ITA', 105],
};

function country(code: string | undefined, countryId: number | undefined): Pick<SimPostalAddress, 'countryIsoCode' | 'countryIsoCode2' | 'countryId'> {
  if (code !== undefined) {
    const upper = code.toUpperCase();
    const byTwo = COUNTRIES[upper];
    if (byTwo) return { countryIsoCode: byTwo[0], countryIsoCode2: upper, countryId: byTwo[1] };
    const byThree = Object.entries(COUNTRIES).find(([, [three]]) => three === upper);
    if (byThree) return { countryIsoCode: upper, countryIsoCode2: byThree[0], countryId: byThree[1][1] };
    return { countryIsoCode: upper };
  }
  const byId = Object.entries(COUNTRIES).find(([, [, id]]) => id === countryId);
  return byId ? { countryIsoCode: byId[1][0], countryIsoCode2: byId[0], countryId } : { countryId };
}

/** `POST contact-service/postal-address` → the new address id. */
export function createPostalAddress(state: BrightpearlSimState, input: unknown): number {
  const body = requireBody(input);
  const p = new Problems(ERROR_CODES.CONTACT_INVALID);
  const line1 = optString(p, body.addressLine1, 'addressLine1', 255);
  if (line1 === undefined || line1.trim() === '') p.add('addressLine1 is required');
  const lines = [2, 3, 4].map((n) => optString(p, body[`addressLine${n}`], `addressLine${n}`, 255));
  const postalCode = optString(p, body.postalCode, 'postalCode', 32);
  const code = optString(p, body.countryIsoCode, 'countryIsoCode');
  const countryId = optInt(p, body.countryId, 'countryId');
  if (code !== undefined && !/^[A-Za-z]{2,3}$/.test(code)) p.add(`countryIsoCode must be a 2- or 3-letter ISO code, not ${code}`);
  if (code === undefined && countryId === undefined) p.add('countryIsoCode or countryId is required');
  p.throwIfAny();
  const id = nextId(state, 'address');
  state.postalAddresses.set(id, {
    id,
    addressLine1: line1 as string,
    ...(lines[0] ? { addressLine2: lines[0] } : {}),
    ...(lines[1] ? { addressLine3: lines[1] } : {}),
    ...(lines[2] ? { addressLine4: lines[2] } : {}),
    ...(postalCode ? { postalCode } : {}),
    ...country(code, countryId),
  });
  return id;
}

export function postalAddressView(a: SimPostalAddress): Json {
  const { id, ...fields } = a;
  return { addressId: id, ...fields };
}

function emailOf(value: unknown): unknown {
  // `{"PRI":{"email":"x"}}` (documented) or `{"PRI":"x"}` (older flat form sent by the Medusa plugin).
  return isRecord(value) ? value.email : value;
}

/** `POST contact-service/contact` → the new contact id. */
export function createContact(state: BrightpearlSimState, input: unknown, opts: { createdOn?: number; searchUpdatedOnNull?: boolean } = {}): number {
  const body = requireBody(input);
  const p = new Problems(ERROR_CODES.CONTACT_INVALID);
  const firstName = optString(p, body.firstName, 'firstName', 64);
  const lastName = optString(p, body.lastName, 'lastName', 64);
  const salutation = optString(p, body.salutation, 'salutation', 32);
  const organisation = isRecord(body.organisation) ? optString(p, body.organisation.name, 'organisation.name', 128) : undefined;
  if (!firstName && !lastName && !organisation) p.add('A contact needs a firstName, lastName or organisation.name');

  const communication = isRecord(body.communication) ? body.communication : {};
  const emailSource = isRecord(communication.emails) ? communication.emails : isRecord(body.emails) ? body.emails : {};
  const emails: SimContact['emails'] = {};
  for (const key of ['PRI', 'SEC', 'TER'] as const) {
    const email = optString(p, emailOf(emailSource[key]), `communication.emails.${key}.email`, 255);
    if (email) emails[key] = email;
  }
  const phoneSource = isRecord(communication.telephones) ? communication.telephones : {};
  const telephones: SimContact['telephones'] = {};
  for (const key of ['PRI', 'SEC', 'MOB', 'FAX'] as const) {
    const phone = optString(p, phoneSource[key], `communication.telephones.${key}`, 64);
    if (phone) telephones[key] = phone;
  }
  const postAddressIds: SimContact['postAddressIds'] = {};
  if (body.postAddressIds !== undefined) {
    if (!isRecord(body.postAddressIds)) p.add('postAddressIds must be an object {DEF, BIL, DEL}');
    else {
      for (const key of ['DEF', 'BIL', 'DEL'] as const) {
        const id = optInt(p, body.postAddressIds[key], `postAddressIds.${key}`);
        if (id === undefined) continue;
        if (!state.postalAddresses.has(id)) p.add(`postAddressIds.${key}: postal address ${id} does not exist`);
        else postAddressIds[key] = id;
      }
    }
  }
  const relationship = isRecord(body.relationshipToAccount) ? body.relationshipToAccount : {};
  const isSupplier = optBoolean(p, relationship.isSupplier, 'relationshipToAccount.isSupplier') ?? false;
  const isStaff = optBoolean(p, relationship.isStaff, 'relationshipToAccount.isStaff') ?? false;
  const marketing = isRecord(body.marketingDetails) ? body.marketingDetails : {};
  const receiveNewsletter = optBoolean(p, marketing.isReceiveEmailNewsletter, 'marketingDetails.isReceiveEmailNewsletter') ?? false;
  const financial = isRecord(body.financialDetails) ? body.financialDetails : {};
  const priceListId = optInt(p, body.priceListId ?? financial.priceListId, 'priceListId');
  if (priceListId !== undefined && !state.priceLists.some((l) => l.id === priceListId)) p.add(`Price list ${priceListId} does not exist`);
  const contactStatusId = optInt(p, body.contactStatusId, 'contactStatusId');
  p.throwIfAny();

  const id = nextId(state, 'contact');
  const now = opts.createdOn ?? state.now();
  state.contacts.set(id, {
    id,
    salutation,
    firstName,
    lastName,
    emails,
    telephones,
    postAddressIds,
    companyName: organisation,
    isSupplier,
    isStaff,
    priceListId,
    contactStatusId,
    receiveNewsletter,
    createdOn: now,
    updatedOn: now,
    searchUpdatedOnNull: opts.searchUpdatedOnNull ?? false,
  });
  return id;
}

export function contactView(c: SimContact): Json {
  const emails = Object.fromEntries(Object.entries(c.emails).map(([k, email]) => [k, { email }]));
  return {
    contactId: c.id,
    isPrimaryContact: true,
    ...(c.salutation ? { salutation: c.salutation } : {}),
    ...(c.firstName ? { firstName: c.firstName } : {}),
    ...(c.lastName ? { lastName: c.lastName } : {}),
    postAddressIds: { ...c.postAddressIds },
    communication: { emails, telephones: { ...c.telephones } },
    contactStatus: { current: { contactStatusId: c.contactStatusId ?? 1, contactStatusName: 'Active' } },
    relationshipToAccount: { isSupplier: c.isSupplier, isStaff: c.isStaff },
    ...(c.companyName ? { organisation: { organisationId: 9000 + c.id, name: c.companyName } } : {}),
    marketingDetails: { isReceiveEmailNewsletter: c.receiveNewsletter },
    financialDetails: { priceListId: c.priceListId ?? 1 },
    createdOn: isoDate(c.createdOn),
    updatedOn: isoDate(c.updatedOn),
    ...(c.lastOrderedOn !== undefined ? { lastOrderedOn: isoDate(c.lastOrderedOn) } : {}),
  };
}

/** Columns as observed (§7.1); `primaryEmail` is a fuzzy SEARCH_STRING. */
export const CONTACT_SEARCH: SearchDefinition<SimContact> = {
  defaultSort: 'contactId',
  columns: [
    { name: 'contactId', reportDataType: 'IDSET', value: (c) => c.id },
    { name: 'primaryEmail', reportDataType: 'SEARCH_STRING', value: (c) => c.emails.PRI ?? null },
    { name: 'secondaryEmail', reportDataType: 'SEARCH_STRING', value: (c) => c.emails.SEC ?? null },
    { name: 'tertiaryEmail', reportDataType: 'SEARCH_STRING', value: (c) => c.emails.TER ?? null },
    { name: 'firstName', reportDataType: 'SEARCH_STRING', value: (c) => c.firstName ?? null },
    { name: 'lastName', reportDataType: 'SEARCH_STRING', value: (c) => c.lastName ?? null },
    { name: 'isSupplier', reportDataType: 'BOOLEAN', value: (c) => c.isSupplier },
    { name: 'companyName', reportDataType: 'SEARCH_STRING', value: (c) => c.companyName ?? null },
    { name: 'isStaff', reportDataType: 'BOOLEAN', value: (c) => c.isStaff },
    { name: 'isCustomer', reportDataType: 'BOOLEAN', value: (c) => !c.isStaff && !c.isSupplier },
    { name: 'createdOn', reportDataType: 'PERIOD', value: (c) => isoDate(c.createdOn) },
    { name: 'updatedOn', reportDataType: 'PERIOD', value: (c) => (c.searchUpdatedOnNull ? null : isoDate(c.updatedOn)) },
    { name: 'lastOrderedOn', reportDataType: 'PERIOD', value: (c) => (c.lastOrderedOn === undefined ? null : isoDate(c.lastOrderedOn)) },
    { name: 'isPrimary', reportDataType: 'BOOLEAN', value: () => true },
    { name: 'pri', reportDataType: 'SEARCH_STRING', value: (c) => c.telephones.PRI ?? null },
    { name: 'sec', reportDataType: 'SEARCH_STRING', value: (c) => c.telephones.SEC ?? null },
    { name: 'mob', reportDataType: 'SEARCH_STRING', value: (c) => c.telephones.MOB ?? null },
  ],
};

/** The contact's postal address as an order address (when the order names none). */
function addressFromContact(state: BrightpearlSimState, contact: SimContact, key: AddressKey): SimAddress | undefined {
  const id = contact.postAddressIds[key] ?? contact.postAddressIds.DEF;
  const postal = id === undefined ? undefined : state.postalAddresses.get(id);
  if (!postal) return undefined;
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  const address: SimAddress = {
    addressLine1: postal.addressLine1,
    ...(name ? { addressFullName: name } : {}),
    ...(contact.companyName ? { companyName: contact.companyName } : {}),
    ...(postal.addressLine2 ? { addressLine2: postal.addressLine2 } : {}),
    ...(postal.addressLine3 ? { addressLine3: postal.addressLine3 } : {}),
    ...(postal.addressLine4 ? { addressLine4: postal.addressLine4 } : {}),
    ...(postal.postalCode ? { postalCode: postal.postalCode } : {}),
    ...((postal.countryIsoCode2 ?? postal.countryIsoCode) ? { countryIsoCode: postal.countryIsoCode2 ?? postal.countryIsoCode } : {}),
    ...(contact.telephones.PRI ? { telephone: contact.telephones.PRI } : {}),
    ...(contact.emails.PRI ? { email: contact.emails.PRI } : {}),
  };
  return address;
}

// ---------------------------------------------------------------------------------------------
// Orders and credits

export function orderKey(type: OrderTypeCode, installedIntegrationInstanceId: number, externalRef: string): string {
  return `${type}|${installedIntegrationInstanceId}|${externalRef}`;
}

export interface OrderCreateOptions {
  /** Seed data: created at this time, and no stock is reserved (the catalogue already reflects it). */
  historic?: { createdOn: number };
}

export interface OrderCreateResult {
  id: number;
  /** false: the externalRef + installedIntegrationInstanceId pair already named this order. */
  created: boolean;
}

function orderWord(type: OrderTypeCode): string {
  return type === 'SO' ? 'sales order' : 'sales credit';
}

/**
 * `POST order-service/sales-order` / `POST order-service/sales-credit`: atomic, rows and all.
 * A re-POST with an externalRef + installedIntegrationInstanceId pair already used by an order of
 * the same type answers that order's id and changes nothing (checked before validation).
 */
export function createOrder(state: BrightpearlSimState, type: OrderTypeCode, input: unknown, opts: OrderCreateOptions = {}): OrderCreateResult {
  const body = requireBody(input);
  const p = new Problems(ERROR_CODES.ORDER_INVALID);

  const externalRef = optString(p, body.externalRef, 'externalRef', 64);
  const installedIntegrationInstanceId = optInt(p, body.installedIntegrationInstanceId, 'installedIntegrationInstanceId');
  if (externalRef && installedIntegrationInstanceId !== undefined) {
    const existing = state.orderKeys.get(orderKey(type, installedIntegrationInstanceId, externalRef));
    if (existing !== undefined) return { id: existing, created: false };
  }

  // Customer
  const customer = isRecord(body.customer) ? body.customer : undefined;
  if (body.customer !== undefined && !customer) p.add('customer must be an object {id, address}');
  const customerId = optInt(p, customer?.id ?? body.customerId, 'customer.id');
  const contact = customerId === undefined ? undefined : state.contacts.get(customerId);
  if (customerId === undefined && !p.list.some((e) => e.message.startsWith('customer.id'))) p.add('customer.id is required');
  else if (customerId !== undefined && !contact) p.add(`customer.id: contact ${customerId} does not exist`);
  const customerAddress = readAddress(p, customer?.address, 'customer.address');

  const billing = isRecord(body.billing) ? body.billing : {};
  const billingContactId = optInt(p, billing.contactId, 'billing.contactId');
  if (billingContactId !== undefined && !state.contacts.has(billingContactId)) p.add(`billing.contactId: contact ${billingContactId} does not exist`);
  const billingAddress = readAddress(p, billing.address, 'billing.address');

  const delivery = isRecord(body.delivery) ? body.delivery : {};
  const deliveryAddress = readAddress(p, delivery.address, 'delivery.address');
  const deliveryDate = optDate(p, delivery.date, 'delivery.date');
  const shippingMethodId = optInt(p, delivery.shippingMethodId, 'delivery.shippingMethodId', true) ?? 0;
  if (shippingMethodId !== 0 && !state.reference.shippingMethods.some((m) => m.id === shippingMethodId)) {
    p.add(`delivery.shippingMethodId: shipping method ${shippingMethodId} does not exist`);
  }

  // Header
  const ref = optString(p, body.ref, 'ref', 64);
  const placedOn = optDate(p, body.placedOn, 'placedOn');
  const taxDate = optDate(p, body.taxDate, 'taxDate');
  const statusId = optInt(p, body.statusId, 'statusId');
  let status: SimOrderStatus | undefined;
  if (statusId !== undefined) {
    status = findStatus(state.reference, statusId);
    if (!status) p.add(`statusId: order status ${statusId} does not exist`);
    else if (status.orderTypeCode !== type) p.add(`statusId: order status ${statusId} (${status.name}) is for ${status.orderTypeCode} orders, not ${type}`);
    else if (!status.visible) p.add(`statusId: order status ${statusId} (${status.name}) is hidden`);
  } else {
    status = state.reference.orderStatuses.filter((s) => s.orderTypeCode === type && s.visible).sort((a, b) => a.sortOrder - b.sortOrder)[0];
  }
  const channelId = optInt(p, body.channelId, 'channelId');
  const channel = channelId === undefined ? undefined : state.reference.channels.find((c) => c.id === channelId);
  if (channelId !== undefined && !channel) p.add(`channelId: channel ${channelId} does not exist`);
  const warehouseId = optInt(p, body.warehouseId, 'warehouseId') ?? channel?.defaultWarehouseId ?? state.warehouses[0]?.id ?? 0;
  if (!state.warehouses.some((w) => w.id === warehouseId)) p.add(`warehouseId: warehouse ${warehouseId} does not exist`);
  const priceListId = optInt(p, body.priceListId, 'priceListId') ?? channel?.defaultPriceListId ?? state.priceLists[0]?.id ?? 1;
  const priceList = state.priceLists.find((l) => l.id === priceListId);
  if (!priceList) p.add(`priceListId: price list ${priceListId} does not exist`);
  const priceModeCode = optString(p, body.priceModeCode, 'priceModeCode') ?? (priceList?.gross ? 'INC' : 'EXC');
  if (priceModeCode !== 'INC' && priceModeCode !== 'EXC') p.add(`priceModeCode must be INC or EXC, not ${priceModeCode}`);
  const currencyInput = isRecord(body.currency) ? body.currency : {};
  const currencyCode = (optString(p, currencyInput.code, 'currency.code') ?? priceList?.currencyCode ?? 'GBP').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currencyCode)) p.add(`currency.code must be a 3-letter ISO currency code, not ${currencyCode}`);
  const exchangeRateUnits = currencyInput.exchangeRate === undefined ? UNITS : parseUnits(currencyInput.exchangeRate, 6);
  if (exchangeRateUnits === undefined || exchangeRateUnits <= 0) p.add('currency.exchangeRate must be a number greater than 0');
  const fixedExchangeRate = optBoolean(p, currencyInput.fixedExchangeRate, 'currency.fixedExchangeRate') ?? false;

  let parentId = optInt(p, body.parentId, 'parentId') ?? 0;
  if (parentId !== 0) {
    const parent = state.orders.get(parentId);
    if (!parent) p.add(`parentId: order ${parentId} does not exist`);
    else if (type === 'SC' && parent.orderTypeCode !== 'SO')
      p.add(`parentId: order ${parentId} is a ${orderWord(parent.orderTypeCode)}; a credit's parent must be a sales order`);
  } else {
    parentId = 0;
  }
  const staffOwnerId = optInt(p, body.staffOwnerId, 'staffOwnerId');
  const projectId = optInt(p, body.projectId, 'projectId');
  const leadSourceId = optInt(p, body.leadSourceId, 'leadSourceId');
  const teamId = optInt(p, body.teamId, 'teamId');

  // Rows
  const rows: Omit<SimOrderRow, 'id'>[] = [];
  if (body.rows !== undefined && !Array.isArray(body.rows)) p.add('rows must be an array');
  const rowInputs: unknown[] = Array.isArray(body.rows) ? body.rows : [];
  rowInputs.forEach((raw, i) => {
    const label = `rows[${i}]`;
    if (!isRecord(raw)) {
      p.add(`${label} must be an object`);
      return;
    }
    const productId = optInt(p, raw.productId, `${label}.productId`);
    const product = productId === undefined ? undefined : state.products.get(productId);
    if (productId !== undefined && !product) p.add(`${label}.productId: product ${productId} does not exist`);
    const name = optString(p, raw.name, `${label}.name`, 255);
    if (productId === undefined && !name?.trim()) p.add(`${label}: productId or name is required`);
    const stockTracked = product?.stockTracked ?? false;
    const quantity = parseUnits(raw.quantity);
    if (raw.quantity === undefined || raw.quantity === null) p.add(`${label}.quantity is required`, ERROR_CODES.ORDER_BAD_QUANTITY);
    else if (quantity === undefined || quantity <= 0) {
      p.add(
        `${label}.quantity must be a number greater than 0 with at most 4 decimal places, not ${JSON.stringify(raw.quantity)}`,
        ERROR_CODES.ORDER_BAD_QUANTITY,
      );
    } else if (stockTracked && !isWholeUnits(quantity)) {
      p.add(`${label}.quantity must be a whole number for a stock-tracked product, not ${JSON.stringify(raw.quantity)}`, ERROR_CODES.ORDER_BAD_QUANTITY);
    }
    const taxCode = optString(p, raw.taxCode, `${label}.taxCode`);
    if (taxCode === undefined) p.add(`${label}.taxCode is required`);
    else if (!state.reference.taxCodes.some((t) => t.code === taxCode)) p.add(`${label}.taxCode: tax code ${taxCode} does not exist`);
    const net = parseUnits(raw.net);
    if (net === undefined) p.add(`${label}.net must be a decimal (string) with at most 4 decimal places, not ${JSON.stringify(raw.net)}`);
    const tax = parseUnits(raw.tax);
    if (tax === undefined) p.add(`${label}.tax must be a decimal (string) with at most 4 decimal places, not ${JSON.stringify(raw.tax)}`);
    const nominalCode = optString(p, raw.nominalCode, `${label}.nominalCode`) ?? '4000';
    if (!state.reference.nominalCodes.some((n) => n.code === nominalCode)) p.add(`${label}.nominalCode: nominal code ${nominalCode} does not exist`);
    const rowExternalRef = optString(p, raw.externalRef, `${label}.externalRef`, 64);
    rows.push({
      ...(productId !== undefined ? { productId } : {}),
      name: name?.trim() ? name : (product?.name ?? ''),
      ...(product ? { sku: product.sku } : {}),
      quantity: quantity ?? 0,
      net: net ?? 0,
      tax: tax ?? 0,
      taxCode: taxCode ?? '',
      nominalCode,
      ...(rowExternalRef ? { externalRef: rowExternalRef } : {}),
      sequence: i + 1,
      stockTracked,
      allocated: 0,
    });
  });
  p.throwIfAny();

  // All checked: create.
  const now = opts.historic?.createdOn ?? state.now();
  const id = nextId(state, 'order');
  const order: SimOrder = {
    id,
    orderTypeCode: type,
    parentId,
    customerId: customerId as number,
    customerAddress: customerAddress ?? addressFromContact(state, contact as SimContact, 'DEF'),
    billing: { contactId: billingContactId ?? (customerId as number), address: billingAddress ?? addressFromContact(state, contact as SimContact, 'BIL') },
    delivery: {
      address: deliveryAddress ?? customerAddress ?? addressFromContact(state, contact as SimContact, 'DEL'),
      ...(deliveryDate !== undefined ? { date: deliveryDate } : {}),
      shippingMethodId,
    },
    ...(ref ? { ref } : {}),
    ...(externalRef ? { externalRef } : {}),
    ...(installedIntegrationInstanceId !== undefined ? { installedIntegrationInstanceId } : {}),
    placedOn: placedOn ?? now,
    ...(taxDate !== undefined ? { taxDate } : {}),
    statusId: (status as SimOrderStatus).statusId,
    ...(channelId !== undefined ? { channelId } : {}),
    warehouseId,
    priceListId,
    priceModeCode: priceModeCode as 'INC' | 'EXC',
    currency: { code: currencyCode, exchangeRate: unitsToNumber(exchangeRateUnits ?? UNITS).toFixed(6), fixedExchangeRate },
    ...(staffOwnerId !== undefined ? { staffOwnerId } : {}),
    ...(projectId !== undefined ? { projectId } : {}),
    ...(leadSourceId !== undefined ? { leadSourceId } : {}),
    ...(teamId !== undefined ? { teamId } : {}),
    rows: rows.map((r) => ({ ...r, id: nextId(state, 'orderRow') })),
    notes: [],
    createdOn: now,
    createdBy: STAFF_CONTACT_ID,
    updatedOn: now,
    cancelled: false,
  };
  state.orders.set(id, order);
  if (externalRef && installedIntegrationInstanceId !== undefined) state.orderKeys.set(orderKey(type, installedIntegrationInstanceId, externalRef), id);
  if (type === 'SO' && contact) contact.lastOrderedOn = now;
  if (type === 'SO' && !opts.historic) for (const row of order.rows) allocateRow(state, order, row);
  // Only orders created through POST sales-order raise sales-order.created; a new credit raises
  // order.created, which (as observed) nobody can subscribe to.
  announce(state, type === 'SO' ? 'sales-order.created' : 'order.created', [id]);
  return { id, created: true };
}

export function requireOrder(state: BrightpearlSimState, orderId: number, type?: OrderTypeCode): SimOrder {
  const order = state.orders.get(orderId);
  if (!order || (type && order.orderTypeCode !== type))
    throw notFound(`${type === 'SC' ? 'Sales credit' : type === 'SO' ? 'Sales order' : 'Order'} ${orderId} does not exist`);
  return order;
}

/** Bumps `updatedOn` (strictly, so every change is visible to an updatedOn watermark) and announces. */
export function touchOrder(state: BrightpearlSimState, order: SimOrder, event: SimEvent = 'order.modified'): void {
  order.updatedOn = Math.max(state.now(), order.updatedOn + 1);
  announce(state, event, [order.id]);
}

function wholeQuantity(row: SimOrderRow): number {
  return Math.round(row.quantity / UNITS);
}

/** Reserves what is free of a stock-tracked row in the order's warehouse (new sales orders). */
function allocateRow(state: BrightpearlSimState, order: SimOrder, row: SimOrderRow): void {
  if (!row.stockTracked || row.productId === undefined) return;
  const level = state.stock.get(row.productId)?.get(order.warehouseId) ?? { inStock: 0, allocated: 0 };
  const reserve = Math.min(wholeQuantity(row), Math.max(0, level.inStock - level.allocated));
  if (reserve <= 0) return;
  setStock(state, row.productId, order.warehouseId, { allocated: level.allocated + reserve });
  row.allocated = reserve;
}

function adjustAllocated(state: BrightpearlSimState, productId: number, warehouseId: number, delta: number, inStockDelta = 0): void {
  const level = state.stock.get(productId)?.get(warehouseId);
  if (!level || (delta === 0 && inStockDelta === 0)) return;
  setStock(state, productId, warehouseId, {
    allocated: Math.max(0, level.allocated + delta),
    inStock: Math.max(0, level.inStock + inStockDelta),
  });
}

/** Gives back everything a row still has reserved (cancellation). */
export function releaseAllocation(state: BrightpearlSimState, order: SimOrder, row: SimOrderRow): void {
  if (row.productId === undefined || row.allocated === 0) return;
  const release = row.allocated;
  row.allocated = 0;
  adjustAllocated(state, row.productId, order.warehouseId, -release);
}

/**
 * `quantity` items of a row leave `warehouseId` (a shipped goods-out note): stock goes down and
 * the row's reservation (held in the order's warehouse) is used up.
 */
export function consumeForShipment(state: BrightpearlSimState, order: SimOrder, row: SimOrderRow, warehouseId: number, quantity: number): void {
  if (row.productId === undefined || !row.stockTracked || quantity <= 0) return;
  const release = Math.min(row.allocated, quantity);
  row.allocated -= release;
  if (warehouseId === order.warehouseId) {
    adjustAllocated(state, row.productId, warehouseId, -release, -quantity);
  } else {
    adjustAllocated(state, row.productId, order.warehouseId, -release);
    adjustAllocated(state, row.productId, warehouseId, 0, -quantity);
  }
}

// ---------------------------------------------------------------------------------------------
// Derived statuses

export function notesOfOrder(state: BrightpearlSimState, orderId: number): SimGoodsOutNote[] {
  return [...state.goodsOutNotes.values()].filter((n) => !n.transfer && n.orderId === orderId);
}

export function paymentsOfOrder(state: BrightpearlSimState, orderId: number): SimPayment[] {
  return [...state.payments.values()].filter((p) => p.orderId === orderId);
}

export interface RowFulfilment {
  /** Whole items on goods-out notes (shipped or not). */
  noted: number;
  shipped: number;
}

export interface Fulfilment {
  rows: Map<number, RowFulfilment>;
  shippingStatusCode: 'NST' | 'SNS' | 'SPS' | 'ASS';
  stockStatusCode: string;
  allocationStatusCode: 'ANR' | 'ANA' | 'APA' | 'AAA';
}

export function fulfilment(state: BrightpearlSimState, order: SimOrder): Fulfilment {
  const rows = new Map<number, RowFulfilment>();
  for (const row of order.rows) rows.set(row.id, { noted: 0, shipped: 0 });
  for (const note of notesOfOrder(state, order.id)) {
    for (const [rowId, parts] of note.orderRows) {
      const r = rows.get(rowId);
      if (!r) continue;
      const qty = parts.reduce((sum, part) => sum + part.quantity, 0);
      r.noted += qty;
      if (note.status.shipped) r.shipped += qty;
    }
  }
  const tracked = order.rows.filter((r) => r.stockTracked);
  if (tracked.length === 0 || order.orderTypeCode === 'SC') {
    const none = tracked.length === 0;
    return {
      rows,
      shippingStatusCode: none ? 'NST' : 'SNS',
      stockStatusCode: order.orderTypeCode === 'SC' ? 'SCN' : 'NON',
      allocationStatusCode: 'ANR',
    };
  }
  const all = (f: (row: SimOrderRow, r: RowFulfilment) => boolean) => tracked.every((row) => f(row, rows.get(row.id) as RowFulfilment));
  const any = (f: (row: SimOrderRow, r: RowFulfilment) => boolean) => tracked.some((row) => f(row, rows.get(row.id) as RowFulfilment));
  const qty = wholeQuantity;
  const shippingStatusCode = all((row, r) => r.shipped >= qty(row)) ? 'ASS' : any((_row, r) => r.shipped > 0) ? 'SPS' : 'SNS';
  const stockStatusCode = all((row, r) => r.noted >= qty(row)) ? 'SOA' : any((_row, r) => r.noted > 0) ? 'SOP' : 'SON';
  const covered = (row: SimOrderRow, r: RowFulfilment) => row.allocated + r.shipped;
  const allocationStatusCode = all((row, r) => covered(row, r) >= qty(row)) ? 'AAA' : any((row, r) => covered(row, r) > 0) ? 'APA' : 'ANA';
  return { rows, shippingStatusCode, stockStatusCode, allocationStatusCode };
}

export function orderTotals(order: SimOrder): { net: number; tax: number; gross: number } {
  const net = order.rows.reduce((sum, r) => sum + r.net, 0);
  const tax = order.rows.reduce((sum, r) => sum + r.tax, 0);
  return { net, tax, gross: net + tax };
}

export function paymentStatus(state: BrightpearlSimState, order: SimOrder): 'PAID' | 'PARTIALLY_PAID' | 'UNPAID' | 'NOT_APPLICABLE' {
  const { gross } = orderTotals(order);
  if (gross <= 0) return 'NOT_APPLICABLE';
  let paid = 0;
  for (const p of paymentsOfOrder(state, order.id)) {
    const amount = p.amountPaid ?? 0;
    const moneyIn = p.paymentType === 'RECEIPT' || p.paymentType === 'CAPTURE';
    const moneyOut = p.paymentType === 'PAYMENT';
    // Sales orders are paid by receipts; credits are "paid" by refunds going out.
    if (order.orderTypeCode === 'SO') paid += moneyIn ? amount : moneyOut ? -amount : 0;
    else paid += moneyOut ? amount : moneyIn ? -amount : 0;
  }
  if (paid >= gross) return 'PAID';
  return paid > 0 ? 'PARTIALLY_PAID' : 'UNPAID';
}

// ---------------------------------------------------------------------------------------------
// Status changes and notes

function addNote(
  state: BrightpearlSimState,
  order: SimOrder,
  text: string,
  isPublic: boolean,
  extra: { fileId?: number; addedOn?: number } = {},
): SimOrderNote {
  const note: SimOrderNote = {
    id: nextId(state, 'orderNote'),
    orderId: order.id,
    text,
    isPublic,
    ...(extra.fileId !== undefined ? { fileId: extra.fileId } : {}),
    addedOn: extra.addedOn ?? state.now(),
    addedBy: STAFF_CONTACT_ID,
  };
  order.notes.push(note);
  return note;
}

/**
 * `PUT order-service/order/{id}/status` `{orderStatusId, orderNote?{text,isPublic}}`. Rejected if
 * the status doesn't exist, is for another order type or is hidden. Cancelling needs no goods-out
 * notes, no invoice and no payments, and gives back the reservations. A cancelled order cannot be
 * moved to another status (simulator rule). Setting the current status again changes nothing.
 */
export function changeOrderStatus(state: BrightpearlSimState, orderId: number, input: unknown): void {
  const order = requireOrder(state, orderId);
  const body = requireBody(input);
  const p = new Problems(ERROR_CODES.ORDER_INVALID);
  const statusId = optInt(p, body.orderStatusId, 'orderStatusId');
  if (statusId === undefined && p.list.length === 0) p.add('orderStatusId is required');
  let noteText: string | undefined;
  let notePublic = false;
  if (body.orderNote !== undefined && body.orderNote !== null) {
    if (!isRecord(body.orderNote)) p.add('orderNote must be an object {text, isPublic}');
    else {
      noteText = optString(p, body.orderNote.text, 'orderNote.text', 10_000);
      notePublic = optBoolean(p, body.orderNote.isPublic, 'orderNote.isPublic') ?? false;
    }
  }
  p.throwIfAny();
  const target = findStatus(state.reference, statusId as number);
  const fail = (message: string) => {
    throw new BrightpearlApiError(400, ERROR_CODES.ORDER_INVALID, `Order ${orderId}: ${message}`);
  };
  if (!target) return fail(`order status ${statusId} does not exist`);
  if (target.orderTypeCode !== order.orderTypeCode)
    return fail(`order status ${target.statusId} (${target.name}) is for ${target.orderTypeCode} orders, this is a ${order.orderTypeCode}`);
  if (!target.visible) return fail(`order status ${target.statusId} (${target.name}) is hidden`);
  if (target.statusId === order.statusId) return;
  const current = findStatus(state.reference, order.statusId);
  if (order.cancelled) return fail('the order is cancelled; it cannot be moved to another status');
  if (target.state === 'cancelled') {
    if (notesOfOrder(state, order.id).length > 0) return fail('an order with goods-out notes cannot be cancelled');
    if (order.invoicedOn !== undefined) return fail('an invoiced order cannot be cancelled');
    if (paymentsOfOrder(state, order.id).length > 0) return fail('an order with payments cannot be cancelled');
    for (const row of order.rows) releaseAllocation(state, order, row);
    order.cancelled = true;
  }
  if (target.state === 'invoiced' && order.invoicedOn === undefined) {
    order.invoicedOn = state.now();
    order.invoiceReference = `INV-${order.id}`;
    order.taxDate ??= order.invoicedOn;
  }
  order.statusId = target.statusId;
  addNote(state, order, noteText?.trim() ? noteText : `Order status changed from "${current?.name ?? order.statusId}" to "${target.name}"`, notePublic);
  touchOrder(state, order, 'order.modified.order-status');
}

/** Convenience for tests and the demo activity. */
export function setOrderStatus(state: BrightpearlSimState, orderId: number, statusId: number, noteText?: string): void {
  changeOrderStatus(state, orderId, { orderStatusId: statusId, ...(noteText ? { orderNote: { text: noteText, isPublic: false } } : {}) });
}

/** `POST order-service/order/{id}/note` `{text, isPublic, fileId?, addedOn?}` → note id. */
export function addOrderNote(state: BrightpearlSimState, orderId: number, input: unknown): number {
  const order = requireOrder(state, orderId);
  const body = requireBody(input);
  const p = new Problems(ERROR_CODES.ORDER_INVALID);
  const text = optString(p, body.text, 'text', 10_000);
  if (text === undefined || text.trim() === '') p.add('text is required');
  const isPublic = optBoolean(p, body.isPublic, 'isPublic') ?? false;
  const fileId = optInt(p, body.fileId, 'fileId');
  const addedOn = optDate(p, body.addedOn, 'addedOn');
  p.throwIfAny();
  const note = addNote(state, order, text as string, isPublic, { fileId, addedOn });
  touchOrder(state, order);
  return note.id;
}

export function orderNoteView(n: SimOrderNote): Json {
  return {
    id: n.id,
    orderId: n.orderId,
    text: n.text,
    isPublic: n.isPublic,
    addedOn: isoDate(n.addedOn),
    addedBy: n.addedBy,
    ...(n.fileId ? { fileId: n.fileId } : {}),
  };
}

/** `POST order-service/sales-credit/{id}/close` `{taxDate?}`: invoices the credit. */
export function closeCredit(state: BrightpearlSimState, creditId: number, input: unknown): void {
  const credit = requireOrder(state, creditId, 'SC');
  const body = isRecord(input) ? input : {};
  const p = new Problems(ERROR_CODES.ORDER_INVALID);
  const taxDate = optDate(p, body.taxDate, 'taxDate');
  p.throwIfAny();
  if (credit.invoicedOn !== undefined) return;
  credit.invoicedOn = state.now();
  credit.invoiceReference = `SC-${credit.id}`;
  credit.taxDate = taxDate ?? credit.taxDate ?? credit.invoicedOn;
  touchOrder(state, credit);
}

// ---------------------------------------------------------------------------------------------
// Order views

const money = (units: number) => formatUnits(units, 4);

function addressView(a: SimAddress | undefined): Json | undefined {
  return a ? { ...a } : undefined;
}

function omitUndefined(record: Json): Json {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

function taxRate(state: BrightpearlSimState, code: string): number {
  return state.reference.taxCodes.find((t) => t.code === code)?.rate ?? 0;
}

function unitPrice(row: SimOrderRow): number {
  return row.quantity === 0 ? 0 : Math.round((row.net * UNITS) / row.quantity);
}

function orderedRows(order: SimOrder): SimOrderRow[] {
  // Credit row order is undefined for real; returning them reversed keeps clients honest.
  return order.orderTypeCode === 'SC' ? [...order.rows].reverse() : order.rows;
}

function baseValue(order: SimOrder, units: number): number {
  const rate = Number(order.currency.exchangeRate);
  return rate > 0 && rate !== 1 ? Math.round(units / rate) : units;
}

/** `GET order-service/sales-order/{ID}` and `sales-credit/{ID}`: the flat shape mirroring the POST. */
export function flatOrderView(state: BrightpearlSimState, order: SimOrder): Json {
  const totals = orderTotals(order);
  const f = fulfilment(state, order);
  return omitUndefined({
    id: order.id,
    ...(order.parentId ? { parentId: order.parentId } : {}),
    ref: order.ref,
    externalRef: order.externalRef,
    installedIntegrationInstanceId: order.installedIntegrationInstanceId,
    customerId: order.customerId,
    customer: omitUndefined({ id: order.customerId, address: addressView(order.customerAddress) }),
    billing: omitUndefined({ contactId: order.billing.contactId, address: addressView(order.billing.address) }),
    delivery: omitUndefined({
      date: order.delivery.date === undefined ? undefined : isoDate(order.delivery.date),
      address: addressView(order.delivery.address),
      shippingMethodId: order.delivery.shippingMethodId,
    }),
    statusId: order.statusId,
    channelId: order.channelId,
    warehouseId: order.warehouseId,
    priceListId: order.priceListId,
    priceModeCode: order.priceModeCode,
    placedOn: isoDate(order.placedOn),
    taxDate: order.taxDate === undefined ? undefined : isoDate(order.taxDate),
    createdOn: isoDate(order.createdOn),
    createdBy: order.createdBy,
    updatedOn: isoDate(order.updatedOn),
    currency: { code: order.currency.code, fixedExchangeRate: order.currency.fixedExchangeRate, exchangeRate: order.currency.exchangeRate },
    staffOwnerId: order.staffOwnerId,
    projectId: order.projectId,
    leadSourceId: order.leadSourceId,
    teamId: order.teamId,
    stockStatusCode: f.stockStatusCode,
    allocationStatusCode: f.allocationStatusCode,
    shippingStatusCode: f.shippingStatusCode,
    orderPaymentStatus: paymentStatus(state, order),
    ...(order.orderTypeCode === 'SC' ? { isCanceled: order.cancelled } : {}),
    total: {
      net: money(totals.net),
      tax: money(totals.tax),
      gross: money(totals.gross),
      baseNet: money(baseValue(order, totals.net)),
      baseTax: money(baseValue(order, totals.tax)),
      baseGross: money(baseValue(order, totals.gross)),
    },
    rows: orderedRows(order).map((r) =>
      omitUndefined({
        id: r.id,
        productId: r.productId,
        name: r.name,
        sku: r.sku,
        quantity: money(r.quantity),
        net: money(r.net),
        tax: money(r.tax),
        taxCode: r.taxCode,
        nominalCode: r.nominalCode,
        externalRef: r.externalRef,
        productPrice: money(unitPrice(r)),
        discountPercentage: '0.0000',
        bundleParent: false,
        bundleChild: false,
        sequence: r.sequence,
      }),
    ),
  });
}

/** `GET order-service/order/{ID}`: the nested legacy shape; `orderRows` keyed by row id. */
export function legacyOrderView(state: BrightpearlSimState, order: SimOrder): Json {
  const totals = orderTotals(order);
  const f = fulfilment(state, order);
  const currency = order.currency.code;
  const status = findStatus(state.reference, order.statusId);
  const party = (contactId: number | undefined, address: SimAddress | undefined) => omitUndefined({ contactId, ...(address ?? {}) });
  const orderRows: Json = {};
  for (const r of order.rows) {
    orderRows[String(r.id)] = omitUndefined({
      orderRowSequence: String(r.sequence),
      productId: r.productId ?? 0,
      productName: r.name,
      productSku: r.sku,
      quantity: { magnitude: money(r.quantity) },
      itemCost: { currencyCode: currency, value: '0.0000' },
      productPrice: { currencyCode: currency, value: money(unitPrice(r)) },
      discountPercentage: 0,
      rowValue: {
        taxRate: formatUnits(taxRate(state, r.taxCode) * UNITS, 4),
        taxCode: r.taxCode,
        taxCalculator: 'brightpearl',
        rowNet: { currencyCode: currency, value: money(r.net) },
        rowTax: { currencyCode: currency, value: money(r.tax) },
        taxClassId: state.reference.taxCodes.find((t) => t.code === r.taxCode)?.id,
      },
      nominalCode: r.nominalCode,
      composition: { bundleParent: false, bundleChild: false, parentOrderRowId: 0 },
    });
  }
  return omitUndefined({
    id: order.id,
    parentOrderId: order.parentId,
    orderTypeCode: order.orderTypeCode,
    reference: order.ref ?? '',
    orderStatus: { orderStatusId: order.statusId, name: status?.name ?? '' },
    orderPaymentStatus: paymentStatus(state, order),
    stockStatusCode: f.stockStatusCode,
    allocationStatusCode: f.allocationStatusCode,
    shippingStatusCode: f.shippingStatusCode,
    placedOn: isoDate(order.placedOn),
    createdOn: isoDate(order.createdOn),
    updatedOn: isoDate(order.updatedOn),
    closedOn: order.closedOn === undefined ? undefined : isoDate(order.closedOn),
    createdById: order.createdBy,
    priceListId: order.priceListId,
    priceModeCode: order.priceModeCode,
    delivery: omitUndefined({
      deliveryDate: order.delivery.date === undefined ? undefined : isoDate(order.delivery.date),
      shippingMethodId: order.delivery.shippingMethodId,
    }),
    invoices:
      order.invoicedOn === undefined
        ? []
        : [
            {
              invoiceReference: order.invoiceReference ?? '',
              taxDate: isoDate(order.taxDate ?? order.invoicedOn),
              dueDate: isoDate(order.invoicedOn + 30 * 86_400_000),
            },
          ],
    currency: {
      accountingCurrencyCode: 'GBP',
      orderCurrencyCode: currency,
      exchangeRate: order.currency.exchangeRate,
      fixedExchangeRate: order.currency.fixedExchangeRate,
    },
    totalValue: {
      net: money(totals.net),
      taxAmount: money(totals.tax),
      baseNet: money(baseValue(order, totals.net)),
      baseTaxAmount: money(baseValue(order, totals.tax)),
      baseTotal: money(baseValue(order, totals.gross)),
      total: money(totals.gross),
    },
    assignment: {
      current: omitUndefined({
        channelId: order.channelId ?? 0,
        staffOwnerContactId: order.staffOwnerId ?? 0,
        projectId: order.projectId ?? 0,
        leadSourceId: order.leadSourceId ?? 0,
        teamId: order.teamId ?? 0,
      }),
    },
    parties: {
      customer: party(order.customerId, order.customerAddress),
      delivery: party(undefined, order.delivery.address),
      billing: party(order.billing.contactId, order.billing.address),
    },
    warehouseId: order.warehouseId,
    orderRows,
  });
}

function typeId(order: SimOrder): number {
  return ORDER_TYPE_IDS[order.orderTypeCode];
}

function namesOf(records: { id: number; label: string }[]): Record<string, unknown> {
  return Object.fromEntries(records.map((r) => [String(r.id), r.label]));
}

/**
 * `order-service/order-search`, columns in the observed order (§7.4). `externalRef` and
 * `customerRef` are fuzzy text columns: re-check equality client-side.
 */
export function orderSearch(state: BrightpearlSimState): SearchDefinition<SimOrder> {
  const ref = state.reference;
  return {
    defaultSort: 'orderId',
    columns: [
      { name: 'orderId', reportDataType: 'IDSET', value: (o) => o.id },
      { name: 'orderTypeId', reportDataType: 'IDSET', referenceData: ['orderTypeNames'], value: typeId },
      { name: 'contactId', reportDataType: 'IDSET', value: (o) => o.customerId },
      { name: 'orderStatusId', reportDataType: 'IDSET', referenceData: ['orderStatusNames'], value: (o) => o.statusId },
      {
        name: 'orderStockStatusId',
        reportDataType: 'INTEGER',
        referenceData: ['orderStockStatusNames'],
        value: (o) => codeId(ref.stockStatuses, fulfilment(state, o).stockStatusCode),
      },
      { name: 'createdOn', reportDataType: 'PERIOD', value: (o) => isoDate(o.createdOn) },
      { name: 'createdById', reportDataType: 'INTEGER', value: (o) => o.createdBy },
      { name: 'customerRef', reportDataType: 'SEARCH_STRING', value: (o) => o.ref ?? null },
      {
        name: 'orderPaymentStatusId',
        reportDataType: 'INTEGER',
        referenceData: ['orderPaymentStatusNames'],
        value: (o) => codeId(ref.paymentStatuses, paymentStatus(state, o)),
      },
      { name: 'updatedOn', reportDataType: 'PERIOD', value: (o) => isoDate(o.updatedOn) },
      { name: 'parentOrderId', reportDataType: 'IDSET', value: (o) => o.parentId },
      {
        name: 'orderShippingStatusId',
        reportDataType: 'INTEGER',
        referenceData: ['orderShippingStatusNames'],
        value: (o) => codeId(ref.shippingStatuses, fulfilment(state, o).shippingStatusCode),
      },
      { name: 'externalRef', reportDataType: 'SEARCH_STRING', value: (o) => o.externalRef ?? null },
      { name: 'installedIntegrationInstanceId', reportDataType: 'INTEGER', value: (o) => o.installedIntegrationInstanceId ?? null },
      { name: 'warehouseId', reportDataType: 'INTEGER', value: (o) => o.warehouseId },
      { name: 'staffOwnerContactId', reportDataType: 'INTEGER', value: (o) => o.staffOwnerId ?? null },
      { name: 'taxDate', reportDataType: 'PERIOD', value: (o) => (o.taxDate === undefined ? null : isoDate(o.taxDate)) },
      { name: 'departmentId', reportDataType: 'INTEGER', value: () => null },
      { name: 'deliveryDate', reportDataType: 'PERIOD', value: (o) => (o.delivery.date === undefined ? null : isoDate(o.delivery.date)) },
      { name: 'channelId', reportDataType: 'INTEGER', value: (o) => o.channelId ?? null },
      { name: 'placedOn', reportDataType: 'PERIOD', value: (o) => isoDate(o.placedOn) },
    ],
    reference: (key, orders) => {
      switch (key) {
        case 'orderTypeNames':
          return namesOf(ref.orderTypes.filter((t) => orders.some((o) => typeId(o) === t.id)).map((t) => ({ id: t.id, label: t.name })));
        case 'orderStatusNames':
          return namesOf(ref.orderStatuses.filter((s) => orders.some((o) => o.statusId === s.statusId)).map((s) => ({ id: s.statusId, label: s.name })));
        case 'orderStockStatusNames':
          return namesOf(ref.stockStatuses.map((c) => ({ id: c.id, label: c.name })));
        case 'orderPaymentStatusNames':
          return namesOf(ref.paymentStatuses.map((c) => ({ id: c.id, label: c.name })));
        case 'orderShippingStatusNames':
          return namesOf(ref.shippingStatuses.map((c) => ({ id: c.id, label: c.name })));
        default:
          return {};
      }
    },
  };
}

/** `order-service/sales-order-search`: sales orders only, with `customerId` instead of `contactId`. */
export function salesOrderSearch(state: BrightpearlSimState): SearchDefinition<SimOrder> {
  const base = orderSearch(state);
  const keep = new Set([
    'orderId',
    'orderStatusId',
    'createdOn',
    'customerRef',
    'updatedOn',
    'externalRef',
    'installedIntegrationInstanceId',
    'warehouseId',
    'channelId',
    'placedOn',
  ]);
  return {
    ...base,
    columns: [
      ...base.columns.filter((c) => c.name === 'orderId'),
      { name: 'customerId', reportDataType: 'IDSET', value: (o) => o.customerId },
      ...base.columns.filter((c) => c.name !== 'orderId' && keep.has(c.name)),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Customer payments (accounting-service)

export interface PaymentCreateResult {
  id: number;
  created: boolean;
}

/**
 * `POST accounting-service/customer-payment` → payment id. transactionRef + paymentMethodCode are
 * unique: the same pair for the same order, type and amount answers the existing payment's id
 * and changes nothing (an idempotent retry); the pair reused for anything else is a 400
 * (`ACCC-409`), because that is a client bug rather than a retry.
 */
export function createPayment(state: BrightpearlSimState, input: unknown, opts: { historic?: { createdOn: number } } = {}): PaymentCreateResult {
  const body = requireBody(input);
  const p = new Problems(ERROR_CODES.PAYMENT_INVALID);
  const paymentType = optString(p, body.paymentType, 'paymentType') as PaymentType | undefined;
  if (paymentType === undefined) p.add('paymentType is required');
  else if (!PAYMENT_TYPES.includes(paymentType)) p.add(`paymentType must be one of ${PAYMENT_TYPES.join(', ')}, not ${paymentType}`);
  const orderId = optInt(p, body.orderId, 'orderId');
  if (orderId === undefined && !p.list.some((e) => e.message.startsWith('orderId'))) p.add('orderId is required');
  else if (orderId !== undefined && !state.orders.has(orderId)) p.add(`orderId: order ${orderId} does not exist`);
  const paymentMethodCode = optString(p, body.paymentMethodCode, 'paymentMethodCode', 36);
  if (paymentMethodCode === undefined) p.add('paymentMethodCode is required');
  const method = state.reference.paymentMethods.find((m) => m.code === paymentMethodCode);
  if (paymentMethodCode !== undefined && !method) p.add(`paymentMethodCode: payment method ${paymentMethodCode} does not exist`);
  const currencyIsoCode = optString(p, body.currencyIsoCode, 'currencyIsoCode');
  if (currencyIsoCode === undefined) p.add('currencyIsoCode is required');
  else if (!/^[A-Z]{3}$/.test(currencyIsoCode)) p.add(`currencyIsoCode must be 3 upper-case letters, not ${currencyIsoCode}`);
  const paymentDate = optDate(p, body.paymentDate, 'paymentDate');
  if (paymentDate === undefined && !p.list.some((e) => e.message.startsWith('paymentDate'))) p.add('paymentDate is required');
  const amount = (field: string): number | undefined => {
    if (body[field] === undefined || body[field] === null) return undefined;
    const units = parseUnits(body[field]);
    if (units === undefined || units < 0) p.add(`${field} must be a number of 0 or more with at most 4 decimal places`);
    return units;
  };
  const amountPaid = amount('amountPaid');
  const amountAuthorized = amount('amountAuthorized');
  if ((paymentType === 'RECEIPT' || paymentType === 'PAYMENT' || paymentType === 'CAPTURE') && amountPaid === undefined && body.amountPaid === undefined) {
    p.add(`amountPaid is required for a ${paymentType}`);
  }
  if ((paymentType === 'AUTH' || paymentType === 'VOID') && amountAuthorized === undefined && body.amountAuthorized === undefined) {
    p.add(`amountAuthorized is required for a ${paymentType}`);
  }
  const authorizationExpiry = optDate(p, body.authorizationExpiry, 'authorizationExpiry');
  const exchangeRate = body.exchangeRate === undefined ? UNITS : parseUnits(body.exchangeRate, 6);
  if (exchangeRate === undefined || exchangeRate <= 0) p.add('exchangeRate must be a number greater than 0 with at most 6 decimal places');
  const transactionRef = optString(p, body.transactionRef, 'transactionRef', 64);
  const transactionCode = optString(p, body.transactionCode, 'transactionCode', 64);
  const journalRef = optString(p, body.journalRef, 'journalRef', 255);
  const journalId = optInt(p, body.journalId, 'journalId');
  p.throwIfAny();

  const key = transactionRef ? `${paymentMethodCode}|${transactionRef}` : undefined;
  const existingId = key === undefined ? undefined : state.paymentKeys.get(key);
  if (existingId !== undefined) {
    const existing = state.payments.get(existingId) as SimPayment;
    if (
      existing.orderId === orderId &&
      existing.paymentType === paymentType &&
      existing.amountPaid === amountPaid &&
      existing.amountAuthorized === amountAuthorized
    ) {
      return { id: existingId, created: false };
    }
    throw new BrightpearlApiError(
      400,
      ERROR_CODES.PAYMENT_DUPLICATE,
      `transactionRef ${transactionRef} is already used with payment method ${paymentMethodCode} by payment ${existingId} (order ${existing.orderId})`,
    );
  }

  const id = nextId(state, 'payment');
  const payment: SimPayment = {
    id,
    paymentType: paymentType as PaymentType,
    orderId: orderId as number,
    paymentMethodCode: paymentMethodCode as string,
    currencyIsoCode: currencyIsoCode as string,
    ...(amountPaid !== undefined ? { amountPaid } : {}),
    ...(amountAuthorized !== undefined ? { amountAuthorized } : {}),
    ...(authorizationExpiry !== undefined ? { authorizationExpiry } : {}),
    exchangeRate: unitsToNumber(exchangeRate as number).toFixed(6),
    paymentDate: paymentDate as number,
    ...(transactionRef ? { transactionRef } : {}),
    ...(transactionCode ? { transactionCode } : {}),
    ...(journalRef ? { journalRef } : {}),
    // A method with a bank account also books a sales-receipt journal (unless one is named).
    ...(journalId !== undefined
      ? { journalId }
      : method?.bankAccountNominalCode && (paymentType === 'RECEIPT' || paymentType === 'PAYMENT' || paymentType === 'CAPTURE')
        ? { journalId: nextId(state, 'journal') }
        : {}),
    createdOn: opts.historic?.createdOn ?? state.now(),
  };
  state.payments.set(id, payment);
  if (key) state.paymentKeys.set(key, id);
  // The order's payment status changed.
  if (!opts.historic) touchOrder(state, state.orders.get(payment.orderId) as SimOrder);
  return { id, created: true };
}

const amountNumber = (units: number | undefined) => (units === undefined ? null : unitsToNumber(units));

export const PAYMENT_SEARCH: SearchDefinition<SimPayment> = {
  defaultSort: 'paymentId',
  columns: [
    { name: 'paymentId', reportDataType: 'IDSET', value: (p) => p.id },
    { name: 'transactionRef', reportDataType: 'STRING', value: (p) => p.transactionRef ?? null },
    { name: 'transactionCode', reportDataType: 'STRING', value: (p) => p.transactionCode ?? null },
    { name: 'paymentMethodCode', reportDataType: 'STRING', value: (p) => p.paymentMethodCode },
    { name: 'paymentType', reportDataType: 'STRING', value: (p) => p.paymentType },
    { name: 'orderId', reportDataType: 'IDSET', value: (p) => p.orderId },
    { name: 'currencyId', reportDataType: 'INTEGER', value: (p) => (p.currencyIsoCode === 'GBP' ? 1 : null) },
    { name: 'currencyCode', reportDataType: 'STRING', value: (p) => p.currencyIsoCode },
    { name: 'amountAuthorized', reportDataType: 'DECIMAL', value: (p) => amountNumber(p.amountAuthorized) },
    { name: 'amountPaid', reportDataType: 'DECIMAL', value: (p) => amountNumber(p.amountPaid) },
    { name: 'expires', reportDataType: 'PERIOD', value: (p) => (p.authorizationExpiry === undefined ? null : isoDate(p.authorizationExpiry)) },
    { name: 'paymentDate', reportDataType: 'PERIOD', value: (p) => isoDate(p.paymentDate) },
    { name: 'createdOn', reportDataType: 'PERIOD', value: (p) => isoDate(p.createdOn) },
    { name: 'journalId', reportDataType: 'INTEGER', value: (p) => p.journalId ?? null },
  ],
};
