/**
 * Orders: WooCommerce → Brightpearl sales orders, exactly once; order statuses both ways.
 *
 * Log rows. One per WooCommerce order: entityId = the WooCommerce order id (`id`, stable), Info =
 * its order number (`number`, what the store owner sees; differs from the id with sequential-number
 * plugins), bpId = the Brightpearl sales order id. The id mapping (type 'order', wcId → bpId) is
 * the record of "already exported". The item's last value holds the order's sync state as JSON
 * (OrderState: Brightpearl order id, the WooCommerce and Brightpearl statuses last seen in step,
 * the Brightpearl payment id) — except between an intent and its commit, when it holds the intent.
 *
 * Selection (cursor in the flow row as JSON, OrderCursor):
 *  - WooCommerce: orders modified in [wcModifiedBefore, now − settle) (settle 5 s: saves still in
 *    flight and a little clock skew), read the drift-safe way (client.orderRefsModifiedBetween: one
 *    request per window, split when full) and only their id, number, status and modified date, so
 *    one malformed order cannot break the read. The window is walked in one-day slices; the cursor
 *    moves to the end of each slice once every order in it has an outcome (a Failed one is retried
 *    from the log, see below), so a stopped run resumes where it was. First run: the last 30 days
 *    (LOOK_BACK_DAYS: a new installation sends the recent, still-open orders, not the store's whole
 *    history). `ctx.since` replaces the cursor (resync).
 *    All statuses are read, because a mapped order's status change matters whatever the new status;
 *    only unmapped orders in `exportOrderStatuses` are exported (full order read by id, each checked
 *    on its own against the schema: a record we cannot read fails that order with the field named).
 *    When the store owner adds a status to `exportOrderStatuses`, the next run also reads the look-back
 *    period for orders in the added statuses (the cursor remembers the statuses it was read with).
 *  - Retries: orders still Pending or Failed in the log are read again by id every run, so a
 *    passing failure heals without a new edit in WooCommerce.
 *  - Brightpearl: sales orders updated since the last run (order-search `updatedOn`, 5 minutes of
 *    overlap), mapped ones only, for the status sync back to WooCommerce.
 *  - `ctx.scope` (WooCommerce order ids: Retry, webhooks) limits the run to those orders; no window
 *    is read and no cursor moves.
 *
 * Export of one order (unmapped, status exportable):
 *  1. Exactly once. An intent left by an earlier attempt means a create may have happened without
 *     its commit: Brightpearl is searched by externalRef first and a hit is linked ("Found existing
 *     Brightpearl order N …; linked instead of creating a second"). Without an intent the same
 *     search runs right before the create (after the rows resolved, so an order failing on an
 *     unknown SKU costs no search) — always, not only after a crash: it also covers a lost local
 *     database or orders imported by another tool. The search is by `externalRef` = order number,
 *     sales orders only, and by our installedIntegrationInstanceId when configured (then the create
 *     itself is also idempotent at Brightpearl). The intent is committed before the create; the id
 *     mapping (and the item's bpId) is committed in one transaction right after it answers.
 *     A create whose outcome is unknown (BrightpearlOutcomeUnknownError: timeout, dropped
 *     connection, 5xx) leaves the order Failed with the intent kept, so the next run looks first.
 *  2. Rows. Line items by SKU → Brightpearl product: the product id mapping of the WooCommerce
 *     variation or product (written by the product flow) first, else product-search `SKU` (exact,
 *     case-insensitive; cached per run). A line item without a SKU, an unknown SKU or a SKU two
 *     Brightpearl products share fails the order naming the item; nothing is dropped. Row net =
 *     line `total` (after coupon discounts, ex tax), tax = `total_tax`, nominal code `sales`,
 *     externalRef = the order item id. Shipping lines become free-text rows "Shipping: <method
 *     title>" (nominal `shipping`; the first line's method id picks delivery.shippingMethodId through
 *     `shippingMethodMap`), fee lines free-text rows named like the fee (nominal `sales`; negative
 *     fees stay negative).
 *     Discounts: WooCommerce spreads coupon discounts over the line items, so `total` is already
 *     net of them; coupons are not sent as rows (that would count them twice). The rows therefore
 *     add up to the order total; a difference of more than a penny per row (e.g. a gift-card plugin
 *     taking money off outside the order lines) fails the order rather than creating wrong totals.
 *     Tax codes: rows with tax get `defaultTaxCode`, unless the WooCommerce tax rate (tax_lines
 *     rate_percent) matches another Brightpearl code's rate better; rows without tax get the
 *     account's zero-rate code (`T0` when the account has it, else the first 0% code; `T0` when tax
 *     codes cannot be read).
 *  3. Customer. Contact by billing email (contact-search, re-checked for exact equality; several
 *     → the lowest non-staff contact id, i.e. the oldest), cached per run; else a postal address
 *     (billing, else shipping; 3-letter country code as in the postal-address docs) and a contact
 *     (name, company as organisation, email, phone). Order addresses carry 2-letter codes (as in the
 *     sales-order docs). Without a billing email a new contact is created each time.
 *  4. Header: ref and externalRef = order number, placedOn = date_created_gmt (UTC), currency,
 *     channel, warehouse, and statusId = orderStatusMap.toBrightpearl[status] when set.
 *  5. Payment. When WooCommerce counts the order as paid (date_paid set, or processing/completed)
 *     and its total is above 0: a RECEIPT for the total with the gateway's mapped payment method,
 *     transactionRef = transaction_id or `wc-<id>` (unique with the method code at Brightpearl, so a
 *     repeat is harmless). Gateway not mapped → the order still syncs, the message names the
 *     gateway to map, and the payment is recorded when the order is next handled with a mapping.
 *     A payment that fails after the order was created leaves two history rows: Synced "Created
 *     Brightpearl sales order N …" and Failed "… the payment could not be recorded …"; the order is
 *     mapped, so the retry (Failed rows are read again every run) only records the payment. When the
 *     state does not say whether a payment exists (after a crash, or a linked order), the order's
 *     payments are searched first.
 *
 * Status sync (mapped orders). The state keeps both statuses as last seen in step. WooCommerce
 * changed (status ≠ state) → orderStatusMap.toBrightpearl[new status], when set and different from
 * Brightpearl's current status, is written with an order note. Brightpearl changed → toWooCommerce
 * [status id], when set and different from WooCommerce's current status, is written (never
 * `refunded`: WooCommerce would create a refund of its own). Both changed → WooCommerce's change is
 * applied when it maps to a Brightpearl status; otherwise Brightpearl's. Every write updates the
 * state to what it wrote, so our own change coming back through the other side's "modified" feed
 * matches the state and does nothing (no ping-pong, whatever the maps). No state yet (a linked order,
 * a crash before the commit) → the current statuses become the state, nothing is written.
 */
import type { z } from 'zod';
import { BrightpearlOutcomeUnknownError, ORDER_TYPE_ID, type BrightpearlClient } from '../brightpearl/client';
import { formatIdSet } from '../brightpearl/idset';
import type { ContactInput, CustomerPaymentInput, OrderAddress, OrderRowInput, PostalAddressInput, SalesOrderInput } from '../brightpearl/inputs';
import { OrderSearchRowSchema, type BrightpearlTaxCode } from '../brightpearl/schemas';
import type { Flow, FlowContext } from '../engine/flow';
import type { Mappings } from '../settings/mappings';
import type { EntityRef, Outcome, SyncItem } from '../store';
import type { WooCommerceClient } from '../woocommerce/client';
import { OrderSchema, type WooLineItem, type WooOrder, type WooOrderAddress, type WooOrderRef } from '../woocommerce/schemas';

