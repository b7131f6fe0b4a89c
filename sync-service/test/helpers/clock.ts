import type { Clock } from '../../src/store';

/** A clock tests move by hand. `tick` advances it; every read returns a fresh Date. */
export interface ManualClock {
  clock: Clock;
  now(): Date;
  set(at: Date | string): void;
  tick(ms: number): void;
}

export function manualClock(start: Date | string = '2026-01-01T00:00:00.000Z'): ManualClock {
  let t = new Date(start).getTime();
  return {
    clock: () => new Date(t),
    now: () => new Date(t),
    set: (at) => {
      t = new Date(at).getTime();
    },
    tick: (ms) => {
      t += ms;
    },
  };
}
