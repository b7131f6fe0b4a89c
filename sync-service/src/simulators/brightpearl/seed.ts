/**
 * Seed data of the simulated account besides the catalogue: a staff member, a few customers,
 * phone orders taken in Brightpearl before the sync existed (shipped, part shipped, waiting,
 * cancelled, a quote), their payments, a credit with its refund, a stock transfer note and
 * another integration's webhook. Deterministic for a seed; fixed dates in March 2025, so none of
 * it looks "recently changed" to an updatedOn / shippedOn watermark.
 *
 * Nothing here touches stock: the catalogue's levels already reflect this history.
 */
import type { Random } from '../shared/random';
import { pick, randomInt } from '../shared/random';
import { isoDate, type BrightpearlSimState, type SimProduct } from './data';
import { createNoteForOrder, createTransferNote, postGoodsOutEvents, shipNote } from './goods-out';
import { CHANNEL, ORDER_STATUS, SHIPPING_METHOD, STAFF_CONTACT_ID } from './reference';
import { createContact, createOrder, createPayment, createPostalAddress, orderTotals } from './sales';
import { formatUnits } from './decimal';
import { createWebhook } from './webhooks';

export const SEED_BASE = Date.parse('2025-03-03T09:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface SeedCustomer {
  firstName: string;
  lastName: string;
  email: string;
  company?: string;
  phone: string;
  address: { addressLine1: string; addressLine3: string; postalCode: string; countryIsoCode: string };
}

/** Two near-duplicates of jo@example.com show why a primaryEmail search must be re-checked exactly. */
export const SEED_CUSTOMERS: SeedCustomer[] = [
  {
    firstName: 'Priya',
    lastName: 'Shah',
    email: 'priya.shah@example.com',
    phone: '+44 113 496 0001',
    address: { addressLine1: '14 Park Row', addressLine3: 'Leeds', postalCode: 'LS1 5HD', countryIsoCode: 'GB' },
  },
  {
    firstName: 'Tom',
    lastName: 'Baker',
    email: 'tom@bakers-deli.example.co.uk',
    company: "Baker's Deli",
    phone: '+44 161 496 0002',
    address: { addressLine1: '2 Oldham St', addressLine3: 'Manchester', postalCode: 'M1 1JQ', countryIsoCode: 'GB' },
  },
  {
    firstName: 'Jo',
    lastName: 'Bloggs',
    email: 'jo@example.com',
    phone: '+44 20 7946 0003',
    address: { addressLine1: '9 Exmouth Market', addressLine3: 'London', postalCode: 'EC1R 4QL', countryIsoCode: 'GB' },
  },
  {
    firstName: 'Banjo',
    lastName: 'Smith',
    email: 'banjo@example.com',
    phone: '+44 117 496 0004',
    address: { addressLine1: '31 Corn St', addressLine3: 'Bristol', postalCode: 'BS1 1HT', countryIsoCode: 'GB' },
  },
  {
    firstName: 'Jo',
    lastName: 'Bloggs',
    email: 'jo@example.com.au',
    phone: '+61 2 5550 0005',
    address: { addressLine1: '1 George St', addressLine3: 'Sydney', postalCode: '2000', countryIsoCode: 'AU' },
  },
  {
    firstName: 'Sam',
    lastName: "O'Neill",
    email: 'sam.oneill@example.ie',
    phone: '+353 1 555 0006',
    address: { addressLine1: '5 Dame St', addressLine3: 'Dublin', postalCode: 'D02 HX65', countryIsoCode: 'IE' },
  },
];

function royalMail(random: Random): string {
  return `RM${String(randomInt(random, 0, 999_999_999)).padStart(9, '0')}GB`;
}

function dpd(random: Random): string {
  return Array.from({ length: 14 }, () => String(randomInt(random, 0, 9))).join('');
}

/** A tracking number in the carrier's format ('' for collection). */
export function trackingNumberFor(shippingMethodId: number, random: Random): string {
  switch (shippingMethodId) {
    case SHIPPING_METHOD.COLLECT:
    case 0:
      return '';
    case SHIPPING_METHOD.DPD_NEXT_DAY:
      return dpd(random);
    default:
      return royalMail(random);
  }
}

/** Rows for `count` distinct random stock-tracked products (net = price × qty, T20). */
export function randomRows(state: BrightpearlSimState, random: Random, count: number): Record<string, unknown>[] {
  const products = [...state.products.values()].filter((p) => p.stockTracked);
  const chosen = new Map<number, SimProduct>();
  while (chosen.size < Math.min(count, products.length)) {
    const p = pick(random, products);
    chosen.set(p.id, p);
  }
  return [...chosen.values()].map((p) => {
    const quantity = randomInt(random, 1, 3);
    const unit = Number(state.prices.get(p.id)?.get(1)?.['1'] ?? '10.00');
    const net = Math.round(unit * quantity * 100) / 100;
    return {
      productId: p.id,
      quantity: String(quantity),
      taxCode: 'T20',
      net: net.toFixed(2),
      tax: (Math.round(net * 20) / 100).toFixed(2),
      nominalCode: '4000',
    };
  });
}

