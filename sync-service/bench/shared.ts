/** Constants and message types shared by the benchmark's processes (no side effects on import). */
import type { CatalogOptions } from '../src/simulators/catalog';
import type { RunRow } from '../src/store';

export const WC_KEY = 'ck_bench0123456789abcdef0123456789abcdef0123';
export const WC_SECRET = 'cs_bench0123456789abcdef0123456789abcdef0123';

export interface SimsStartArgs {
  catalog: CatalogOptions;
  /** Brightpearl request cap per window (default: effectively unlimited). */
  requestsPerMinute?: number;
  throttleWindowMs?: number;
  /** Phone orders and contacts in the Brightpearl account (default false). */
  bpSeedOrders?: boolean;
}

export interface SimsInfo {
  bpUrl: string;
  wcUrl: string;
  skus: number;
  simple: number;
  variations: number;
  parents: number;
  seedMs: number;
  rssBytes: number;
}

/** One stock write the inventory flow has to make (what differs between the two systems now). */
export interface PlannedStock {
  bpId: number;
  sku: string;
  wcId: number;
  /** 0 for a simple product. */
  parentId: number;
  quantity: number;
}

export interface CounterSnapshot {
  total: number;
  calls: Record<string, number>;
}

export const API_TOKEN = 'bench-token-0123456789abcdefghijklmnop';
/** The demo account's integration instance id. */
export const INTEGRATION_INSTANCE_ID = 27;

export interface RunResult {
  ms: number;
  run: RunRow;
  /** Highest RSS sampled during the run (bytes). */
  peakRss: number;
  /** The process's high-water mark since it started (getrusage), bytes. */
  maxRss: number;
  rssBefore: number;
  /** CPU time the service process used during the run (user + system). */
  cpuMs: number;
}

