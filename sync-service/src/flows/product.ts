/**
 * Products: Brightpearl → WooCommerce catalogue.
 *
 * Selection. The first run (no watermark) sweeps the whole catalogue; later runs ask product-search
 * for `updatedOn=<watermark − overlap>/` and add the rows the sync log still shows Failed or
 * Pending (so a product that failed for a passing reason heals without waiting for an edit in
 * Brightpearl). `ctx.since` replaces the watermark (resync); `ctx.scope` (Brightpearl product ids:
 * a retry or a webhook) limits the run to those products. The watermark moves to the run's start
 * only when the run got through without a run-level error and was not stopped.
 *
 * Reading. Details come from `product-service/product/{ID-SET}` and prices from
 * `product-price/{ID-SET}/price-list/{id}` (≤200 ids per GET). Every record is checked against our
 * schema on its own, so one malformed record fails that product (with the field named) and not
 * the 199 others in its request — which is why the flow reads those URLs itself instead of calling
 * getProducts()/getProductPrices(), which validate a whole answer at once.
 *
 * Shape. A product with productGroupId 0 becomes a simple product. Products sharing a non-zero
 * productGroupId become ONE variable product whose variations are the group's members:
 *  - attributes: one per optionName of the members' `variations`, options in member (id) order;
 *  - parent name: the group's first member (lowest id) with its option values taken off the end
 *    of its name ("Trail Tee - Blue" → "Trail Tee"; separators " - ", " – ", ", ", " / ", ": ",
 *    "(Blue)" or a plain space); if nothing is left, the member's full name;
 *  - parent description: that member's description; a variation's own description is written only
 *    when it differs from the parent's (WooCommerce shows both on the product page);
 *  - parent SKU: `BP-GROUP-<groupId>` when we create the parent (never changed on an existing one).
 *    Brightpearl has no parent record, so the SKU is derived and stable: if a create succeeds in
 *    WooCommerce but its answer is lost, the next create gets `product_invalid_sku` and links to
 *    it instead of leaving a duplicate parent behind;
 *  - parent status: publish when any member is LIVE, else draft;
 *  - the parent is tracked by an id mapping keyed `group:<groupId>` (type 'product'), found again
 *    without SKU guessing; an existing parent is otherwise found through its members' variations.
 * The whole group is read whenever one member is due (the parent's name and options depend on
 * all of them), but only due members are written and logged. The log has one row per Brightpearl
 * product; the parent is bookkeeping.
 *
 * Matching: stored id mapping, then SKU (findBySkus; a hit may be a variation), else create.
 * A create answered `product_invalid_sku` with a resource id links to that product or variation and
 * updates it in the same run. Only fields that differ are written (name, description, SKU, regular
 * price, status; a variation's option), in batches, and every per-item error becomes a Failed row
 * with WooCommerce's code and message. Stock fields are never written here (the inventory flow owns
 * stock). Products Brightpearl says are not LIVE are never deleted: simple and variable products
 * become `draft`; variations become `private`, which is what WooCommerce's "Enabled" switch sets —
 * WooCommerce lists a variable product's children with status publish or private only, so a
 * `draft` variation would vanish from the product's edit screen.
 */
import type { z } from 'zod';
import { PRODUCT_GET_MAX_IDS, PRODUCT_PRICE_MAX_IDS, type BrightpearlClient, type SearchRow } from '../brightpearl/client';
import { idSetChunks, isValidId } from '../brightpearl/idset';
import { ProductPriceSchema, ProductSchema, type BrightpearlProduct, type BrightpearlSalesChannel } from '../brightpearl/schemas';
import type { Flow, FlowContext } from '../engine/flow';
import type { Mappings } from '../settings/mappings';
import type { IdMapping, Outcome } from '../store';
import { WooCommerceError, type BatchItemError, type BatchItemResult, type ProductWrite, type VariationWrite, type WooCommerceClient } from '../woocommerce/client';
import type { WooProduct, WooProductSummary, WooVariation } from '../woocommerce/schemas';

/** What the flow reads from Brightpearl. */
export type ProductSource = Pick<BrightpearlClient, 'search' | 'get' | 'getPriceLists'>;

/** What the flow reads and writes in WooCommerce. */
export type ProductTarget = Pick<
  WooCommerceClient,
  'findBySkus' | 'listProducts' | 'listVariations' | 'createProduct' | 'batchProducts' | 'batchVariations'
>;

export interface ProductFlowOptions {
  brightpearl: ProductSource;
  woocommerce: ProductTarget;
  /** The store owner's mappings; `priceListId` null = the first SELL price list. */
  mappings: () => Pick<Mappings, 'priceListId'>;
  /** Brightpearl products (due and group context) handled per step. */
  chunkSize?: number;
  /** How far before the watermark an incremental search starts (clock skew, saves in flight). */
  overlapMs?: number;
  /** Above this many groups to complete, one id-only scan of the catalogue replaces per-group searches. */
  groupSearchLimit?: number;
}

export const PRODUCT_CURSOR_OVERLAP_MS = 5 * 60_000;
const SEARCH_PATH = 'product-service/product-search';
const SEARCH_COLUMNS = 'productId,productGroupId';
const WOO_IDS_PER_READ = 100;
/** The mapping key of a product group's variable parent. */
export const groupKey = (groupId: number): string => `group:${groupId}`;
/** SKU given to a variable parent we create (see the file comment). */
export const parentSku = (groupId: number): string => `BP-GROUP-${groupId}`;

// ---------------------------------------------------------------------------------------------
// Pure helpers (exported for unit tests)

const SEPARATOR = String.raw`(?:\s*[-–—,/:|]\s*|\s+)`;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The parent name rule: option values taken off the end of a member's name (see the file comment). */
export function parentNameFor(memberName: string, optionValues: string[]): string {
  const original = memberName.trim();
  let name = original;
  const values = optionValues.map((v) => v.trim()).filter((v) => v !== '');
  for (let changed = true; changed; ) {
    changed = false;
    for (const value of values) {
      const v = escapeRegExp(value);
      const re = new RegExp(`(?:${SEPARATOR}${v}|\\s*\\(\\s*${v}\\s*\\))$`, 'i');
      const stripped = name.replace(re, '').replace(/[\s\-–—,/:|]+$/, '');
      if (stripped !== name && stripped !== '') {
        name = stripped;
        changed = true;
      }
    }
  }
  return name || original;
}

/** Brightpearl prices are decimal strings ("12.0000"); the canonical form keeps at least two decimals. */
export function normalizePrice(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const whole = (m[1] as string).replace(/^0+(?=\d)/, '');
  const fraction = (m[2] ?? '').replace(/0+$/, '').padEnd(2, '0');
  return `${whole}.${fraction}`;
}

