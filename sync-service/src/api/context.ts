import type { Engine } from '../engine/engine';
import type { Scheduler } from '../scheduler/scheduler';
import type { Store } from '../store';

/** What the routes need; built once in the service and injected (tests pass their own). */
export interface ApiContext {
  store: Store;
  engine: Engine;
  scheduler: Scheduler;
  version: string;
  /** Cheap authenticated calls proving each remote system answers; absent when not configured. */
  probes?: Partial<Record<RemoteSystem, () => Promise<string>>>;
  /** Secrets the webhook receivers check; a receiver without its secret refuses every delivery. */
  webhooks?: { woocommerceSecret?: string; brightpearlSecret?: string; brightpearlAccount?: string };
  /** Choices read from both systems for the mappings editor. */
  referenceData?: () => Promise<ReferenceData>;
}

export type RemoteSystem = 'brightpearl' | 'woocommerce';

export interface ReferenceData {
  brightpearl: {
    warehouses: { id: number; name: string }[];
    priceLists: { id: number; name: string }[];
    channels: { id: number; name: string }[];
    orderStatuses: { id: number; name: string }[];
    shippingMethods: { id: number; name: string }[];
    paymentMethods: { code: string; name: string }[];
    taxCodes: { code: string; rate: number | null }[];
  };
  woocommerce: {
    orderStatuses: { slug: string; name: string }[];
    paymentGateways: { id: string; title: string }[];
    shippingMethods: { id: string; title: string }[];
  };
  /** What could not be read, per system, in words a store owner understands. */
  errors: Partial<Record<RemoteSystem, string>>;
}