/** What the flow reads and writes in Brightpearl. */
export type OrderSource = Pick<
  BrightpearlClient,
  | 'search'
  | 'findOrderByExternalRef'
  | 'findContactsByEmail'
  | 'createPostalAddress'
  | 'createContact'
  | 'createSalesOrder'
  | 'updateOrderStatus'
  | 'createCustomerPayment'
  | 'findCustomerPayments'
  | 'getTaxCodes'
  | 'getOrderStatuses'
>;

/** What the flow reads and writes in WooCommerce. */
export type OrderTarget = Pick<WooCommerceClient, 'orderRefsModifiedBetween' | 'get' | 'updateOrder'>;

export type OrderMappings = Pick<
  Mappings,
  'exportOrderStatuses' | 'orderStatusMap' | 'paymentMethodMap' | 'shippingMethodMap' | 'defaultTaxCode' | 'nominalCodes' | 'channelId' | 'orderWarehouseId'
>;

export interface OrderFlowOptions {
  brightpearl: OrderSource;
  woocommerce: OrderTarget;
  /** Read at the start of every run, so a change applies without a restart. */
  mappings: () => OrderMappings;
  /** Brightpearl `installedIntegrationInstanceId` sent with orders (and searched by) when known. */
  integrationInstanceId?: number;
  /** Orders handled per step (one WooCommerce read by id per step); at most 100. */
  chunkSize?: number;
  /** How far back the first run (and a newly exported status) reads. */
  lookBackDays?: number;
  /** The WooCommerce window ends this long before now. */
  settleMs?: number;
  /** The WooCommerce window is read in slices this long; the cursor moves after each. */
  sliceMs?: number;
  /** How far before its watermark the Brightpearl `updatedOn` search starts. */
  bpOverlapMs?: number;
}

export const LOOK_BACK_DAYS = 30;
export const ORDER_SETTLE_MS = 5_000;
export const ORDER_BP_OVERLAP_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const FLOW_NAME = 'Brightpearl Sync for WooCommerce';

/** The order flow's watermark (the flow row's cursor, as JSON). */
export interface OrderCursor {
  /** WooCommerce orders modified before this instant have been read. */
  wcModifiedBefore?: string;
  /** Brightpearl orders updated since this instant are read next time (minus the overlap). */
  bpUpdatedSince?: string;
  /** `exportOrderStatuses` the window was read with (a status added later is read back LOOK_BACK_DAYS). */
  exportStatuses?: string[];
}

/** The item's last value once the order is linked. */
export interface OrderState {
  v: 1;
  /** Brightpearl sales order id. */
  bp: number;
  /** WooCommerce status last seen in step with Brightpearl (or written by us). */
  wc: string;
  /** Brightpearl status id likewise; null = not known yet (taken as it is at the next look). */
  bs: number | null;
  /** Brightpearl payment id once the payment is recorded. */
  pay?: number;
}