function samePrice(current: string, wanted: string): boolean {
  if (current.trim() === '') return false;
  return normalizePrice(current) === wanted;
}

/** WooCommerce may hand text back entity-encoded (`&amp;`) after kses; compare what a shopper reads. */
function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');
}
const sameText = (current: string, wanted: string) => decodeEntities(current).replace(/\s+/g, ' ').trim() === wanted.replace(/\s+/g, ' ').trim();

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

function numericId(raw: unknown, field: string): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const v = (raw as Record<string, unknown>)[field];
  return typeof v === 'number' && isValidId(v) ? v : undefined;
}

// ---------------------------------------------------------------------------------------------
// Types

/** A Brightpearl product the flow can work with. */
interface Candidate {
  id: number;
  due: boolean;
  name: string;
  sku: string;
  description: string;
  live: boolean;
  bpStatus: string;
  groupId: number;
  options: { name: string; value: string }[];
  /** Canonical base price; undefined = none in the price list. */
  price?: string;
}

/** A WooCommerce product or variation as the flow compares it. */
interface WooCurrent {
  id: number;
  /** 0 for products. */
  parentId: number;
  /** `variation` for variations. */
  type: string;
  name: string;
  sku: string;
  description: string;
  regularPrice: string;
  status: string;
  productAttributes: ProductAttribute[];
  variationAttributes: { id?: number; name: string; option: string }[];
}

interface ProductAttribute {
  id: number;
  name: string;
  position?: number;
  visible?: boolean;
  variation?: boolean;
  options: string[];
}

interface PriceList {
  id: number;
  label: string;
}

interface RunState {
  priceList?: PriceList;
  /** Lower-cased SKU → the Brightpearl product that used it first in this run. */
  skuOwners: Map<string, number>;
}

interface Chunk {
  due: number[];
  context: number[];
}

type Subject = { kind: 'product'; c: Candidate } | { kind: 'parent'; groupId: number };

interface WriteItem {
  subject: Subject;
  /** Endpoint: 0 = /products, else /products/{parentId}/variations. */
  parentId: number;
  create: boolean;
  /** For updates. */
  wcId?: number;
  payload: ProductWrite | VariationWrite;
  changed: string[];
  /** Message prefix, e.g. "Linked to existing WooCommerce product 812 that already had SKU X". */
  intro?: string;
}

type WriteResult = { ok: true; id: number } | { ok: false; error: BatchItemError };

const where = (t: { id: number; parentId: number }) => (t.parentId ? `WooCommerce variation ${t.id} of ${t.parentId}` : `WooCommerce product ${t.id}`);

/** Outcomes of one chunk: one per due product, plus the id mappings to store with them. */
class ChunkOutcomes {
  readonly byId = new Map<number, Outcome>();
  readonly links: IdMapping[] = [];

  constructor(private readonly due: Set<number>) {}

  has(id: number): boolean {
    return this.byId.has(id);
  }

  set(id: number, outcome: Outcome, replace = false): void {
    if (!this.due.has(id) || (this.byId.has(id) && !replace)) return;
    this.byId.set(id, outcome);
  }

  fail(id: number, message: string, extra: { request?: unknown; response?: unknown } = {}, replace = false): void {
    this.set(id, { entityId: String(id), status: 'failed', message, ...extra }, replace);
  }

  link(bpId: string, wcId: number, wcParentId: number): void {
    this.links.push({ type: 'product', bpId, wcId: String(wcId), wcParentId: wcParentId ? String(wcParentId) : null });
  }

  /** Safety net: a due product never stays Pending because of a gap in the logic. */
  failRest(message: string): void {
    for (const id of this.due) if (!this.byId.has(id)) this.fail(id, message);
  }
}

// ---------------------------------------------------------------------------------------------
// The flow

export class ProductFlow implements Flow {
  readonly type = 'product' as const;
  private readonly chunkSize: number;
  private readonly overlapMs: number;
  private readonly groupSearchLimit: number;

  constructor(private readonly options: ProductFlowOptions) {
    this.chunkSize = Math.max(1, options.chunkSize ?? 100);
    this.overlapMs = options.overlapMs ?? PRODUCT_CURSOR_OVERLAP_MS;
    this.groupSearchLimit = options.groupSearchLimit ?? 10;
  }

  async run(ctx: FlowContext): Promise<void> {
    // The watermark is the run's start: whatever changes while the run reads is caught next time.
    const startedAt = ctx.store.runs.get(ctx.runId)?.startedAt ?? ctx.store.clock().toISOString();
    const selection = await this.select(ctx);
    const run: RunState = { skuOwners: new Map() };

    if (selection.unknown.length) {
      ctx.seen(selection.unknown.map((id) => ({ entityId: String(id), bpId: String(id), info: String(id) })));
      ctx.record(
        selection.unknown.map((id) => ({
          entityId: String(id),
          status: 'failed' as const,
          message: `Brightpearl has no product ${id} (it may have been deleted). Its WooCommerce product, if any, was left as it is.`,
        })),
      );
    }

    if (selection.due.size > 0) {
      // Once per run, before anything is written: a bad price-list setting is a run-level error.
      run.priceList = await this.resolvePriceList();
      const chunks = await this.plan(ctx, selection);
      for (const chunk of chunks) {
        if (ctx.signal.aborted) return;
        await this.syncChunk(ctx, chunk, run);
      }
    }
    if (!ctx.scope && !ctx.signal.aborted) ctx.store.flows.setCursor('product', startedAt);
  }

  // --- selection ------------------------------------------------------------------------------

  private async select(ctx: FlowContext): Promise<{ due: Map<number, number>; unknown: number[]; full: boolean }> {
    const due = new Map<number, number>();

    if (ctx.scope) {
      const ids = [...new Set(ctx.scope.map(Number).filter(isValidId))];
      const found = await this.searchByIds(ids);
      return { due: found, unknown: ids.filter((id) => !found.has(id)), full: false };
    }

    let from: string | undefined;
    if (ctx.since) {
      const ms = Date.parse(ctx.since);
      if (Number.isNaN(ms)) throw new Error(`Cannot resync products from "${ctx.since}": not a date.`);
      from = new Date(ms).toISOString();
    } else {
      const cursor = ctx.store.flows.getCursor('product');
      const ms = cursor ? Date.parse(cursor) : Number.NaN;
      if (!Number.isNaN(ms)) from = new Date(ms - this.overlapMs).toISOString();
    }
    const params: Record<string, string> = { columns: SEARCH_COLUMNS };
    if (from) params.updatedOn = `${from}/`;
    for await (const row of this.options.brightpearl.search(SEARCH_PATH, params)) {
      const id = Number(row.productId);
      if (isValidId(id)) due.set(id, Number(row.productGroupId ?? 0) || 0);
    }

    // Rows still Failed or Pending in the log are retried by every unscoped run.
    const again = [...ctx.store.items.entityIds('product', 'failed'), ...ctx.store.items.entityIds('product', 'pending')]
      .map(Number)
      .filter((id) => isValidId(id) && !due.has(id));
    let unknown: number[] = [];
    if (again.length) {
      if (from) {
        const found = await this.searchByIds(again);
        for (const [id, groupId] of found) due.set(id, groupId);
        unknown = again.filter((id) => !found.has(id));
      } else {
        unknown = again; // a full sweep already listed every product Brightpearl has
      }
    }
    return { due, unknown, full: !from };
  }

