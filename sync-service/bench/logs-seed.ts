/**
 * A realistic sync log for the logs API benchmark: one big type (every product's stock, as a
 * large catalogue's inventory flow leaves it) plus the other types, a mix of statuses, names a
 * store owner searches for, reasons on Failed rows, and dates spread over six months.
 * Written in one transaction with one prepared statement.
 */
import type { Db } from '../src/store/database';
import { seededRandom, pick, randomInt } from '../src/simulators/shared/random';

const NOUNS = ['Mug', 'Bottle', 'Tee', 'Hoodie', 'Cap', 'Tote', 'Notebook', 'Candle', 'Blanket', 'Scarf', 'Socks', 'Apron', 'Lamp', 'Planter', 'Tray'];
const ADJECTIVES = ['Classic', 'Trail', 'Harbour', 'Studio', 'Alpine', 'Meadow', 'Coastal', 'Urban', 'Heritage', 'Nordic', 'Sunset', 'Forest'];
const FIRST = ['Olivia', 'Amelia', 'Isla', 'Ava', 'Harry', 'Oliver', 'George', 'Noah', 'Freya', 'Arthur'];
const LAST = ['Smith', 'Jones', 'Taylor', 'Brown', 'Patel', 'Wright', 'Evans', 'Khan', 'Hughes', "O'Brien"];

export const LOG_SPAN_DAYS = 180;
const DAY = 86_400_000;

export interface LogSeedOptions {
  /** Rows of the big type (`inventory`). */
  mainRows: number;
  /** Rows spread over product, order, refund and shipment. */
  otherRows: number;
  seed?: number;
  /** The newest Updated At (default now). */
  end?: number;
}

export interface LogSeedResult {
  rows: number;
  mainRows: number;
  ms: number;
  /** Entity ids and words that exist, for searches. */
  sampleEntityIds: string[];
  start: number;
  end: number;
}

export function seedLogs(db: Db, opts: LogSeedOptions): LogSeedResult {
  const t0 = Date.now();
  const random = seededRandom(opts.seed ?? 99);
  const end = opts.end ?? Date.now();
  const start = end - LOG_SPAN_DAYS * DAY;
  const total = opts.mainRows + opts.otherRows;
  const insert = db.prepare(
    `INSERT INTO sync_items (type, entity_id, bp_id, wc_id, info, status, first_seen_at, updated_at, last_error, attempts, last_value)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const others: { type: string; weight: number }[] = [
    { type: 'product', weight: 0.4 },
    { type: 'order', weight: 0.5 },
    { type: 'refund', weight: 0.05 },
    { type: 'shipment', weight: 0.05 },
  ];
  const counters: Record<string, number> = { inventory: 0, product: 0, order: 0, refund: 0, shipment: 0 };
  const samples: string[] = [];
  let mainLeft = opts.mainRows;
  let otherLeft = opts.otherRows;
  db.transaction(() => {
    for (let i = 0; i < total; i++) {
      // Interleaved in id order as first-seen order would be; the big type keeps its share throughout.
      const main = otherLeft === 0 || (mainLeft > 0 && random() * (mainLeft + otherLeft) < mainLeft);
      let type = 'inventory';
      if (main) mainLeft--;
      else {
        otherLeft--;
        let roll = random();
        type = 'shipment';
        for (const o of others) {
          if (roll < o.weight) {
            type = o.type;
            break;
          }
          roll -= o.weight;
        }
      }
      const n = counters[type] ?? 0;
      counters[type] = n + 1;
      const firstSeen = start + Math.floor((i / total) * (end - start - DAY)) + randomInt(random, 0, 3_600_000);
      const updated = Math.min(end, firstSeen + Math.floor(random() * random() * (end - firstSeen)));
      const roll = random();
      const status = roll < 0.92 ? 'synced' : roll < 0.97 ? 'failed' : 'pending';
      let entityId: string;
      let bpId: string | null;
      let wcId: string | null;
      let info: string;
      let error: string | null = null;
      if (type === 'inventory' || type === 'product') {
        const id = 1001 + n;
        entityId = String(id);
        bpId = entityId;
        wcId = status === 'failed' && random() < 0.5 ? null : String(100 + n * 2);
        info = `${pick(random, ADJECTIVES)} ${pick(random, NOUNS)} ${n + 1}`;
        if (status === 'failed') {
          error =
            random() < 0.5
              ? `No WooCommerce product or variation has SKU BP-${id}. Create it in WooCommerce (or enable the product flow); stock syncs on the next run.`
              : `Brightpearl returned no stock figures for SKU BP-${id}, so its WooCommerce stock was left unchanged. Check the product is stock-tracked and has a warehouse in Brightpearl.`;
        }
      } else {
        const orderId = 5000 + n;
        entityId = String(orderId);
        wcId = entityId;
        bpId = status === 'synced' ? String(41001 + n) : null;
        info = `${type === 'order' ? 'Order' : type === 'refund' ? 'Refund on order' : 'Shipment of order'} #${10001 + n} — ${pick(random, FIRST)} ${pick(random, LAST)}`;
        if (status === 'failed') error = `Brightpearl rejected POST order-service/sales-order: SLS-012 row 1: product ${1001 + randomInt(random, 0, 9999)} does not exist`;
      }
      if (type === 'inventory' && samples.length < 2000 && random() < 0.01) samples.push(entityId);
      insert.run(
        type,
        entityId,
        bpId,
        wcId,
        info,
        status,
        new Date(firstSeen).toISOString(),
        new Date(updated).toISOString(),
        error,
        randomInt(random, 1, 12),
        type === 'inventory' ? String(randomInt(random, 0, 120)) : null,
      );
    }
  })();
  return { rows: total, mainRows: opts.mainRows, ms: Date.now() - t0, sampleEntityIds: samples, start, end };
}

export const SEARCH_WORDS = [...NOUNS, ...ADJECTIVES];
