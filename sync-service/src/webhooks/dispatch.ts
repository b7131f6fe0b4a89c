/**
 * What a webhook means for the flows. Webhooks are only hints: each one asks for a run soon
 * (scoped to the entities it names where a flow can use that), and the polling watermarks stay
 * the source of truth, so a lost webhook delays a sync but never loses it.
 */
import type { SyncType } from '../domain/constants';

export interface FlowRequest {
  type: SyncType;
  /** Entity ids for a scoped run; undefined = an ordinary incremental run. */
  scope?: string[];
}

/** Brightpearl `${full-event}` (e.g. `product.modified.on-hand-modified`) → flow runs. */
export function brightpearlEventRequests(fullEvent: string, ids: number[]): FlowRequest[] {
  const scope = ids.map(String);
  const [resource] = fullEvent.split('.');
  if (fullEvent === 'product.modified.on-hand-modified') return [{ type: 'inventory', scope }];
  if (resource === 'product') return [{ type: 'product', scope }, { type: 'inventory', scope }];
  // Order status changes flow back to WooCommerce from the order flow's status pass.
  if (resource === 'order' || resource === 'sales-order') return [{ type: 'order' }];
  if (resource === 'goods-out-note') return [{ type: 'shipment' }];
  return [];
}

/** WooCommerce `X-WC-Webhook-Topic` (e.g. `order.updated`) → flow runs. Refunds arrive as order.updated. */
export function woocommerceTopicRequests(topic: string): FlowRequest[] {
  const [resource] = topic.split('.');
  if (resource === 'order') return [{ type: 'order' }, { type: 'refund' }];
  return [];
}