  private async searchByIds(ids: number[]): Promise<Map<number, number>> {
    const found = new Map<number, number>();
    for (const chunk of idSetChunks(ids.filter(isValidId), { maxIds: 500 })) {
      for await (const row of this.options.brightpearl.search(SEARCH_PATH, { columns: SEARCH_COLUMNS, productId: chunk.idSet })) {
        const id = Number(row.productId);
        if (isValidId(id)) found.set(id, Number(row.productGroupId ?? 0) || 0);
      }
    }
    return found;
  }

  /** Completes every touched group with its other members (context) and packs whole groups into chunks. */
  private async plan(ctx: FlowContext, selection: { due: Map<number, number>; full: boolean }): Promise<Chunk[]> {
    const { due } = selection;
    const members = new Map<number, Set<number>>();
    const groups = new Set([...due.values()].filter((g) => g !== 0));
    for (const [id, groupId] of due) if (groupId !== 0) (members.get(groupId) ?? members.set(groupId, new Set()).get(groupId))?.add(id);

    if (!selection.full && groups.size > 0) {
      const addMember = (row: SearchRow) => {
        const id = Number(row.productId);
        const groupId = Number(row.productGroupId ?? 0) || 0;
        if (isValidId(id) && groups.has(groupId)) members.get(groupId)?.add(id);
      };
      if (groups.size <= this.groupSearchLimit) {
        for (const groupId of groups) {
          for await (const row of this.options.brightpearl.search(SEARCH_PATH, { columns: SEARCH_COLUMNS, productGroupId: groupId })) addMember(row);
          if (ctx.signal.aborted) return [];
        }
      } else {
        for await (const row of this.options.brightpearl.search(SEARCH_PATH, { columns: SEARCH_COLUMNS })) addMember(row);
      }
    }

    const units: Chunk[] = [];
    for (const [id, groupId] of due) if (groupId === 0) units.push({ due: [id], context: [] });
    for (const [, ids] of members) {
      const sorted = [...ids].sort((a, b) => a - b);
      units.push({ due: sorted.filter((id) => due.has(id)), context: sorted.filter((id) => !due.has(id)) });
    }
    units.sort((a, b) => (a.due[0] ?? 0) - (b.due[0] ?? 0));

    const chunks: Chunk[] = [];
    let current: Chunk = { due: [], context: [] };
    for (const unit of units) {
      const size = unit.due.length + unit.context.length;
      if (current.due.length > 0 && current.due.length + current.context.length + size > this.chunkSize) {
        chunks.push(current);
        current = { due: [], context: [] };
      }
      current.due.push(...unit.due);
      current.context.push(...unit.context);
    }
    if (current.due.length > 0) chunks.push(current);
    return chunks;
  }

  private async resolvePriceList(): Promise<PriceList> {
    const configured = this.options.mappings().priceListId;
    const lists = await this.options.brightpearl.getPriceLists();
    if (configured !== null) {
      const list = lists.find((l) => l.id === configured);
      if (!list) {
        throw new Error(`Price list ${configured}, chosen on the Settings tab, does not exist in Brightpearl. Choose another price list so products can be synced with their prices.`);
      }
      return { id: list.id, label: `"${list.name}" (${list.id})` };
    }
    const sell = lists.find((l) => (l.priceListTypeCode ?? '').toUpperCase() === 'SELL');
    if (!sell) throw new Error('Brightpearl has no SELL price list to take product prices from. Create one in Brightpearl or choose a price list on the Settings tab.');
    return { id: sell.id, label: `"${sell.name}" (${sell.id})` };
  }

  // --- one chunk ------------------------------------------------------------------------------

  private async syncChunk(ctx: FlowContext, chunk: Chunk, run: RunState): Promise<void> {
    ctx.seen(chunk.due.map((id) => ({ entityId: String(id), bpId: String(id), info: String(id) })));
    const out = new ChunkOutcomes(new Set(chunk.due));
    try {
      await this.processChunk(ctx, chunk, run, out);
    } catch (err) {
      ctx.log.warn({ flow: 'product', err: errorText(err) }, 'product chunk failed');
      out.failRest(`Could not finish syncing this product: ${errorText(err)}. It will be retried on the next run.`);
    }
    out.failRest('The product flow could not decide what to do with this product; it will be retried on the next run.');
    if (out.links.length) ctx.store.mappings.link(out.links);
    ctx.record([...out.byId.values()]);
  }