function shippingRow(method: string, net = '3.33', tax = '0.67'): Record<string, unknown> {
  return { name: `Shipping: ${method}`, quantity: '1', taxCode: 'T20', net, tax, nominalCode: '4040' };
}

export function seedAccount(state: BrightpearlSimState, random: Random): void {
  // The staff member who owns system actions.
  state.contacts.set(STAFF_CONTACT_ID, {
    id: STAFF_CONTACT_ID,
    firstName: 'Wendy',
    lastName: 'Warehouse',
    emails: { PRI: 'wendy@demo-shop.example.com' },
    telephones: {},
    postAddressIds: {},
    isSupplier: false,
    isStaff: true,
    receiveNewsletter: false,
    createdOn: SEED_BASE - 400 * DAY,
    updatedOn: SEED_BASE - 400 * DAY,
    searchUpdatedOnNull: true,
  });

  const customers = SEED_CUSTOMERS.map((c, i) => {
    const addressId = createPostalAddress(state, c.address);
    return createContact(
      state,
      {
        firstName: c.firstName,
        lastName: c.lastName,
        postAddressIds: { DEF: addressId, BIL: addressId, DEL: addressId },
        communication: { emails: { PRI: { email: c.email } }, telephones: { PRI: c.phone } },
        ...(c.company ? { organisation: { name: c.company } } : {}),
      },
      { createdOn: SEED_BASE - (200 - i * 20) * DAY, searchUpdatedOnNull: true },
    );
  });
  const customer = (i: number) => customers[i % customers.length] as number;

  const at = (day: number) => SEED_BASE + day * DAY + randomInt(random, 0, 8) * HOUR;
  const phoneOrder = (
    i: number,
    day: number,
    shippingMethodId: number,
    methodName: string,
    rowCount: number,
    statusId: number = ORDER_STATUS.READY_TO_SHIP,
  ) => {
    const createdOn = at(day);
    const { id } = createOrder(
      state,
      'SO',
      {
        customer: { id: customer(i) },
        ref: `PHONE-${1000 + i}`,
        channelId: CHANNEL.BRIGHTPEARL,
        statusId,
        warehouseId: 2,
        placedOn: isoDate(createdOn),
        delivery: { shippingMethodId },
        currency: { code: 'GBP' },
        rows: [...randomRows(state, random, rowCount), ...(shippingMethodId === SHIPPING_METHOD.COLLECT ? [] : [shippingRow(methodName)])],
      },
      { historic: { createdOn } },
    );
    return { id, createdOn };
  };
  const pay = (orderId: number, createdOn: number, type: 'RECEIPT' | 'PAYMENT' = 'RECEIPT', amount?: number) => {
    const order = state.orders.get(orderId);
    if (!order) return;
    const gross = amount ?? orderTotals(order).gross;
    createPayment(
      state,
      {
        paymentType: type,
        orderId,
        paymentMethodCode: 'CARD',
        currencyIsoCode: 'GBP',
        amountPaid: formatUnits(gross, 2),
        paymentDate: isoDate(createdOn),
        transactionRef: `POS-${orderId}-${type}`,
      },
      { historic: { createdOn } },
    );
  };
  const setStatus = (orderId: number, statusId: number, when: number) => {
    const order = state.orders.get(orderId);
    if (!order) return;
    order.statusId = statusId;
    order.updatedOn = Math.max(order.updatedOn, when);
    if (statusId === ORDER_STATUS.INVOICED) {
      order.invoicedOn = when;
      order.invoiceReference = `INV-${orderId}`;
      order.taxDate = when;
    }
    if (statusId === ORDER_STATUS.CANCELLED) order.cancelled = true;
  };
  const ship = (orderId: number, createdOn: number, rows?: { rowId: number; quantity: number }[], warehouseId?: number) => {
    const order = state.orders.get(orderId);
    const noteId = createNoteForOrder(state, orderId, { rows, warehouseId, source: 'seed', historic: { createdOn: createdOn + 2 * HOUR } });
    const method = order?.delivery.shippingMethodId ?? SHIPPING_METHOD.ROYAL_MAIL_48;
    shipNote(state, noteId, { reference: trackingNumberFor(method, random), shippedOn: createdOn + DAY, historic: true });
    if (order) order.updatedOn = Math.max(order.updatedOn, createdOn + DAY);
    return noteId;
  };
  const productRows = (orderId: number) => state.orders.get(orderId)?.rows.filter((r) => r.stockTracked) ?? [];

  // 1. Shipped and invoiced, then part refunded.
  const a = phoneOrder(0, 0, SHIPPING_METHOD.ROYAL_MAIL_48, 'Royal Mail 48', 2);
  pay(a.id, a.createdOn);
  ship(a.id, a.createdOn);
  setStatus(a.id, ORDER_STATUS.INVOICED, a.createdOn + 2 * DAY);
  const refunded = productRows(a.id)[0];
  if (refunded) {
    const creditOn = a.createdOn + 5 * DAY;
    const unitNet = Math.round(refunded.net / Math.round(refunded.quantity / 10_000));
    const credit = createOrder(
      state,
      'SC',
      {
        customer: { id: customer(0) },
        parentId: a.id,
        ref: `PHONE-1000-R1`,
        channelId: CHANNEL.BRIGHTPEARL,
        statusId: ORDER_STATUS.CREDIT_COMPLETE,
        placedOn: isoDate(creditOn),
        currency: { code: 'GBP' },
        rows: [
          {
            productId: refunded.productId,
            quantity: '1',
            taxCode: 'T20',
            net: formatUnits(unitNet, 2),
            tax: formatUnits(Math.round(unitNet / 5), 2),
            nominalCode: '4000',
          },
        ],
      },
      { historic: { createdOn: creditOn } },
    );
    pay(credit.id, creditOn, 'PAYMENT');
  }

  // 2. Part shipped: the first product row went out, the rest waits.
  const b = phoneOrder(1, 1, SHIPPING_METHOD.DPD_NEXT_DAY, 'DPD Next Day', 3);
  pay(b.id, b.createdOn);
  const first = productRows(b.id)[0];
  if (first) ship(b.id, b.createdOn, [{ rowId: first.id, quantity: Math.round(first.quantity / 10_000) }]);

  // 3. On a goods-out note, printed and picked, not shipped yet.
  const c = phoneOrder(2, 2, SHIPPING_METHOD.ROYAL_MAIL_TRACKED_24, 'Royal Mail Tracked 24', 1);
  pay(c.id, c.createdOn);
  const waiting = createNoteForOrder(state, c.id, { source: 'seed', historic: { createdOn: c.createdOn + HOUR } });
  postGoodsOutEvents(
    state,
    waiting,
    {
      events: [
        { eventCode: 'PRI', occured: isoDate(c.createdOn + 2 * HOUR) },
        { eventCode: 'PIC', occured: isoDate(c.createdOn + 3 * HOUR) },
      ],
    },
    undefined,
    { historic: true },
  );

  // 4. Shipped in two notes from two warehouses.
  const d = phoneOrder(3, 3, SHIPPING_METHOD.DPD_NEXT_DAY, 'DPD Next Day', 2);
  pay(d.id, d.createdOn);
  const dRows = productRows(d.id);
  dRows.forEach((row, i) => ship(d.id, d.createdOn + i * HOUR, [{ rowId: row.id, quantity: Math.round(row.quantity / 10_000) }], i === 0 ? 2 : 5));
  setStatus(d.id, ORDER_STATUS.DISPATCHED, d.createdOn + 2 * DAY);

  // 5. Cancelled before anything happened.
  const e = phoneOrder(4, 4, SHIPPING_METHOD.ROYAL_MAIL_48, 'Royal Mail 48', 1);
  setStatus(e.id, ORDER_STATUS.CANCELLED, e.createdOn + 3 * HOUR);

  // 6. A quote (draft), collection in store.
  phoneOrder(5, 5, SHIPPING_METHOD.COLLECT, 'Collect', 1, ORDER_STATUS.DRAFT);

  // A stock transfer between warehouses (goods-out searches must skip `transfer: true`).
  const moved = randomRows(state, random, 1)[0];
  createTransferNote(state, {
    warehouseId: 2,
    targetWarehouseId: 5,
    lines: [{ productId: moved?.productId as number, quantity: 4 }],
    createdOn: SEED_BASE + 6 * DAY,
    shippedOn: SEED_BASE + 6 * DAY + 4 * HOUR,
  });

  // Another integration's hook: listed by GET webhook, never called.
  createWebhook(
    state,
    {
      subscribeTo: 'product.destroyed',
      httpMethod: 'POST',
      uriTemplate: 'https://erp-addon.example.com/hooks/brightpearl?account=${account-code}',
      bodyTemplate: '{"ids":"${resource-id}"}',
      contentType: 'application/json',
      idSetAccepted: true,
      qualityOfService: 0,
    },
    { inert: true },
  );
}
