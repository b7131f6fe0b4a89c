/**
 * Which run the current async work belongs to. The remote clients are shared by all flows, so a
 * retry is attributed to the run in flight through AsyncLocalStorage and shows in the history of
 * the entities that run records next.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RetryNote {
  system: 'brightpearl' | 'woocommerce';
  call: string;
  attempt: number;
  reason: string;
}

interface RunScope {
  runId: number;
  retries: RetryNote[];
}

const storage = new AsyncLocalStorage<RunScope>();

export function runInScope<T>(runId: number, fn: () => Promise<T>): Promise<T> {
  return storage.run({ runId, retries: [] }, fn);
}

/** Called by the clients' retry hooks; outside a run (API probes, CLI) it does nothing. */
export function noteRetry(note: RetryNote): void {
  const scope = storage.getStore();
  if (scope && scope.retries.length < 100) scope.retries.push(note);
}

/** Retries since the last call, for the outcomes being recorded now. */
export function takeRetries(): RetryNote[] {
  const scope = storage.getStore();
  return scope ? scope.retries.splice(0) : [];
}

export function describeRetries(retries: RetryNote[]): string {
  const reasons = [...new Set(retries.map((r) => `${r.system} ${r.reason}`))].slice(0, 3).join('; ');
  return `after ${retries.length} ${retries.length === 1 ? 'retry' : 'retries'} (${reasons})`;
}