  private async processChunk(ctx: FlowContext, chunk: Chunk, run: RunState, out: ChunkOutcomes): Promise<void> {
    const priceList = run.priceList as PriceList;
    const candidates = await this.readCandidates(chunk, run, out);
    const dueCandidates = [...candidates.values()].filter((c) => c.due);
    if (dueCandidates.length === 0) return;
    await this.readPrices(dueCandidates, priceList, out);
    /** Context members, and due products nothing has been decided for yet. */
    const open = (c: Candidate) => !c.due || !out.has(c.id);

    // --- where each product is in WooCommerce ---
    const targets = new Map<number, { cur: WooCurrent; via: 'mapping' | 'sku' }>();
    const parents = new Map<number, WooCurrent>();
    const groupIds = [...new Set(dueCandidates.filter(open).map((c) => c.groupId).filter((g) => g !== 0))];
    const claimed = new Map<number, number>(); // wcId → Brightpearl product id

    const mapped = new Map<number, IdMapping>();
    for (const c of candidates.values()) {
      const m = ctx.store.mappings.byBrightpearl('product', String(c.id));
      if (m && Number(m.wcId) > 0) mapped.set(c.id, m);
    }
    const groupMapped = new Map<number, IdMapping>();
    for (const g of groupIds) {
      const m = ctx.store.mappings.byBrightpearl('product', groupKey(g));
      if (m && Number(m.wcId) > 0) groupMapped.set(g, m);
    }
    const byMapping = await this.readWoo([
      ...[...mapped.values()].map((m) => ({ id: Number(m.wcId), parentId: m.wcParentId ? Number(m.wcParentId) : 0 })),
      ...[...groupMapped.values()].map((m) => ({ id: Number(m.wcId), parentId: 0 })),
    ]);
    for (const [id, m] of mapped) {
      const cur = byMapping.get(Number(m.wcId));
      if (cur && cur.parentId === (m.wcParentId ? Number(m.wcParentId) : 0)) {
        targets.set(id, { cur, via: 'mapping' });
        claimed.set(cur.id, id);
      }
    }
    for (const [g, m] of groupMapped) {
      const cur = byMapping.get(Number(m.wcId));
      if (cur && cur.type === 'variable') parents.set(g, cur);
    }

    // SKU lookup for the rest (a mapping whose WooCommerce product was deleted counts as none).
    const unresolved = [...candidates.values()].filter((c) => open(c) && !targets.has(c.id) && c.sku !== '');
    if (unresolved.length) {
      const hits = this.indexBySku(await this.options.woocommerce.findBySkus(unresolved.map((c) => c.sku)));
      const found = await this.readWoo(
        unresolved.flatMap((c) => {
          const s = hits.get(c.sku.toLowerCase());
          return s ? [{ id: s.id, parentId: s.parent_id }] : [];
        }),
      );
      const contested: { c: Candidate; cur: WooCurrent; otherId: number }[] = [];
      for (const c of unresolved) {
        const s = hits.get(c.sku.toLowerCase());
        const cur = s ? found.get(s.id) : undefined;
        if (!cur) continue;
        const holder = claimed.get(cur.id);
        const owner = ctx.store.mappings.byWooCommerce('product', String(cur.id));
        const otherId = holder ?? (owner && /^\d+$/.test(owner.bpId) && Number(owner.bpId) !== c.id ? Number(owner.bpId) : undefined);
        if (otherId !== undefined && otherId !== c.id) {
          if (holder !== undefined || candidates.has(otherId)) {
            if (c.due) out.fail(c.id, contestedMessage(c, cur, otherId));
            continue;
          }
          contested.push({ c, cur, otherId });
          continue;
        }
        targets.set(c.id, { cur, via: 'sku' });
        claimed.set(cur.id, c.id);
      }
      if (contested.length) {
        // The WooCommerce product is linked to another Brightpearl product: take it over only if
        // that product no longer exists or no longer uses the SKU.
        const others = await this.readRecords((set) => `product-service/product/${set}`, contested.map((x) => x.otherId), ProductSchema, (r) => numericId(r, 'id'), PRODUCT_GET_MAX_IDS);
        for (const { c, cur, otherId } of contested) {
          const other = others.records.get(otherId);
          // An unreadable record may well still use the SKU: don't take its product away.
          const stillUses = others.invalid.has(otherId) || (other !== undefined && other.identity.sku?.trim().toLowerCase() === c.sku.toLowerCase());
          if (stillUses) {
            if (c.due) out.fail(c.id, contestedMessage(c, cur, otherId));
          } else if (!claimed.has(cur.id)) {
            targets.set(c.id, { cur, via: 'sku' });
            claimed.set(cur.id, c.id);
          }
        }
      }
    }

    // Parents of groups without a stored parent: the parent of the members' variations.
    const parentless = groupIds.filter((g) => !parents.has(g));
    if (parentless.length) {
      const chosen = new Map<number, number>();
      for (const g of parentless) {
        const counts = new Map<number, number>();
        for (const c of candidates.values()) {
          const t = targets.get(c.id);
          if (c.groupId === g && t && t.cur.parentId) counts.set(t.cur.parentId, (counts.get(t.cur.parentId) ?? 0) + 1);
        }
        const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
        if (best) chosen.set(g, best[0]);
      }
      const read = await this.readWoo([...chosen.values()].map((id) => ({ id, parentId: 0 })));
      for (const [g, id] of chosen) {
        const cur = read.get(id);
        if (cur && cur.type === 'variable') {
          parents.set(g, cur);
          out.link(groupKey(g), cur.id, 0);
        }
      }
    }

    // --- what to write ---
    const writes: WriteItem[] = [];
    const groupCreates: number[] = [];
    for (const c of dueCandidates) {
      if (out.has(c.id)) continue;
      const t = targets.get(c.id);
      if (!t) {
        if (c.groupId === 0) writes.push({ subject: { kind: 'product', c }, parentId: 0, create: true, payload: this.simpleCreate(c), changed: [] });
        else if (!groupCreates.includes(c.groupId) && !parents.has(c.groupId)) groupCreates.push(c.groupId);
        continue;
      }
      const planned = this.planUpdate(c, t.cur, candidates, out);
      if (planned || out.byId.get(c.id)?.status === 'unchanged') out.link(String(c.id), t.cur.id, t.cur.parentId);
      if (planned) writes.push({ ...planned, intro: t.via === 'sku' ? `Matched by SKU to ${where(t.cur)}` : undefined });
    }

    // Variable parents: create missing ones first (their variations need the id), plan updates of the others.
    const parentNotes = new Map<number, string>();
    for (const g of groupCreates) {
      const created = await this.createParent(ctx, g, candidates, parents, out);
      if (created) parentNotes.set(g, `created the variable product ${created.id}`);
    }
    for (const g of groupIds) {
      const parent = parents.get(g);
      if (!parent || parentNotes.has(g)) continue;
      const update = this.parentUpdate(g, parent, candidates);
      if (update) writes.push(update);
    }
    for (const c of dueCandidates) {
      if (out.has(c.id) || targets.has(c.id) || c.groupId === 0) continue;
      const parent = parents.get(c.groupId);
      if (!parent) continue; // createParent failed them
      writes.push({ subject: { kind: 'product', c }, parentId: parent.id, create: true, payload: this.variationCreate(c, candidates), changed: [] });
    }

    // --- write: products first (simple creates and updates, parent updates), then variations per parent ---
    const conflicts: { c: Candidate; resourceId: number; request: unknown }[] = [];
    const parentErrors = new Map<number, string>();
    const settle = (item: WriteItem, result: WriteResult) => {
      if (item.subject.kind === 'parent') {
        const g = item.subject.groupId;
        if (result.ok) parentNotes.set(g, `updated ${item.changed.join(', ')} on the variable product ${item.wcId}`);
        else parentErrors.set(g, `WooCommerce rejected the update of the variable product ${item.wcId} (${item.changed.join(', ')}): ${result.error.code} ${result.error.message}`);
        return;
      }
      const { c } = item.subject;
      const request = { ...(item.wcId ? { id: item.wcId } : {}), ...(item.parentId ? { parentId: item.parentId } : {}), ...item.payload };
      if (!result.ok) {
        if (item.create && result.error.code === 'product_invalid_sku' && result.error.resourceId) {
          conflicts.push({ c, resourceId: result.error.resourceId, request });
          return;
        }
        const verb = item.create ? `the new ${item.parentId ? 'variation' : 'product'}` : `the update of ${where({ id: item.wcId ?? 0, parentId: item.parentId })}`;
        const hint =
          result.error.code === 'product_invalid_sku' && result.error.resourceId
            ? ` (WooCommerce item ${result.error.resourceId} already has SKU ${c.sku}; give one of them another SKU)`
            : '';
        out.fail(c.id, `WooCommerce rejected ${verb}: ${result.error.code} ${result.error.message}${hint}`, { request, response: result.error });
        return;
      }
      const target = { id: result.id, parentId: item.parentId };
      out.link(String(c.id), result.id, item.parentId);
      let message: string;
      if (item.create) {
        const option = c.groupId && item.parentId ? ` (${c.options.map((o) => `${o.name}: ${o.value}`).join(', ')})` : ' (simple)';
        message = `Created ${where(target)}${option}`;
        if (!c.live) message += ` as ${item.parentId ? 'a disabled (private) variation' : 'a draft'} because its Brightpearl status is ${c.bpStatus}`;
        if (c.price === undefined) message += `; Brightpearl has no price for it in price list ${priceList.label}, so it has no regular price in WooCommerce`;
      } else {
        message = item.intro ? `${item.intro}; updated ${item.changed.join(', ')}` : `Updated ${item.changed.join(', ')} on ${where(target)}`;
        if (c.price === undefined) message += `; Brightpearl has no price for it in price list ${priceList.label}, so the WooCommerce regular price was left as it is`;
      }
      out.set(c.id, { entityId: String(c.id), status: 'synced', message, wcId: String(result.id), value: valueOf(c), request, response: { id: result.id } });
    };
    await this.executeWrites(writes, settle);

    // Duplicate SKU on create: the product already exists (made after our lookup): link and update it.
    if (conflicts.length) await this.resolveConflicts(ctx, conflicts, candidates, claimed, out, settle);

    // Parent results reach the members' rows: a parent write is told on the members written with
    // it, or, when none was, on the unchanged ones (whose Brightpearl data caused it).
    const writtenGroups = new Set(dueCandidates.filter((c) => c.groupId !== 0 && out.byId.get(c.id)?.status === 'synced').map((c) => c.groupId));
    for (const c of dueCandidates) {
      if (c.groupId === 0) continue;
      const failure = parentErrors.get(c.groupId);
      const note = parentNotes.get(c.groupId);
      const current = out.byId.get(c.id);
      if (failure) {
        if (!current || current.status !== 'failed') out.fail(c.id, `${failure}. The variation itself is up to date; this is retried on the next run.`, {}, true);
      } else if (note && current && current.status === 'synced') {
        out.set(c.id, { ...current, message: `${current.message ?? ''}; ${note}` }, true);
      } else if (note && current && current.status === 'unchanged' && !writtenGroups.has(c.groupId)) {
        const t = targets.get(c.id);
        out.set(c.id, { entityId: String(c.id), status: 'synced', message: `${t ? where(t.cur) : 'The variation'} was up to date; ${note}`, wcId: current.wcId, value: current.value }, true);
      }
    }
  }

