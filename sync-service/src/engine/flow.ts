import type { SyncType } from '../domain/constants';
import type { EntityRef, Outcome, Store } from '../store';
import type { Logger } from './logger';

/** What a flow gets for one run. */
export interface FlowContext {
  runId: number;
  type: SyncType;
  trigger: string;
  store: Store;
  log: Logger;
  /** Aborted on shutdown: finish the batch in hand, then return. */
  signal: AbortSignal;
  /** Entity ids this run is limited to (a retry of chosen rows); undefined = everything due. */
  scope?: string[];
  /** A resync from this instant (ISO 8601 UTC) instead of the flow's own watermark. */
  since?: string;
  /** Registers entities about to be handled (new ones appear as Pending). */
  seen(refs: EntityRef[]): void;
  /** Records what happened to entities; one transaction per call. */
  record(outcomes: Outcome[]): void;
}

/** One sync module. Each lives in its own file under src/flows. */
export interface Flow {
  type: SyncType;
  run(ctx: FlowContext): Promise<void>;
}
