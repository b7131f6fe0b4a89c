import type { SyncType } from '../domain/constants';

export class FlowBusyError extends Error {
  constructor(
    readonly type: SyncType,
    readonly runId: number | null,
  ) {
    super(`The ${type} flow is already running${runId ? ` (run ${runId})` : ''}; wait for it to finish.`);
    this.name = 'FlowBusyError';
  }
}

export class FlowUnavailableError extends Error {
  constructor(
    readonly type: SyncType,
    reason: string,
  ) {
    super(reason);
    this.name = 'FlowUnavailableError';
  }
}