  // --- reading Brightpearl --------------------------------------------------------------------

  /** Reads every record of an ID-set GET, checking each one on its own. */
  private async readRecords<T>(
    path: (idSet: string) => string,
    ids: number[],
    schema: z.ZodType<T>,
    idOf: (raw: unknown) => number | undefined,
    maxIds: number,
  ): Promise<{ records: Map<number, T>; invalid: Map<number, string> }> {
    const records = new Map<number, T>();
    const invalid = new Map<number, string>();
    for (const chunk of idSetChunks(ids.filter(isValidId), { maxIds })) {
      const body = await this.options.brightpearl.get(path(chunk.idSet));
      const list = Array.isArray(body) ? body : body === undefined || body === null ? [] : undefined;
      if (!list) throw new Error(`Brightpearl answered GET ${path('…')} with ${typeof body} where a list of records was expected`);
      for (const raw of list) {
        const id = idOf(raw);
        if (id === undefined) continue;
        const parsed = schema.safeParse(raw);
        if (parsed.success) records.set(id, parsed.data);
        else invalid.set(id, describeIssues(parsed.error));
      }
    }
    return { records, invalid };
  }

  private async readCandidates(chunk: Chunk, run: RunState, out: ChunkOutcomes): Promise<Map<number, Candidate>> {
    const dueSet = new Set(chunk.due);
    const ids = [...chunk.due, ...chunk.context];
    let details: { records: Map<number, BrightpearlProduct>; invalid: Map<number, string> };
    try {
      details = await this.readRecords((set) => `product-service/product/${set}`, ids, ProductSchema, (r) => numericId(r, 'id'), PRODUCT_GET_MAX_IDS);
    } catch (err) {
      for (const id of chunk.due) out.fail(id, `Could not read the product from Brightpearl: ${errorText(err)}. It will be retried on the next run.`);
      return new Map();
    }
    const candidates = new Map<number, Candidate>();
    for (const id of ids) {
      const due = dueSet.has(id);
      const fail = (message: string) => {
        if (due) out.fail(id, message);
      };
      const problem = details.invalid.get(id);
      const product = details.records.get(id);
      if (problem !== undefined) {
        fail(`Brightpearl product ${id} could not be read: ${problem}. Correct the product in Brightpearl; it syncs on the next run.`);
        continue;
      }
      if (!product) {
        fail(`Brightpearl returned no product ${id} (it may have been deleted). Its WooCommerce product, if any, was left as it is.`);
        continue;
      }
      const channel: BrightpearlSalesChannel | undefined = product.salesChannels.find((ch) => ch.salesChannelName === 'Brightpearl') ?? product.salesChannels[0];
      const name = channel?.productName.trim() ?? '';
      const sku = product.identity.sku?.trim() ?? '';
      const groupId = product.productGroupId ?? 0;
      const options = product.variations.map((v) => ({ name: v.optionName.trim(), value: v.optionValue.trim() })).filter((o) => o.name !== '' && o.value !== '');
      // Brightpearl does not always send a status; only an explicit non-LIVE one unpublishes.
      const bpStatus = (product.status ?? 'LIVE').trim().toUpperCase();
      if (name === '') {
        fail(`Brightpearl product ${id} has no name (salesChannels holds no product name); give it a name in Brightpearl.`);
        continue;
      }
      if (groupId !== 0 && options.length === 0) {
        fail(`Brightpearl product ${id} is in product group ${groupId} but has no option values (such as Size: M), so it cannot become a variation. Add its options in Brightpearl, or take it out of the group.`);
        continue;
      }
      // The two failures below still leave the product in `candidates`, so a group's parent (its
      // name comes from the first member) looks the same whether or not this member is due.
      // SKU-less products are failed, not created without a SKU: the SKU is the only key that finds a
      // product again if the stored mapping is lost (a database restore), it is what makes a lost
      // create answer harmless (product_invalid_sku links instead of duplicating), and the inventory
      // and order flows match products by SKU, so a SKU-less product could never get stock or orders.
      if (sku === '') {
        fail(`Brightpearl product ${id} has no SKU; add one in Brightpearl so it can be matched to WooCommerce.`);
      } else if (due) {
        const key = sku.toLowerCase();
        const owner = run.skuOwners.get(key);
        if (owner !== undefined && owner !== id) fail(`SKU "${sku}" is also used by Brightpearl product ${owner}; give each product its own SKU in Brightpearl.`);
        else run.skuOwners.set(key, id);
      }
      candidates.set(id, { id, due, name, sku, description: channel?.description?.text ?? '', live: bpStatus === 'LIVE', bpStatus, groupId, options });
    }
    return candidates;
  }

