import type { Engine } from '../engine/engine';
import type { Scheduler } from '../scheduler/scheduler';
import type { Store } from '../store';

/** What the routes need; built once in the service and injected (tests pass their own). */
export interface ApiContext {
  store: Store;
  engine: Engine;
  scheduler: Scheduler;
  version: string;
}