export function parseState(lastValue: string | null | undefined): OrderState | undefined {
  if (!lastValue || !lastValue.startsWith('{"v":1')) return undefined;
  try {
    const s = JSON.parse(lastValue) as OrderState;
    return typeof s.bp === 'number' && typeof s.wc === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

export function parseCursor(raw: string | null): OrderCursor {
  if (!raw) return {};
  try {
    const c = JSON.parse(raw) as unknown;
    return typeof c === 'object' && c !== null && !Array.isArray(c) ? (c as OrderCursor) : {};
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------------------------
// Pure helpers (exported for tests)

/** A money string as Brightpearl takes it (at most 4 decimals); undefined when not a number. */
export function decimal(raw: string | number): string | undefined {
  const text = String(raw).trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  const fraction = text.split('.')[1] ?? '';
  return fraction.length <= 4 ? text : Number(text).toFixed(4);
}

/** Money in units of 0.0001. */
const units = (raw: string) => Math.round(Number(raw) * 10_000);
const formatMoney = (u: number) => (u / 10_000).toFixed(2);

/** ISO 3166-1 alpha-2 → alpha-3. */
const ALPHA3 = new Map(
  (
    'AD:AND AE:ARE AF:AFG AG:ATG AI:AIA AL:ALB AM:ARM AO:AGO AQ:ATA AR:ARG AS:ASM AT:AUT AU:AUS AW:ABW AX:ALA AZ:AZE ' +
    'BA:BIH BB:BRB BD:BGD BE:BEL BF:BFA BG:BGR BH:BHR BI:BDI BJ:BEN BL:BLM BM:BMU BN:BRN BO:BOL BQ:BES BR:BRA BS:BHS ' +
    'BT:BTN BV:BVT BW:BWA BY:BLR BZ:BLZ CA:CAN CC:CCK CD:COD CF:CAF CG:COG CH:CHE CI:CIV CK:COK CL:CHL CM:CMR CN:CHN ' +
    'CO:COL CR:CRI CU:CUB CV:CPV CW:CUW CX:CXR CY:CYP CZ:CZE DE:DEU DJ:DJI DK:DNK DM:DMA DO:DOM DZ:DZA EC:ECU EE:EST ' +
    'EG:EGY EH:ESH ER:ERI ES:ESP ET:ETH FI:FIN FJ:FJI FK:FLK FM:FSM FO:FRO FR:FRA GA:GAB GB:GBR GD:GRD GE:GEO GF:GUF ' +
    'GG:GGY GH:GHA GI:GIB GL:GRL GM:GMB GN:GIN GP:GLP GQ:GNQ GR:GRC GS:SGS GT:GTM GU:GUM GW:GNB GY:GUY HK:HKG HM:HMD ' +
    'HN:HND HR:HRV HT:HTI HU:HUN ID:IDN IE:IRL IL:ISR IM:IMN IN:IND IO:IOT IQ:IRQ IR:IRN IS:ISL IT:ITA JE:JEY JM:JAM ' +
    'JO:JOR JP:JPN KE:KEN KG:KGZ KH:KHM KI:KIR KM:COM KN:KNA KP:PRK KR:KOR KW:KWT KY:CYM KZ:KAZ LA:LAO LB:LBN LC:LCA ' +
    'LI:LIE LK:LKA LR:LBR LS:LSO LT:LTU LU:LUX LV:LVA LY:LBY MA:MAR MC:MCO MD:MDA ME:MNE MF:MAF MG:MDG MH:MHL MK:MKD ' +
    'ML:MLI MM:MMR MN:MNG MO:MAC MP:MNP MQ:MTQ MR:MRT MS:MSR MT:MLT MU:MUS MV:MDV MW:MWI MX:MEX MY:MYS MZ:MOZ NA:NAM ' +
    'NC:NCL NE:NER NF:NFK NG:NGA NI:NIC NL:NLD NO:NOR NP:NPL NR:NRU NU:NIU NZ:NZL OM:OMN PA:PAN PE:PER PF:PYF PG:PNG ' +
    'PH:PHL PK:PAK PL:POL PM:SPM PN:PCN PR:PRI PS:PSE PT:PRT PW:PLW PY:PRY QA:QAT RE:REU RO:ROU RS:SRB RU:RUS RW:RWA ' +
    'SA:SAU SB:SLB SC:SYC SD:SDN SE:SWE SG:SGP SH:SHN SI:SVN SJ:SJM SK:SVK SL:SLE SM:SMR SN:SEN SO:SOM SR:SUR SS:SSD ' +
    'ST:STP SV:SLV SX:SXM SY:SYR SZ:SWZ TC:TCA TD:TCD TF:ATF TG:TGO TH:THA TJ:TJK TK:TKL TL:TLS TM:TKM TN:TUN TO:TON ' +
    'TR:TUR TT:TTO TV:TUV TW:TWN TZ:TZA UA:UKR UG:UGA UM:UMI US:USA UY:URY UZ:UZB VA:VAT VC:VCT VE:VEN VG:VGB VI:VIR ' +
    'VN:VNM VU:VUT WF:WLF WS:WSM XK:XKX YE:YEM YT:MYT ZA:ZAF ZM:ZMB ZW:ZWE'
  )
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);

/** WooCommerce's 2-letter country → the 3-letter code of the postal-address docs (unknown codes as they are). */
export function alpha3(country: string): string {
  const code = country.trim().toUpperCase();
  return ALPHA3.get(code) ?? code;
}

const clip = (text: string | null | undefined, max: number): string => (text ?? '').trim().slice(0, max);

/** WooCommerce's `YYYY-MM-DDTHH:MM:SS` (GMT, no offset) → ISO 8601 UTC. */
export function gmtIso(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(`${value}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function orderAddress(a: WooOrderAddress, email?: string | null): OrderAddress {
  const out: OrderAddress = {};
  const set = (key: keyof OrderAddress, value: string | null | undefined, max = 255) => {
    const v = clip(value, max);
    if (v !== '') out[key] = v;
  };
  set('addressFullName', `${a.first_name} ${a.last_name}`);
  set('companyName', a.company);
  set('addressLine1', a.address_1);
  set('addressLine2', a.address_2);
  set('addressLine3', a.city);
  set('addressLine4', a.state);
  set('postalCode', a.postcode);
  set('countryIsoCode', a.country.toUpperCase());
  set('telephone', a.phone);
  set('email', email);
  return out;
}

/** WooCommerce counts an order as paid (wc_get_is_paid_statuses) or it has a payment date. */
export function isPaid(order: Pick<WooOrder, 'status' | 'date_paid_gmt'>): boolean {
  return Boolean(order.date_paid_gmt) || order.status === 'processing' || order.status === 'completed';
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'the record'}: ${i.message}`)
    .join('; ');
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Per-run state

type SkuHit = { kind: 'found'; productId: number } | { kind: 'missing' } | { kind: 'ambiguous'; productIds: number[] };

class TaxCodes {
  private readonly byCode = new Map<string, BrightpearlTaxCode>();

  constructor(
    codes: BrightpearlTaxCode[],
    private readonly defaultCode: string,
  ) {
    for (const c of codes) this.byCode.set(c.code, c);
  }

  /** The zero-rate code: T0 when the account has it, else the first 0% code, else T0. */
  get zero(): string {
    if (this.byCode.has('T0') || this.byCode.size === 0) return 'T0';
    const zero = [...this.byCode.values()].filter((c) => Number(c.rate) === 0).sort((a, b) => a.code.localeCompare(b.code));
    return zero[0]?.code ?? 'T0';
  }

  /** A taxed row: the default code, unless WooCommerce's rate matches another code's rate and not the default's. */
  taxed(ratePercent: number | undefined): string {
    if (ratePercent === undefined || this.byCode.size === 0) return this.defaultCode;
    const same = (c: BrightpearlTaxCode | undefined) => c !== undefined && c.rate !== null && c.rate !== undefined && Math.abs(Number(c.rate) - ratePercent) < 0.001;
    const fallback = this.byCode.get(this.defaultCode);
    if (!fallback || same(fallback)) return this.defaultCode;
    const match = [...this.byCode.values()].filter(same).sort((a, b) => a.code.localeCompare(b.code))[0];
    return match?.code ?? this.defaultCode;
  }
}

interface RunState {
  startedAt: Date;
  mappings: OrderMappings;
  /** WooCommerce order ids with an outcome in this run. */
  handled: Set<number>;
  skus: Map<string, SkuHit>;
  /** Lower-cased SKU → why its lookup failed in this run. */
  skuErrors: Map<string, string>;
  /** Lower-cased email → contact id. */
  contacts: Map<string, number>;
  taxCodes?: TaxCodes;
  statusNames?: Map<number, string>;
}

/** What happened to one order in a run, turned into one (or, for a partial success, two) outcomes. */
interface Result {
  entityId: string;
  info: string;
  wcId: number;
  done: string[];
  failure?: string;
  state?: OrderState;
  request?: unknown;
  response?: unknown;
}

/** A mapped order with what each side says now. */
interface MappedCase {
  wcId: number;
  number: string;
  wcStatus: string;
  bpId: number;
  /** Undefined: Brightpearl has no such order. */
  bpStatus?: number;
  /** The full order, when it was read (needed for the payment). */
  order?: WooOrder;
  item?: SyncItem;
}

// ---------------------------------------------------------------------------------------------
// The flow

export class OrderFlow implements Flow {
  readonly type = 'order' as const;
  private readonly chunkSize: number;
  private readonly lookBackMs: number;
  private readonly settleMs: number;
  private readonly sliceMs: number;
  private readonly bpOverlapMs: number;

  constructor(private readonly options: OrderFlowOptions) {
    this.chunkSize = Math.max(1, Math.min(100, options.chunkSize ?? 25));
    this.lookBackMs = (options.lookBackDays ?? LOOK_BACK_DAYS) * DAY_MS;
    this.settleMs = options.settleMs ?? ORDER_SETTLE_MS;
    this.sliceMs = Math.max(1000, options.sliceMs ?? DAY_MS);
    this.bpOverlapMs = options.bpOverlapMs ?? ORDER_BP_OVERLAP_MS;
  }

  async run(ctx: FlowContext): Promise<void> {
    const startedAt = new Date(ctx.store.runs.get(ctx.runId)?.startedAt ?? ctx.store.clock().toISOString());
    const run: RunState = { startedAt, mappings: this.options.mappings(), handled: new Set(), skus: new Map(), skuErrors: new Map(), contacts: new Map() };

    if (ctx.scope) {
      const ids = [...new Set(ctx.scope.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0))];
      await this.byIds(ctx, run, ids);
      return;
    }

    // Captured first: what this run writes must not be read again as "still due".
    const due = [...ctx.store.items.entityIds('order', 'failed'), ...ctx.store.items.entityIds('order', 'pending')].map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
    const cursor = parseCursor(ctx.store.flows.getCursor('order'));
    const save = () => ctx.store.flows.setCursor('order', JSON.stringify(cursor));

    // 1. WooCommerce: modified orders.
    const end = new Date(Math.floor((startedAt.getTime() - this.settleMs) / 1000) * 1000);
    const from = ctx.since ? new Date(ctx.since) : cursor.wcModifiedBefore ? new Date(cursor.wcModifiedBefore) : new Date(end.getTime() - this.lookBackMs);
    const exportStatuses = [...run.mappings.exportOrderStatuses];
    const added = cursor.exportStatuses && !ctx.since ? exportStatuses.filter((s) => !cursor.exportStatuses?.includes(s)) : [];
    if (added.length > 0) {
      // A status the store owner just added: its orders from the look-back period, once.
      const catchUpFrom = new Date(end.getTime() - this.lookBackMs);
      if (!(await this.readWindow(ctx, run, catchUpFrom, from < end ? from : end, added))) return;
    }
    const completed = await this.readWindow(ctx, run, from, end, undefined, (sliceEnd) => {
      if (!cursor.wcModifiedBefore || sliceEnd.toISOString() > cursor.wcModifiedBefore) cursor.wcModifiedBefore = sliceEnd.toISOString();
      save();
    });
    if (!completed) return;
    cursor.exportStatuses = exportStatuses;
    save();

    // 2. Retries: still Pending or Failed in the log.
    await this.byIds(
      ctx,
      run,
      due.filter((id) => !run.handled.has(id)),
    );
    if (ctx.signal.aborted) return;

    // 3. Brightpearl: status changes of mapped orders.
    const bpSince = ctx.since ?? cursor.bpUpdatedSince;
    if (bpSince) {
      if (!(await this.brightpearlPass(ctx, run, new Date(new Date(bpSince).getTime() - this.bpOverlapMs)))) return;
    }
    cursor.bpUpdatedSince = startedAt.toISOString();
    save();
  }

  // --- WooCommerce window -----------------------------------------------------------------------

  /** Reads [from, to) slice by slice; false when the run was stopped before the end. */
  private async readWindow(
    ctx: FlowContext,
    run: RunState,
    from: Date,
    to: Date,
    statuses: string[] | undefined,
    onSlice?: (sliceEnd: Date) => void,
  ): Promise<boolean> {
    for (let a = from.getTime(); a < to.getTime(); ) {
      if (ctx.signal.aborted) return false;
      const b = Math.min(a + this.sliceMs, to.getTime());
      const refs = await this.options.woocommerce.orderRefsModifiedBetween(new Date(a), new Date(b), statuses);
      for (const chunk of chunked(refs, this.chunkSize)) {
        if (ctx.signal.aborted) return false;
        await this.windowChunk(ctx, run, chunk);
      }
      if (ctx.signal.aborted) return false;
      onSlice?.(new Date(b));
      a = b;
    }
    return true;
  }

  /** Picks what a window chunk needs: unmapped orders in an exported status, mapped ones whose status moved. */
  private async windowChunk(ctx: FlowContext, run: RunState, refs: WooOrderRef[]): Promise<void> {
    const exportable = new Set(run.mappings.exportOrderStatuses);
    const wanted: number[] = [];
    for (const ref of refs) {
      if (run.handled.has(ref.id)) continue;
      const status = ref.status ?? '';
      const mapping = ctx.store.mappings.byWooCommerce('order', String(ref.id));
      if (!mapping) {
        if (exportable.has(status)) wanted.push(ref.id);
        continue;
      }
      const item = ctx.store.items.getByEntity('order', String(ref.id));
      const state = parseState(item?.lastValue);
      const attention =
        !item || item.status !== 'synced' || !state || state.wc !== status || (state.pay === undefined && (status === 'processing' || status === 'completed'));
      if (attention) wanted.push(ref.id);
    }
    if (wanted.length === 0) return;
    const numbers = new Map(refs.map((r) => [r.id, r.number ?? String(r.id)]));
    await this.handleIds(ctx, run, wanted, numbers);
  }

  // --- orders by id -------------------------------------------------------------------------------

  private async byIds(ctx: FlowContext, run: RunState, ids: number[]): Promise<void> {
    for (const chunk of chunked(ids, this.chunkSize)) {
      if (ctx.signal.aborted) return;
      const numbers = new Map<number, string>();
      for (const id of chunk) numbers.set(id, ctx.store.items.getByEntity('order', String(id))?.info ?? String(id));
      await this.handleIds(ctx, run, chunk, numbers);
    }
  }

  /** Reads orders by id (one request), checks each on its own, and handles them. */
  private async handleIds(ctx: FlowContext, run: RunState, ids: number[], numbers: Map<number, string>): Promise<void> {
    const ref = (id: number, number?: string): EntityRef => {
      const mapping = ctx.store.mappings.byWooCommerce('order', String(id));
      return { entityId: String(id), info: number ?? numbers.get(id) ?? String(id), wcId: String(id), ...(mapping ? { bpId: mapping.bpId } : {}) };
    };
    ctx.seen(ids.map((id) => ref(id)));
    const fail = (id: number, message: string, info?: string) => {
      if (info !== undefined) ctx.seen([ref(id, info)]);
      ctx.record([{ entityId: String(id), status: 'failed', message }]);
      run.handled.add(id);
    };

    let raw: Map<number, unknown>;
    try {
      raw = await this.readOrders(ids);
    } catch (err) {
      for (const id of ids) fail(id, `Could not read the order from WooCommerce: ${errorText(err)}. It is retried on the next run.`);
      return;
    }

    const orders: WooOrder[] = [];
    for (const id of ids) {
      const body = raw.get(id);
      if (body === undefined) {
        fail(id, `WooCommerce has no order ${id} any more (deleted, or moved to the trash), so nothing was sent to Brightpearl.`);
        continue;
      }
      const parsed = OrderSchema.safeParse(body);
      if (!parsed.success) {
        const number = (body as { number?: unknown }).number;
        fail(
          id,
          `WooCommerce sent order data the sync cannot read (${describeIssues(parsed.error)}), so nothing was sent to Brightpearl. Check the order in WooCommerce (or the plugin that changed it), then retry.`,
          typeof number === 'string' || typeof number === 'number' ? String(number) : undefined,
        );
        continue;
      }
      if (parsed.data.number !== numbers.get(id)) ctx.seen([ref(id, parsed.data.number)]);
      orders.push(parsed.data);
    }

    const mapped: MappedCase[] = [];
    const unmapped: WooOrder[] = [];
    for (const order of orders) {
      const mapping = ctx.store.mappings.byWooCommerce('order', String(order.id));
      if (mapping && /^\d+$/.test(mapping.bpId)) {
        mapped.push({
          wcId: order.id,
          number: order.number,
          wcStatus: order.status,
          bpId: Number(mapping.bpId),
          order,
          item: ctx.store.items.getByEntity('order', String(order.id)),
        });
      } else {
        unmapped.push(order);
      }
    }

    if (mapped.length > 0) {
      let statuses: Map<number, number | string>;
      try {
        statuses = await this.brightpearlStatuses(mapped.map((m) => m.bpId));
      } catch (err) {
        for (const m of mapped) fail(m.wcId, `Could not read Brightpearl order ${m.bpId}: ${errorText(err)}. It is retried on the next run.`);
        statuses = new Map();
        mapped.length = 0;
      }
      for (const m of mapped) {
        if (ctx.signal.aborted) return;
        const status = statuses.get(m.bpId);
        if (typeof status === 'string') {
          fail(m.wcId, `Brightpearl sent order ${m.bpId} in a form the sync cannot read (${status}), so its status was not synced. It is retried on the next run.`);
          continue;
        }
        m.bpStatus = status;
        await this.handleMapped(ctx, run, m);
      }
    }

    if (unmapped.length > 0) {
      await this.loadTaxCodes(ctx, run);
      await this.resolveSkus(ctx, run, unmapped);
      for (const order of unmapped) {
        if (ctx.signal.aborted) return;
        await this.handleUnmapped(ctx, run, order);
      }
    }
  }

  private async readOrders(ids: number[], fields?: string): Promise<Map<number, unknown>> {
    const res = await this.options.woocommerce.get('orders', { query: { include: ids.join(','), per_page: 100, ...(fields ? { _fields: fields } : {}) } });
    if (!Array.isArray(res.data)) throw new Error(`WooCommerce GET orders answered ${typeof res.data} where a list was expected`);
    const out = new Map<number, unknown>();
    for (const body of res.data) {
      const id = (body as { id?: unknown } | null)?.id;
      if (typeof id === 'number') out.set(id, body);
    }
    return out;
  }

  /**
   * Current status per Brightpearl order id (order-search by ID set, each row checked on its own):
   * a status id, or why the row could not be read; absent = Brightpearl has no such order.
   */
  private async brightpearlStatuses(bpIds: number[]): Promise<Map<number, number | string>> {
    const out = new Map<number, number | string>();
    for (const chunk of chunked([...new Set(bpIds)].sort((a, b) => a - b), 200)) {
      for await (const raw of this.options.brightpearl.search('order-service/order-search', { orderId: formatIdSet(chunk), columns: 'orderId,orderStatusId' })) {
        const row = OrderSearchRowSchema.safeParse(raw);
        const id = raw.orderId;
        if (row.success && typeof row.data.orderStatusId === 'number') out.set(row.data.orderId, row.data.orderStatusId);
        else if (typeof id === 'number') out.set(id, row.success ? 'orderStatusId: missing' : describeIssues(row.error));
      }
    }
    return out;
  }

  // --- unmapped orders: export ------------------------------------------------------------------

  private async handleUnmapped(ctx: FlowContext, run: RunState, order: WooOrder): Promise<void> {
    const m = run.mappings;
    const result: Result = { entityId: String(order.id), info: order.number, wcId: order.id, done: [] };
    const intent = ctx.store.items.intentOf('order', String(order.id));
    let lookedUp = false;

    if (intent) {
      // An earlier attempt may have created it without committing: look before anything else.
      if (await this.linkExisting(ctx, run, order, result)) return this.finish(ctx, run, result);
      if (result.failure) return this.finish(ctx, run, result);
      lookedUp = true;
    }

    if (!m.exportOrderStatuses.includes(order.status)) {
      result.done.push(
        `Not sent to Brightpearl: its WooCommerce status is now "${order.status}", and only orders in ${m.exportOrderStatuses.map((s) => `"${s}"`).join(', ')} are sent. It is sent if it moves to one of those.`,
      );
      return this.finish(ctx, run, result);
    }

    const rows = this.buildRows(ctx, run, order);
    if (!rows.ok) {
      result.failure = rows.message;
      return this.finish(ctx, run, result);
    }

    if (!lookedUp) {
      if (await this.linkExisting(ctx, run, order, result)) return this.finish(ctx, run, result);
      if (result.failure) return this.finish(ctx, run, result);
    }

    let contact: { id: number; created: boolean };
    try {
      contact = await this.contactFor(run, order);
    } catch (err) {
      result.failure = `Could not find or create the Brightpearl customer for ${order.billing.email || 'this order'}: ${errorText(err)}. It is retried on the next run.`;
      return this.finish(ctx, run, result);
    }

    const statusId = m.orderStatusMap.toBrightpearl[order.status];
    const placedOn = gmtIso(order.date_created_gmt);
    const billing = orderAddress(order.billing, order.billing.email);
    const shippingSource = order.shipping.address_1.trim() !== '' ? order.shipping : order.billing;
    const body: SalesOrderInput = {
      customer: { id: contact.id, address: billing },
      delivery: { address: orderAddress(shippingSource), ...(rows.shippingMethodId ? { shippingMethodId: rows.shippingMethodId } : {}) },
      ref: order.number,
      externalRef: order.number,
      ...(this.options.integrationInstanceId !== undefined ? { installedIntegrationInstanceId: this.options.integrationInstanceId } : {}),
      ...(placedOn ? { placedOn } : {}),
      ...(statusId !== undefined ? { statusId } : {}),
      ...(m.channelId !== null ? { channelId: m.channelId } : {}),
      ...(m.orderWarehouseId !== null ? { warehouseId: m.orderWarehouseId } : {}),
      currency: { code: order.currency.toUpperCase() },
      rows: rows.rows,
    };
    result.request = body;

    ctx.store.items.recordIntent('order', String(order.id), { externalRef: order.number, wcOrderId: order.id, total: order.total, rows: rows.rows.length }, ctx.runId);
    let bpId: number;
    try {
      bpId = await this.options.brightpearl.createSalesOrder(body);
    } catch (err) {
      result.failure =
        err instanceof BrightpearlOutcomeUnknownError
          ? `Brightpearl did not confirm the new sales order (${errorText(err.original)}); the next run checks by externalRef ${order.number} before trying again, so it is never created twice.`
          : `Brightpearl refused the sales order: ${errorText(err)}. Fix the cause in Brightpearl or the settings, then retry.`;
      return this.finish(ctx, run, result);
    }
    this.commitLink(ctx, order, bpId);

    const customer = contact.created ? `new customer ${contact.id}` : `customer ${contact.id}`;
    result.done.push(`Created Brightpearl sales order ${bpId} (${customer}, ${rows.rows.length} rows, ${order.currency} ${order.total})`);
    result.response = { orderId: bpId };
    const state: OrderState = { v: 1, bp: bpId, wc: order.status, bs: statusId ?? null };
    result.state = state;
    await this.payment(run, order, state, true, result);
    return this.finish(ctx, run, result);
  }

  /**
   * Looks Brightpearl up by externalRef and links a hit (then records the payment if due).
   * True when linked; false when there is none (or the search failed: `result.failure` set).
   */
  private async linkExisting(ctx: FlowContext, run: RunState, order: WooOrder, result: Result): Promise<boolean> {
    let found: number[];
    try {
      found = await this.options.brightpearl.findOrderByExternalRef(order.number, {
        orderTypeId: ORDER_TYPE_ID.SALES_ORDER,
        ...(this.options.integrationInstanceId !== undefined ? { installedIntegrationInstanceId: this.options.integrationInstanceId } : {}),
      });
    } catch (err) {
      result.failure = `Could not check Brightpearl for an existing order with externalRef ${order.number} (needed before creating one): ${errorText(err)}. It is retried on the next run.`;
      return false;
    }
    const bpId = found[0];
    if (bpId === undefined) return false;
    this.commitLink(ctx, order, bpId);
    const others = found.slice(1);
    result.done.push(
      `Found existing Brightpearl order ${bpId} for this WooCommerce order; linked instead of creating a second` +
        (others.length ? ` (Brightpearl also has order${others.length > 1 ? 's' : ''} ${others.join(', ')} with this reference: check for duplicates)` : ''),
    );
    const state: OrderState = { v: 1, bp: bpId, wc: order.status, bs: null };
    result.state = state;
    await this.payment(run, order, state, false, result);
    return true;
  }

  /** The exactly-once point: the mapping (and the item's Brightpearl id) in one transaction. */
  private commitLink(ctx: FlowContext, order: WooOrder, bpId: number): void {
    ctx.store.db.transaction(() => {
      ctx.store.mappings.link([{ type: 'order', bpId: String(bpId), wcId: String(order.id), wcParentId: null }]);
      ctx.seen([{ entityId: String(order.id), info: order.number, wcId: String(order.id), bpId: String(bpId) }]);
    })();
  }

  // --- rows -------------------------------------------------------------------------------------

  /** Looks up every SKU the chunk's orders need and no mapping gives (one product-search per SKU, cached). */
  private async resolveSkus(ctx: FlowContext, run: RunState, orders: WooOrder[]): Promise<void> {
    const wanted = new Map<string, string>();
    for (const order of orders) {
      if (!run.mappings.exportOrderStatuses.includes(order.status)) continue;
      for (const item of order.line_items) {
        const sku = (item.sku ?? '').trim();
        if (sku === '' || this.mappedProduct(ctx, item) !== undefined || run.skus.has(sku.toLowerCase())) continue;
        wanted.set(sku.toLowerCase(), sku);
      }
    }
    for (const [key, sku] of wanted) {
      if (ctx.signal.aborted) return;
      try {
        const ids: number[] = [];
        for await (const row of this.options.brightpearl.search('product-service/product-search', { SKU: sku, columns: 'productId,SKU' })) {
          const rowSku = typeof row.SKU === 'string' ? row.SKU.trim().toLowerCase() : '';
          if (rowSku === key && typeof row.productId === 'number') ids.push(row.productId);
        }
        const unique = [...new Set(ids)].sort((a, b) => a - b);
        run.skus.set(key, unique.length === 0 ? { kind: 'missing' } : unique.length === 1 ? { kind: 'found', productId: unique[0] as number } : { kind: 'ambiguous', productIds: unique });
      } catch (err) {
        // Left unresolved: buildRows reports it for the orders that need it, and the next run asks again.
        run.skuErrors.set(key, errorText(err));
      }
    }
  }

  /** The account's tax codes, once per run (their rates pick a row's code; see TaxCodes). */
  private async loadTaxCodes(ctx: FlowContext, run: RunState): Promise<void> {
    if (run.taxCodes) return;
    try {
      run.taxCodes = new TaxCodes(await this.options.brightpearl.getTaxCodes(), run.mappings.defaultTaxCode);
    } catch (err) {
      ctx.log.warn({ flow: 'order', err: errorText(err) }, 'could not read Brightpearl tax codes; using the default code and T0');
      run.taxCodes = new TaxCodes([], run.mappings.defaultTaxCode);
    }
  }

  /** The Brightpearl product the product flow linked to this line's variation or product. */
  private mappedProduct(ctx: FlowContext, item: WooLineItem): number | undefined {
    const wcId = item.variation_id || item.product_id;
    if (!wcId) return undefined;
    const mapping = ctx.store.mappings.byWooCommerce('product', String(wcId));
    return mapping && /^\d+$/.test(mapping.bpId) ? Number(mapping.bpId) : undefined;
  }

  private buildRows(ctx: FlowContext, run: RunState, order: WooOrder): { ok: true; rows: OrderRowInput[]; shippingMethodId?: number } | { ok: false; message: string } {
    const m = run.mappings;
    const tax = run.taxCodes ?? new TaxCodes([], m.defaultTaxCode);
    const rates = new Map(order.tax_lines.map((t) => [Number(t.rate_id), t.rate_percent]));
    const rateOf = (taxes: { id: number; total: string }[]): number | undefined => {
      const used = [...new Set(taxes.filter((t) => Number(t.total) !== 0).map((t) => rates.get(Number(t.id))))];
      return used.length === 1 && typeof used[0] === 'number' ? used[0] : undefined;
    };
    const codeFor = (taxAmount: string, taxes: { id: number; total: string }[]) => (Number(taxAmount) === 0 ? tax.zero : tax.taxed(rateOf(taxes)));
    const problems: string[] = [];
    const money = (raw: string, what: string): string => {
      const d = decimal(raw);
      if (d === undefined) problems.push(`${what} has the amount "${raw}", which is not a number`);
      return d ?? '0';
    };

    const rows: OrderRowInput[] = [];
    for (const item of order.line_items) {
      const label = `Line item '${item.name}'`;
      const sku = (item.sku ?? '').trim();
      if (item.quantity <= 0) {
        problems.push(`${label} has quantity ${item.quantity}; Brightpearl needs a quantity above 0`);
        continue;
      }
      let productId = this.mappedProduct(ctx, item);
      if (productId === undefined) {
        if (sku === '') {
          problems.push(`${label} has no SKU (its product may have been deleted or has no SKU in WooCommerce), so it cannot be matched to a Brightpearl product. Give the product the SKU it has in Brightpearl and retry.`);
          continue;
        }
        const hit = run.skus.get(sku.toLowerCase());
        if (!hit) {
          const why = run.skuErrors.get(sku.toLowerCase());
          problems.push(`${label}: could not look up SKU ${sku} in Brightpearl${why ? ` (${why})` : ''}; it is retried on the next run.`);
          continue;
        }
        if (hit.kind === 'missing') {
          problems.push(`${label} has SKU ${sku}, which no Brightpearl product has. Create the product in Brightpearl (or fix the SKU) and retry.`);
          continue;
        }
        if (hit.kind === 'ambiguous') {
          problems.push(`${label} has SKU ${sku}, which Brightpearl products ${hit.productIds.join(' and ')} share. Give each product its own SKU in Brightpearl and retry.`);
          continue;
        }
        productId = hit.productId;
      }
      rows.push({
        productId,
        quantity: String(item.quantity),
        taxCode: codeFor(item.total_tax, item.taxes),
        net: money(item.total, label),
        tax: money(item.total_tax, label),
        nominalCode: m.nominalCodes.sales,
        externalRef: String(item.id),
      });
    }

    let shippingMethodId: number | undefined;
    for (const line of order.shipping_lines) {
      const label = `Shipping line '${line.method_title}'`;
      shippingMethodId ??= m.shippingMethodMap[line.method_id];
      rows.push({
        name: clip(`Shipping: ${line.method_title || line.method_id}`, 255),
        quantity: '1',
        taxCode: codeFor(line.total_tax, line.taxes),
        net: money(line.total, label),
        tax: money(line.total_tax, label),
        nominalCode: m.nominalCodes.shipping,
        externalRef: String(line.id),
      });
    }
    for (const fee of order.fee_lines) {
      const label = `Fee '${fee.name}'`;
      rows.push({
        name: clip(fee.name || 'Fee', 255),
        quantity: '1',
        taxCode: codeFor(fee.total_tax, fee.taxes),
        net: money(fee.total, label),
        tax: money(fee.total_tax, label),
        nominalCode: m.nominalCodes.sales,
        externalRef: String(fee.id),
      });
    }

    if (problems.length > 0) return { ok: false, message: problems.join(' ') };
    if (rows.length === 0) return { ok: false, message: 'The order has no line items, shipping or fees, so there is nothing to send to Brightpearl.' };

    // Coupon discounts are already inside the line totals: the rows must add up to the order total.
    const sum = rows.reduce((s, r) => s + units(r.net) + units(r.tax), 0);
    const total = units(order.total);
    if (Math.abs(sum - total) > 100 * rows.length) {
      return {
        ok: false,
        message: `The order's lines add up to ${order.currency} ${formatMoney(sum)}, but its WooCommerce total is ${order.currency} ${formatMoney(total)} (something outside the order lines changed the total, e.g. a gift card). It was not sent, so Brightpearl does not get wrong totals; check the order in WooCommerce.`,
      };
    }
    return { ok: true, rows, shippingMethodId };
  }

  // --- customer ---------------------------------------------------------------------------------

  private async contactFor(run: RunState, order: WooOrder): Promise<{ id: number; created: boolean }> {
    const bp = this.options.brightpearl;
    const email = (order.billing.email ?? '').trim();
    const key = email.toLowerCase();
    if (key !== '') {
      const cached = run.contacts.get(key);
      if (cached !== undefined) return { id: cached, created: false };
      const rows = await bp.findContactsByEmail(email);
      const pick = [...rows].sort((a, b) => Number(a.isStaff === true) - Number(b.isStaff === true) || a.contactId - b.contactId)[0];
      if (pick) {
        run.contacts.set(key, pick.contactId);
        return { id: pick.contactId, created: false };
      }
    }

    const b = order.billing;
    const source = b.address_1.trim() !== '' ? b : order.shipping;
    let addressId: number | undefined;
    if (source.address_1.trim() !== '' && source.country.trim() !== '') {
      const address: PostalAddressInput = { addressLine1: clip(source.address_1, 255), countryIsoCode: alpha3(source.country) };
      if (clip(source.address_2, 255)) address.addressLine2 = clip(source.address_2, 255);
      if (clip(source.city, 255)) address.addressLine3 = clip(source.city, 255);
      if (clip(source.state, 255)) address.addressLine4 = clip(source.state, 255);
      if (clip(source.postcode, 32)) address.postalCode = clip(source.postcode, 32);
      addressId = await bp.createPostalAddress(address);
    }
    const contact: ContactInput = {
      relationshipToAccount: { isSupplier: false, isStaff: false },
      marketingDetails: { isReceiveEmailNewsletter: false },
    };
    const first = clip(b.first_name, 64);
    const last = clip(b.last_name, 64);
    const company = clip(b.company, 128);
    if (first) contact.firstName = first;
    if (last) contact.lastName = last;
    if (company) contact.organisation = { name: company };
    if (!first && !last && !company) contact.lastName = clip(email || `WooCommerce order ${order.number}`, 64);
    const phone = clip(b.phone, 64);
    if (email || phone) {
      contact.communication = {};
      if (email) contact.communication.emails = { PRI: { email } };
      if (phone) contact.communication.telephones = { PRI: phone };
    }
    if (addressId !== undefined) contact.postAddressIds = { DEF: addressId, BIL: addressId, DEL: addressId };
    const id = await bp.createContact(contact);
    if (key !== '') run.contacts.set(key, id);
    return { id, created: true };
  }

  // --- payment ----------------------------------------------------------------------------------

  /**
   * Records the payment when due (paid in WooCommerce, total above 0, none recorded yet). `known`:
   * the state says whether a payment exists; otherwise the order's payments are searched first.
   */
  private async payment(run: RunState, order: WooOrder, state: OrderState, known: boolean, result: Result): Promise<void> {
    if (state.pay !== undefined) return;
    if (!isPaid(order)) {
      if (result.done.length && result.done[0]?.startsWith('Created')) result.done.push('not paid yet in WooCommerce, so no payment was recorded');
      return;
    }
    if (units(order.total) <= 0) return;
    const gateway = order.payment_method.trim();
    const method = run.mappings.paymentMethodMap[gateway];
    if (!method) {
      // Said once, when the order is created or linked; later looks stay quiet until a mapping exists.
      if (result.done.length > 0) {
        result.done.push(
          `the payment was not recorded: no Brightpearl payment method is mapped for the WooCommerce gateway "${gateway || '(none)'}"${order.payment_method_title ? ` (${order.payment_method_title})` : ''}. Map it on the Settings tab, then retry this order to record the payment`,
        );
      }
      return;
    }
    const bp = this.options.brightpearl;
    const transactionRef = clip(order.transaction_id, 64) || `wc-${order.id}`;
    const amount = `${order.currency} ${order.total}`;
    try {
      if (!known) {
        const existing = (await bp.findCustomerPayments(state.bp)).find((p) => p.paymentType === 'RECEIPT' && p.transactionRef === transactionRef);
        if (existing) {
          state.pay = existing.paymentId;
          result.done.push(`its payment was already recorded in Brightpearl (payment ${existing.paymentId})`);
          return;
        }
      }
      const body: CustomerPaymentInput = {
        paymentType: 'RECEIPT',
        orderId: state.bp,
        paymentMethodCode: method,
        currencyIsoCode: order.currency.toUpperCase(),
        amountPaid: Number(order.total),
        paymentDate: gmtIso(order.date_paid_gmt) ?? gmtIso(order.date_created_gmt) ?? new Date().toISOString(),
        transactionRef,
        transactionCode: clip(order.number, 64),
        journalRef: clip(`WooCommerce order ${order.number}`, 255),
      };
      state.pay = await bp.createCustomerPayment(body);
      result.done.push(`recorded payment ${state.pay} of ${amount} (${method})`);
    } catch (err) {
      result.failure = `The payment of ${amount} (${method}) could not be recorded on Brightpearl order ${state.bp}: ${errorText(err)}. The next run records only the payment; the order is not created again.`;
    }
  }

  // --- mapped orders: status sync ---------------------------------------------------------------

  private async handleMapped(ctx: FlowContext, run: RunState, c: MappedCase): Promise<void> {
    const result: Result = { entityId: String(c.wcId), info: c.number, wcId: c.wcId, done: [] };
    if (c.bpStatus === undefined) {
      result.failure = `This order is linked to Brightpearl order ${c.bpId}, which Brightpearl no longer has (deleted?). Its status is not synced; if it was deleted on purpose, nothing needs doing.`;
      return this.finish(ctx, run, result);
    }
    const stored = parseState(c.item?.lastValue);
    // A state of another Brightpearl order (the link was changed) says nothing about this one.
    const previous = stored && stored.bp === c.bpId ? stored : undefined;
    const state = await this.reconcile(run, c, previous, result);
    result.state = state;
    if (c.order && !result.failure) await this.payment(run, c.order, state, previous !== undefined, result);
    return this.finish(ctx, run, result);
  }

  private async statusName(run: RunState, id: number | null): Promise<string> {
    if (id === null) return 'unknown';
    if (!run.statusNames) {
      try {
        run.statusNames = new Map((await this.options.brightpearl.getOrderStatuses()).map((s) => [s.statusId, s.name]));
      } catch {
        run.statusNames = new Map();
      }
    }
    return run.statusNames.get(id) ?? `status ${id}`;
  }

  /** One order's statuses brought in step (see the file comment); returns the new state. */
  private async reconcile(run: RunState, c: MappedCase, previous: OrderState | undefined, result: Result): Promise<OrderState> {
    const bpStatus = c.bpStatus as number;
    if (!previous) return { v: 1, bp: c.bpId, wc: c.wcStatus, bs: bpStatus };
    const map = run.mappings.orderStatusMap;
    let wc = c.wcStatus;
    let bs = bpStatus;
    const wcChanged = wc !== previous.wc;
    const bpChanged = previous.bs !== null && bs !== previous.bs;
    let pushed = false;

    if (wcChanged) {
      const target = map.toBrightpearl[wc];
      if (target !== undefined && target !== bs) {
        const name = await this.statusName(run, target);
        try {
          await this.options.brightpearl.updateOrderStatus(c.bpId, target, `WooCommerce order ${c.number} is now "${wc}" (set by ${FLOW_NAME})`);
          const also = bpChanged ? ` (Brightpearl had also changed, to '${await this.statusName(run, bs)}'; WooCommerce's change was applied)` : '';
          result.done.push(`WooCommerce status ${wc} → Brightpearl '${name}'${also}`);
          bs = target;
          pushed = true;
        } catch (err) {
          result.failure = `Could not set Brightpearl order ${c.bpId} to '${name}' for WooCommerce status ${wc}: ${errorText(err)}. It is retried on the next run.`;
          return { ...previous, bp: c.bpId };
        }
      }
    }

    if (!pushed && bpChanged) {
      const target = map.toWooCommerce[String(bs)];
      if (target === 'refunded') {
        // Mappings refuse it; guarded anyway: WooCommerce would create a refund of its own.
        result.failure = `The status map sends Brightpearl '${await this.statusName(run, bs)}' to "refunded", which the sync never sets in WooCommerce (WooCommerce would create a refund of its own). Change that mapping on the Settings tab.`;
        return { ...previous, bp: c.bpId, bs };
      }
      if (target && target !== wc) {
        const name = await this.statusName(run, bs);
        try {
          const updated = await this.options.woocommerce.updateOrder(c.wcId, { status: target });
          result.done.push(`Brightpearl status '${name}' → WooCommerce ${target}`);
          wc = updated.status;
        } catch (err) {
          result.failure = `Could not set WooCommerce order ${c.number} to "${target}" for Brightpearl status '${name}': ${errorText(err)}. It is retried on the next run.`;
          return { ...previous, bp: c.bpId };
        }
      }
    }
    return { v: 1, bp: c.bpId, wc, bs, ...(previous.pay !== undefined ? { pay: previous.pay } : {}) };
  }

  // --- Brightpearl: status changes --------------------------------------------------------------

  /** Mapped sales orders updated since `since`, in chunks; false when stopped before the end. */
  private async brightpearlPass(ctx: FlowContext, run: RunState, since: Date): Promise<boolean> {
    let chunk: { wcId: number; bpId: number; bpStatus: number }[] = [];
    const flush = async () => {
      const rows = chunk;
      chunk = [];
      if (rows.length > 0) await this.brightpearlChunk(ctx, run, rows);
    };
    const params = { orderTypeId: ORDER_TYPE_ID.SALES_ORDER, updatedOn: `${since.toISOString()}/`, columns: 'orderId,orderTypeId,orderStatusId,updatedOn' };
    for await (const raw of this.options.brightpearl.search('order-service/order-search', params)) {
      const row = OrderSearchRowSchema.safeParse(raw);
      if (!row.success) {
        this.unreadableRow(ctx, run, raw, describeIssues(row.error));
        continue;
      }
      const r = row.data;
      if (typeof r.orderStatusId !== 'number' || (r.orderTypeId !== undefined && r.orderTypeId !== null && r.orderTypeId !== ORDER_TYPE_ID.SALES_ORDER)) continue;
      const mapping = ctx.store.mappings.byBrightpearl('order', String(r.orderId));
      if (!mapping || !/^\d+$/.test(mapping.wcId)) continue;
      const wcId = Number(mapping.wcId);
      if (run.handled.has(wcId)) {
        this.fillUnknownStatus(ctx, wcId, r.orderStatusId);
        continue;
      }
      chunk.push({ wcId, bpId: r.orderId, bpStatus: r.orderStatusId });
      if (chunk.length >= this.chunkSize) {
        await flush();
        if (ctx.signal.aborted) return false;
      }
    }
    await flush();
    return !ctx.signal.aborted;
  }

  /** An order-search row our schema cannot read: Failed on its WooCommerce order when it is one of ours. */
  private unreadableRow(ctx: FlowContext, run: RunState, raw: Record<string, unknown>, issues: string): void {
    const bpId = raw.orderId;
    const mapping = typeof bpId === 'number' ? ctx.store.mappings.byBrightpearl('order', String(bpId)) : undefined;
    const wcId = Number(mapping?.wcId);
    if (!mapping || !Number.isSafeInteger(wcId) || run.handled.has(wcId)) {
      ctx.log.warn({ flow: 'order', orderId: bpId, issues }, 'skipped an order-search row the sync cannot read');
      return;
    }
    const info = ctx.store.items.getByEntity('order', String(wcId))?.info ?? String(wcId);
    ctx.seen([{ entityId: String(wcId), info, wcId: String(wcId), bpId: String(bpId) }]);
    ctx.record([{ entityId: String(wcId), status: 'failed', message: `Brightpearl sent order ${String(bpId)} in a form the sync cannot read (${issues}), so its status was not synced. It is retried on the next run.` }]);
    run.handled.add(wcId);
  }

  /** An order created in this run whose Brightpearl status we did not choose: remember it quietly. */
  private fillUnknownStatus(ctx: FlowContext, wcId: number, bpStatus: number): void {
    const item = ctx.store.items.getByEntity('order', String(wcId));
    const state = parseState(item?.lastValue);
    if (!item || item.status !== 'synced' || !state || state.bs !== null) return;
    ctx.store.items.record('order', ctx.runId, [{ entityId: String(wcId), status: 'unchanged', value: JSON.stringify({ ...state, bs: bpStatus }) }]);
  }

  private async brightpearlChunk(ctx: FlowContext, run: RunState, rows: { wcId: number; bpId: number; bpStatus: number }[]): Promise<void> {
    const ids = rows.map((r) => r.wcId);
    let current: Map<number, unknown>;
    try {
      current = await this.readOrders(ids, 'id,number,status');
    } catch (err) {
      ctx.seen(rows.map((r) => ({ entityId: String(r.wcId), info: ctx.store.items.getByEntity('order', String(r.wcId))?.info ?? String(r.wcId), wcId: String(r.wcId), bpId: String(r.bpId) })));
      ctx.record(rows.map((r) => ({ entityId: String(r.wcId), status: 'failed' as const, message: `Could not read the order from WooCommerce to sync Brightpearl's status: ${errorText(err)}. It is retried on the next run.` })));
      for (const r of rows) run.handled.add(r.wcId);
      return;
    }
    for (const r of rows) {
      if (ctx.signal.aborted) return;
      const item = ctx.store.items.getByEntity('order', String(r.wcId));
      const body = current.get(r.wcId) as { number?: unknown; status?: unknown } | undefined;
      const number = body && (typeof body.number === 'string' || typeof body.number === 'number') ? String(body.number) : (item?.info ?? String(r.wcId));
      const status = typeof body?.status === 'string' ? body.status : undefined;
      const state = parseState(item?.lastValue);
      // Nothing moved on either side (e.g. our own write, or a payment): no row, no write.
      if (status !== undefined && state && item?.status === 'synced' && state.wc === status && state.bs === r.bpStatus) continue;
      ctx.seen([{ entityId: String(r.wcId), info: number, wcId: String(r.wcId), bpId: String(r.bpId) }]);
      if (status === undefined) {
        run.handled.add(r.wcId);
        ctx.record([
          {
            entityId: String(r.wcId),
            status: 'failed',
            message: `Brightpearl order ${r.bpId} changed, but its WooCommerce order ${number} is gone (deleted, or in the trash), so its status could not be synced.`,
          },
        ]);
        continue;
      }
      await this.handleMapped(ctx, run, { wcId: r.wcId, number, wcStatus: status, bpId: r.bpId, bpStatus: r.bpStatus, item });
    }
  }

  // --- outcomes ---------------------------------------------------------------------------------

  /**
   * One outcome per order: Synced with what was done, Unchanged when nothing was, Failed with the
   * reason. A failure after something was done (the order was created, then its payment failed)
   * first stores the success with its state (history row, not counted twice in the run).
   */
  private finish(ctx: FlowContext, run: RunState, r: Result): void {
    run.handled.add(r.wcId);
    const value = r.state ? JSON.stringify(r.state) : undefined;
    const sentence = (parts: string[]) => {
      const text = parts.join('; ');
      return text.charAt(0).toUpperCase() + text.slice(1);
    };
    const extra = { ...(r.request !== undefined ? { request: r.request } : {}), ...(r.response !== undefined ? { response: r.response } : {}) };
    const outcomes: Outcome[] = [];
    if (r.failure !== undefined) {
      if (r.done.length > 0) {
        ctx.store.items.record('order', ctx.runId, [{ entityId: r.entityId, status: 'synced', message: sentence(r.done), value: value ?? null, wcId: String(r.wcId), ...extra }]);
        outcomes.push({ entityId: r.entityId, status: 'failed', message: r.failure });
      } else {
        outcomes.push({ entityId: r.entityId, status: 'failed', message: r.failure, ...extra });
      }
    } else if (r.done.length > 0) {
      outcomes.push({ entityId: r.entityId, status: 'synced', message: sentence(r.done), value: value ?? null, wcId: String(r.wcId), ...extra });
    } else {
      outcomes.push({ entityId: r.entityId, status: 'unchanged', value: value ?? null, wcId: String(r.wcId) });
    }
    ctx.record(outcomes);
  }
}