  private async readPrices(candidates: Candidate[], priceList: PriceList, out: ChunkOutcomes): Promise<void> {
    const wanted = candidates.filter((c) => !out.has(c.id));
    if (wanted.length === 0) return;
    const prices = await this.readRecords(
      (set) => `product-service/product-price/${set}/price-list/${priceList.id}`,
      wanted.map((c) => c.id),
      ProductPriceSchema,
      (r) => numericId(r, 'productId'),
      PRODUCT_PRICE_MAX_IDS,
    );
    for (const c of wanted) {
      const problem = prices.invalid.get(c.id);
      if (problem !== undefined) {
        out.fail(c.id, `Brightpearl's price record for product ${c.id} could not be read: ${problem}. Check its prices in Brightpearl.`);
        continue;
      }
      const raw = prices.records.get(c.id)?.priceLists.find((l) => l.priceListId === priceList.id)?.quantityPrice['1'];
      if (raw === undefined || raw.trim() === '') continue; // no price: written without one, and said so
      const price = normalizePrice(raw);
      if (price === undefined) {
        out.fail(c.id, `Brightpearl's price "${raw}" for product ${c.id} in price list ${priceList.label} is not a price WooCommerce can take; correct it in Brightpearl.`);
        continue;
      }
      c.price = price;
    }
  }

  // --- reading WooCommerce --------------------------------------------------------------------

  private indexBySku(found: WooProductSummary[]): Map<string, WooProductSummary> {
    const bySku = new Map<string, WooProductSummary>();
    for (const s of found) {
      const key = s.sku.toLowerCase();
      if (!bySku.has(key)) bySku.set(key, s);
    }
    return bySku;
  }

  /** Full records (the fields we compare) of products and variations, by id; missing ones are absent. */
  private async readWoo(refs: { id: number; parentId: number }[]): Promise<Map<number, WooCurrent>> {
    const out = new Map<number, WooCurrent>();
    const productIds = [...new Set(refs.filter((r) => r.parentId === 0).map((r) => r.id))];
    for (const part of chunked(productIds, WOO_IDS_PER_READ)) {
      for await (const p of this.options.woocommerce.listProducts({ include: part, per_page: WOO_IDS_PER_READ })) out.set(p.id, fromProduct(p));
    }
    const byParent = new Map<number, Set<number>>();
    for (const r of refs) if (r.parentId !== 0) (byParent.get(r.parentId) ?? byParent.set(r.parentId, new Set()).get(r.parentId))?.add(r.id);
    for (const [parentId, ids] of byParent) {
      for (const part of chunked([...ids], WOO_IDS_PER_READ)) {
        try {
          for await (const v of this.options.woocommerce.listVariations(parentId, { include: part, per_page: WOO_IDS_PER_READ })) out.set(v.id, fromVariation(v, parentId));
        } catch (err) {
          // The parent is gone: its variations are simply not there any more.
          if (err instanceof WooCommerceError && (err.status === 404 || err.status === 400)) continue;
          throw err;
        }
      }
    }
    return out;
  }

  // --- planning -------------------------------------------------------------------------------

  private statusFor(c: Candidate, variation: boolean): 'publish' | 'draft' | 'private' {
    if (c.live) return 'publish';
    return variation ? 'private' : 'draft';
  }

  private simpleCreate(c: Candidate): ProductWrite {
    const body: ProductWrite = { type: 'simple', name: c.name, sku: c.sku, status: this.statusFor(c, false), description: c.description };
    if (c.price !== undefined) body.regular_price = c.price;
    return body;
  }

  /** The group's members this chunk knows, first member (lowest id) first. */
  private membersOf(groupId: number, candidates: Map<number, Candidate>): Candidate[] {
    return [...candidates.values()].filter((c) => c.groupId === groupId).sort((a, b) => a.id - b.id);
  }

  private parentShape(groupId: number, candidates: Map<number, Candidate>) {
    const members = this.membersOf(groupId, candidates);
    const first = members[0] as Candidate;
    const attributes: { name: string; options: string[] }[] = [];
    for (const m of members) {
      for (const o of m.options) {
        let attribute = attributes.find((a) => a.name.toLowerCase() === o.name.toLowerCase());
        if (!attribute) attributes.push((attribute = { name: o.name, options: [] }));
        if (!attribute.options.includes(o.value)) attribute.options.push(o.value);
      }
    }
    return {
      name: parentNameFor(first.name, first.options.map((o) => o.value)),
      description: first.description,
      status: members.some((m) => m.live) ? ('publish' as const) : ('draft' as const),
      attributes,
    };
  }

  /** A variation's own description only when it says something the parent's does not. */
  private variationDescription(c: Candidate, candidates: Map<number, Candidate>): string {
    const shape = this.parentShape(c.groupId, candidates);
    return sameText(c.description, shape.description) ? '' : c.description;
  }

  private variationCreate(c: Candidate, candidates: Map<number, Candidate>): VariationWrite {
    const body: VariationWrite = {
      sku: c.sku,
      status: this.statusFor(c, true),
      attributes: c.options.map((o) => ({ name: o.name, option: o.value })),
    };
    const description = this.variationDescription(c, candidates);
    if (description !== '') body.description = description;
    if (c.price !== undefined) body.regular_price = c.price;
    return body;
  }

