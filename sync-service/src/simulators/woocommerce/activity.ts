/**
 * Demo store activity: what happens in a live shop between two syncs. For now a shopper buys
 * one or two of a product whose stock WooCommerce manages; orders and refunds come later.
 */
import { pick, randomInt, type Random } from '../shared/random';
import type { PostRecord, WooCommerceState } from './data';

export interface ActivityEvent {
  /** GMT, `YYYY-MM-DDTHH:MM:SS`. */
  at: string;
  kind: 'sale';
  productId: number;
  sku: string;
  quantity: number;
  stockAfter: number;
}

const MAX_LOG = 200;

function sellable(state: WooCommerceState, p: PostRecord): boolean {
  if (!p.manageStock || (p.stockQuantity ?? 0) <= 0 || p.status !== 'publish') return false;
  if (p.kind === 'variation') return state.product(p.parentId)?.status === 'publish';
  return p.type === 'simple';
}

/** One purchase: stock goes down by 1..2 (never below zero), the product is saved. */
export function simulatePurchase(state: WooCommerceState, random: Random): ActivityEvent | undefined {
  if (state.options.woocommerce_manage_stock !== 'yes') return undefined;
  const candidates = [...state.posts.values()].filter((p) => sellable(state, p));
  if (candidates.length === 0) return undefined;
  const p = pick(random, candidates);
  const quantity = Math.min(randomInt(random, 1, 2), p.stockQuantity ?? 0);
  p.stockQuantity = (p.stockQuantity ?? 0) - quantity;
  p.totalSales += quantity;
  state.validateProps(p);
  state.touch(p);
  if (p.kind === 'variation') {
    const parent = state.product(p.parentId);
    if (parent) {
      parent.totalSales += quantity;
      state.syncVariableParent(parent);
      state.touch(parent);
    }
  }
  const event: ActivityEvent = { at: state.gmtDate(state.nowSeconds()), kind: 'sale', productId: p.id, sku: p.sku, quantity, stockAfter: p.stockQuantity ?? 0 };
  state.activityLog.push(event);
  if (state.activityLog.length > MAX_LOG) state.activityLog.splice(0, state.activityLog.length - MAX_LOG);
  return event;
}
