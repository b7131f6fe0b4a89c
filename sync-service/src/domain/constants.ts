/**
 * The one place for sync types, statuses and flow metadata.
 * Everything else imports these instead of spelling strings.
 */

export const SYNC_TYPES = ['inventory', 'product', 'order', 'refund', 'shipment'] as const;
export type SyncType = (typeof SYNC_TYPES)[number];

export const SYNC_STATUS = {
  PENDING: 'pending',
  SYNCED: 'synced',
  FAILED: 'failed',
} as const;
export const SYNC_STATUSES = [SYNC_STATUS.PENDING, SYNC_STATUS.SYNCED, SYNC_STATUS.FAILED] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export const RUN_STATUS = {
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  /** The run finished but some entities failed. */
  PARTIAL: 'partial',
  FAILED: 'failed',
  /** The process running it died; found and closed by stale-lock recovery. */
  ABORTED: 'aborted',
} as const;
export type RunStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS];

export const ATTEMPT_OUTCOME = {
  SYNCED: 'synced',
  FAILED: 'failed',
  UNCHANGED: 'unchanged',
  RETRY: 'retry',
  QUEUED: 'queued',
  /** Written before a remote create, so a crash before the local commit is found and linked, never redone. */
  INTENT: 'intent',
} as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOME)[keyof typeof ATTEMPT_OUTCOME];

export type Direction = 'brightpearl_to_woocommerce' | 'woocommerce_to_brightpearl';

export interface FlowDefinition {
  type: SyncType;
  name: string;
  direction: Direction;
  defaultSchedule: string;
  /** Info column of the sync log: product name or the entity id. */
  infoIs: 'product name' | 'entity id';
}

export const FLOW_DEFINITIONS: Record<SyncType, FlowDefinition> = {
  inventory: {
    type: 'inventory',
    name: 'Inventory',
    direction: 'brightpearl_to_woocommerce',
    defaultSchedule: '*/5 * * * *',
    infoIs: 'product name',
  },
  product: {
    type: 'product',
    name: 'Products',
    direction: 'brightpearl_to_woocommerce',
    defaultSchedule: '*/15 * * * *',
    infoIs: 'entity id',
  },
  order: {
    type: 'order',
    name: 'Orders',
    direction: 'woocommerce_to_brightpearl',
    defaultSchedule: '*/2 * * * *',
    infoIs: 'entity id',
  },
  refund: {
    type: 'refund',
    name: 'Refunds',
    direction: 'woocommerce_to_brightpearl',
    defaultSchedule: '*/5 * * * *',
    infoIs: 'entity id',
  },
  shipment: {
    type: 'shipment',
    name: 'Shipments',
    direction: 'brightpearl_to_woocommerce',
    defaultSchedule: '*/5 * * * *',
    infoIs: 'entity id',
  },
};

export function isSyncType(value: unknown): value is SyncType {
  return typeof value === 'string' && (SYNC_TYPES as readonly string[]).includes(value);
}