  /** What differs between Brightpearl and an existing product or variation; undefined = up to date (outcome set). */
  private planUpdate(c: Candidate, cur: WooCurrent, candidates: Map<number, Candidate>, out: ChunkOutcomes): Omit<WriteItem, 'intro'> | undefined {
    const isVariation = cur.parentId !== 0;
    if (!isVariation && (cur.type === 'variable' || cur.type === 'grouped')) {
      out.fail(
        c.id,
        `SKU ${c.sku} belongs to the ${cur.type} product ${cur.id} in WooCommerce, which cannot take a single Brightpearl product's data. Give that WooCommerce product another SKU (or remove it) so this product can be created.`,
      );
      return undefined;
    }
    if (!isVariation && c.groupId !== 0) {
      const option = c.options.map((o) => `${o.name}: ${o.value}`).join(', ');
      out.fail(
        c.id,
        `In Brightpearl this product is a variant (${option}) of product group ${c.groupId}, but in WooCommerce its SKU ${c.sku} belongs to the ${cur.type} product ${cur.id}. Remove that product or change its SKU in WooCommerce so the variant can be created as a variation, or take the product out of its group in Brightpearl.`,
      );
      return undefined;
    }

    const payload: Record<string, unknown> = {};
    const changed: string[] = [];
    if (!isVariation) {
      if (!sameText(cur.name, c.name)) {
        payload.name = c.name;
        changed.push('name');
      }
      if (!sameText(cur.description, c.description)) {
        payload.description = c.description;
        changed.push('description');
      }
    } else if (c.groupId !== 0) {
      const description = this.variationDescription(c, candidates);
      if (!sameText(cur.description, description)) {
        payload.description = description;
        changed.push('description');
      }
      const options = new Map(cur.variationAttributes.map((a) => [a.name.toLowerCase(), a]));
      const differs = c.options.some((o) => options.get(o.name.toLowerCase())?.option !== o.value);
      if (differs) {
        payload.attributes = c.options.map((o) => {
          const existing = options.get(o.name.toLowerCase());
          return existing?.id ? { id: existing.id, name: o.name, option: o.value } : { name: o.name, option: o.value };
        });
        changed.push('option');
      }
    }
    if (cur.sku !== c.sku) {
      payload.sku = c.sku;
      changed.push('SKU');
    }
    if (c.price !== undefined && !samePrice(cur.regularPrice, c.price)) {
      payload.regular_price = c.price;
      changed.push('regular price');
    }
    const status = this.statusFor(c, isVariation);
    if (cur.status !== status) {
      payload.status = status;
      changed.push(c.live ? `status (${status})` : `status (${status}, Brightpearl status ${c.bpStatus})`);
    }
    if (changed.length === 0) {
      out.set(c.id, { entityId: String(c.id), status: 'unchanged', wcId: String(cur.id), value: valueOf(c) });
      return undefined;
    }
    return { subject: { kind: 'product', c }, parentId: cur.parentId, create: false, wcId: cur.id, payload, changed };
  }

  private parentUpdate(groupId: number, parent: WooCurrent, candidates: Map<number, Candidate>): WriteItem | undefined {
    const shape = this.parentShape(groupId, candidates);
    const payload: ProductWrite = {};
    const changed: string[] = [];
    if (!sameText(parent.name, shape.name)) {
      payload.name = shape.name;
      changed.push('name');
    }
    if (!sameText(parent.description, shape.description)) {
      payload.description = shape.description;
      changed.push('description');
    }
    if (parent.status !== shape.status) {
      payload.status = shape.status;
      changed.push(`status (${shape.status})`);
    }
    const merged = mergeAttributes(parent.productAttributes, shape.attributes);
    if (merged.changed) {
      payload.attributes = merged.attributes;
      changed.push('options');
    }
    if (changed.length === 0) return undefined;
    return { subject: { kind: 'parent', groupId }, parentId: 0, create: false, wcId: parent.id, payload, changed };
  }

  /** Creates a group's variable product; returns it when created (undefined when linked to an existing one, or failed). */
  private async createParent(
    ctx: FlowContext,
    groupId: number,
    candidates: Map<number, Candidate>,
    parents: Map<number, WooCurrent>,
    out: ChunkOutcomes,
  ): Promise<WooCurrent | undefined> {
    const shape = this.parentShape(groupId, candidates);
    const body: ProductWrite = {
      type: 'variable',
      name: shape.name,
      sku: parentSku(groupId),
      status: shape.status,
      description: shape.description,
      attributes: shape.attributes.map((a, position) => ({ name: a.name, position, visible: true, variation: true, options: a.options })),
    };
    const failMembers = (message: string, response?: unknown) => {
      for (const c of this.membersOf(groupId, candidates)) if (c.due && !out.has(c.id)) out.fail(c.id, message, { request: body, response });
    };
    try {
      const created = await this.options.woocommerce.createProduct(body);
      const cur = fromProduct(created);
      parents.set(groupId, cur);
      // Stored at once: if the run dies before the variations exist, the next one still finds the parent.
      ctx.store.mappings.link([{ type: 'product', bpId: groupKey(groupId), wcId: String(cur.id), wcParentId: null }]);
      return cur;
    } catch (err) {
      if (err instanceof WooCommerceError && err.code === 'product_invalid_sku' && err.resourceId) {
        const existing = (await this.readWoo([{ id: err.resourceId, parentId: 0 }])).get(err.resourceId);
        if (existing && existing.type === 'variable') {
          parents.set(groupId, existing);
          ctx.store.mappings.link([{ type: 'product', bpId: groupKey(groupId), wcId: String(existing.id), wcParentId: null }]);
          return undefined;
        }
        failMembers(
          `Could not create the WooCommerce variable product for product group ${groupId}: its SKU ${parentSku(groupId)} is already used by WooCommerce ${existing ? `${existing.type} product` : 'item'} ${err.resourceId}. Change that SKU in WooCommerce; this is retried on the next run.`,
          { code: err.code, resourceId: err.resourceId },
        );
        return undefined;
      }
      failMembers(`Could not create the WooCommerce variable product for product group ${groupId}: ${errorText(err)}. It will be retried on the next run.`);
      return undefined;
    }
  }

  // --- writing --------------------------------------------------------------------------------

  /** Products endpoint first, then each parent's variations; creates and updates batched together. */
  private async executeWrites(writes: WriteItem[], settle: (item: WriteItem, result: WriteResult) => void): Promise<void> {
    const byEndpoint = new Map<number, WriteItem[]>();
    for (const w of writes) byEndpoint.set(w.parentId, [...(byEndpoint.get(w.parentId) ?? []), w]);
    const order = [...byEndpoint.keys()].sort((a, b) => a - b);
    for (const parentId of order) {
      const items = byEndpoint.get(parentId) as WriteItem[];
      const creates = items.filter((i) => i.create);
      const updates = items.filter((i) => !i.create);
      let result: { create: BatchItemResult<{ id: number }>[]; update: BatchItemResult<{ id: number }>[] };
      try {
        result =
          parentId === 0
            ? await this.options.woocommerce.batchProducts({
                create: creates.map((i) => i.payload as ProductWrite),
                update: updates.map((i) => ({ ...(i.payload as ProductWrite), id: i.wcId })),
              })
            : await this.options.woocommerce.batchVariations(parentId, {
                create: creates.map((i) => i.payload as VariationWrite),
                update: updates.map((i) => ({ ...(i.payload as VariationWrite), id: i.wcId })),
              });
      } catch (err) {
        const error: BatchItemError = { code: err instanceof WooCommerceError && err.code ? err.code : 'request_failed', message: `${errorText(err)} (retried on the next run)`, status: 0 };
        for (const item of items) settle(item, { ok: false, error });
        continue;
      }
      const apply = (list: WriteItem[], results: BatchItemResult<{ id: number }>[]) =>
        list.forEach((item, i) => {
          const r = results[i];
          if (!r) settle(item, { ok: false, error: { code: 'woocommerce_no_result', message: 'WooCommerce returned no result for this item in the batch', status: 0 } });
          else if (r.ok) settle(item, { ok: true, id: r.item.id });
          else settle(item, { ok: false, error: r.error });
        });
      apply(creates, result.create);
      apply(updates, result.update);
    }
  }

  private async resolveConflicts(
    ctx: FlowContext,
    conflicts: { c: Candidate; resourceId: number; request: unknown }[],
    candidates: Map<number, Candidate>,
    claimed: Map<number, number>,
    out: ChunkOutcomes,
    settle: (item: WriteItem, result: WriteResult) => void,
  ): Promise<void> {
    // findBySkus says whether the resource is a product or a variation (and of which parent).
    const hits = await this.options.woocommerce.findBySkus(conflicts.map((x) => x.c.sku));
    const byId = new Map(hits.map((h) => [h.id, h]));
    const bySku = this.indexBySku(hits);
    const refs = conflicts.map(({ c, resourceId }) => {
      const s = byId.get(resourceId) ?? bySku.get(c.sku.toLowerCase());
      return s ? { id: s.id, parentId: s.parent_id } : { id: resourceId, parentId: 0 };
    });
    const found = await this.readWoo(refs);
    const writes: WriteItem[] = [];
    conflicts.forEach(({ c, resourceId, request }, i) => {
      const ref = refs[i] as { id: number; parentId: number };
      const cur = found.get(ref.id);
      if (!cur) {
        out.fail(c.id, `WooCommerce refused SKU ${c.sku} because item ${resourceId} already has it, but that item could not be read. Check it in WooCommerce; this is retried on the next run.`, { request });
        return;
      }
      const owner = ctx.store.mappings.byWooCommerce('product', String(cur.id));
      const holder = claimed.get(cur.id) ?? (owner && /^\d+$/.test(owner.bpId) ? Number(owner.bpId) : undefined);
      if (holder !== undefined && holder !== c.id) {
        out.fail(c.id, contestedMessage(c, cur, holder), { request });
        return;
      }
      claimed.set(cur.id, c.id);
      const intro = `Linked to existing ${where(cur)} that already had SKU ${cur.sku || c.sku}`;
      const planned = this.planUpdate(c, cur, candidates, out);
      if (planned) {
        writes.push({ ...planned, intro });
      } else if (out.byId.get(c.id)?.status === 'unchanged') {
        out.link(String(c.id), cur.id, cur.parentId);
        out.set(c.id, { entityId: String(c.id), status: 'synced', message: `${intro}; it was already up to date`, wcId: String(cur.id), value: valueOf(c), request }, true);
      }
    });
    await this.executeWrites(writes, settle);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers over WooCommerce records

function textField(record: Record<string, unknown>, field: string): string {
  const v = record[field];
  return typeof v === 'string' ? v : '';
}

function fromProduct(p: WooProduct): WooCurrent {
  return {
    id: p.id,
    parentId: 0,
    type: p.type,
    name: p.name,
    sku: p.sku,
    description: textField(p, 'description'),
    regularPrice: p.regular_price,
    status: p.status,
    // A product's attributes carry `options`; the {id,name,option} form only appears on variations.
    productAttributes: p.attributes.flatMap((a) => {
      const options = (a as { options?: unknown }).options;
      if (!Array.isArray(options)) return [];
      const { position, visible, variation } = a as { position?: number; visible?: boolean; variation?: boolean };
      return [{ id: a.id, name: a.name, position, visible, variation, options: options.map(String) }];
    }),
    variationAttributes: [],
  };
}

function fromVariation(v: WooVariation, parentId: number): WooCurrent {
  return {
    id: v.id,
    parentId,
    type: 'variation',
    name: v.name ?? '',
    sku: v.sku,
    description: textField(v, 'description'),
    regularPrice: v.regular_price,
    status: v.status,
    productAttributes: [],
    variationAttributes: v.attributes.map((a) => ({ id: a.id, name: a.name, option: a.option })),
  };
}

/**
 * The parent's attributes with every option the group needs. Existing attributes and options are
 * kept (other variations may use them); WooCommerce replaces the whole list on write, so it is
 * sent complete.
 */
export function mergeAttributes(existing: ProductAttribute[], wanted: { name: string; options: string[] }[]): { attributes: ProductAttribute[]; changed: boolean } {
  const attributes = existing.map((a) => ({ ...a, options: [...a.options] }));
  let changed = false;
  for (const w of wanted) {
    const found = attributes.find((a) => a.name.toLowerCase() === w.name.toLowerCase());
    if (!found) {
      attributes.push({ id: 0, name: w.name, position: attributes.length, visible: true, variation: true, options: [...w.options] });
      changed = true;
      continue;
    }
    for (const option of w.options) {
      if (!found.options.some((o) => o.toLowerCase() === option.toLowerCase())) {
        found.options.push(option);
        changed = true;
      }
    }
    if (found.variation !== true) {
      found.variation = true;
      changed = true;
    }
  }
  return { attributes, changed };
}

function contestedMessage(c: Candidate, cur: WooCurrent, otherId: number): string {
  return `SKU ${c.sku} is on ${where(cur)}, which is linked to Brightpearl product ${otherId}. If product ${otherId} no longer uses this SKU, this resolves on the next run; if both products are real, give them different SKUs in Brightpearl.`;
}

/** What the log keeps as the product's last value. */
function valueOf(c: Candidate): string {
  return `${c.live ? 'live' : c.bpStatus.toLowerCase()} · ${c.price ?? 'no price'}`;
}
