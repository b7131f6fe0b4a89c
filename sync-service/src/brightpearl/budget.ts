/**
 * Brightpearl allows ~200 requests per minute per account and answers 503 for the rest of the
 * window once they are spent. Every response says how many are left
 * (`brightpearl-requests-remaining`) and when the window resets (`brightpearl-next-throttle-period`,
 * milliseconds). One RequestBudget per account turns that into waiting *before* a request instead
 * of collecting 503s; every client of the same account shares it through `sharedBudget()`.
 *
 * Protocol: `const ticket = await budget.take()` before a request, `budget.settle(ticket, headers)`
 * when it ends (always, even on failure), `budget.throttled(periodMs)` on a 503/429.
 */
import { realSleep, type Sleep } from '../http/request';

export const REMAINING_HEADER = 'brightpearl-requests-remaining';
export const PERIOD_HEADER = 'brightpearl-next-throttle-period';

export interface RequestBudgetOptions {
  /** Requests kept back for others (webhook follow-ups, other workers): wait when this few remain. */
  reserve?: number;
  /** Random extra wait after a reset, so waiting workers don't all fire at the same instant. */
  jitterMs?: number;
  /** Pause after a 503/429 that did not say how long. */
  fallbackThrottleMs?: number;
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
}

export interface BudgetSnapshot {
  /** Estimated requests left in this window (undefined until a response told us). */
  remaining?: number;
  resetInMs?: number;
  pausedForMs: number;
  inFlight: number;
  /** Largest window size seen (remaining + 1 after a request). */
  capacity?: number;
}

export class RequestBudget {
  private readonly reserve: number;
  private readonly jitterMs: number;
  private readonly fallbackThrottleMs: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly random: () => number;

  /** Requests handed out so far; a ticket is the value right after its own increment. */
  private issued = 0;
  /** What the newest response said, and after which ticket: later tickets are assumed to spend one each. */
  private known: { remaining: number; atTicket: number } | undefined;
  private resetAt: number | undefined;
  private pausedUntil = 0;
  private capacity: number | undefined;
  private readonly inFlight = new Set<number>();
  private waiters: (() => void)[] = [];

  constructor(options: RequestBudgetOptions = {}) {
    this.reserve = options.reserve ?? 2;
    this.jitterMs = options.jitterMs ?? 200;
    this.fallbackThrottleMs = options.fallbackThrottleMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
  }

  private estimate(): number | undefined {
    if (!this.known) return undefined;
    return this.known.remaining - (this.issued - this.known.atTicket);
  }

  private jitter(): number {
    return Math.floor(this.random() * this.jitterMs);
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Waits until a request may be sent, then returns its ticket. */
  async take(): Promise<number> {
    for (;;) {
      const now = this.now();
      if (this.pausedUntil > now) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      const remaining = this.estimate();
      if (remaining !== undefined && remaining <= this.reserve) {
        if (this.resetAt !== undefined && this.resetAt > now) {
          this.pausedUntil = this.resetAt + this.jitter();
          continue;
        }
        if (this.resetAt !== undefined) {
          // The window has passed: assume a full one until a response says otherwise.
          this.known = this.capacity !== undefined ? { remaining: this.capacity, atTicket: this.issued } : undefined;
          this.resetAt = undefined;
          continue;
        }
        if (this.inFlight.size > 0) {
          // We spent our estimate of a fresh window without knowing when it ends: a response will tell.
          await new Promise<void>((resolve) => this.waiters.push(resolve));
          continue;
        }
        // Nothing in flight to learn from (capacity at or below the reserve): go, the server decides.
      }
      this.issued += 1;
      this.inFlight.add(this.issued);
      return this.issued;
    }
  }

  /** Records a finished request; `headers` (lower-case names) when a response arrived. */
  settle(ticket: number, headers?: Record<string, string | undefined>): void {
    this.inFlight.delete(ticket);
    const remaining = headerNumber(headers?.[REMAINING_HEADER]);
    const periodMs = headerNumber(headers?.[PERIOD_HEADER]);
    // Responses arrive out of order: only the newest request's view counts.
    if (remaining !== undefined && (!this.known || ticket >= this.known.atTicket)) {
      this.known = { remaining, atTicket: ticket };
      if (periodMs !== undefined) this.resetAt = this.now() + periodMs;
      if (remaining > 0) this.capacity = Math.max(this.capacity ?? 0, remaining + 1);
    }
    this.notify();
  }

  /** A 503/429: nobody on this account sends anything until the period is over. */
  throttled(periodMs?: number): void {
    const wait = periodMs ?? this.fallbackThrottleMs;
    const now = this.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + wait + this.jitter());
    this.known = { remaining: 0, atTicket: this.issued };
    this.resetAt = now + wait;
    this.notify();
  }

  snapshot(): BudgetSnapshot {
    const now = this.now();
    return {
      remaining: this.estimate(),
      resetInMs: this.resetAt === undefined ? undefined : Math.max(0, this.resetAt - now),
      pausedForMs: Math.max(0, this.pausedUntil - now),
      inFlight: this.inFlight.size,
      capacity: this.capacity,
    };
  }
}

/** A non-negative integer header value, else undefined. */
export function headerNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}

const budgets = new Map<string, RequestBudget>();

function budgetKey(baseUrl: string, accountCode: string): string {
  return `${baseUrl.replace(/\/+$/, '').toLowerCase()}|${accountCode.toLowerCase()}`;
}

/** The one budget of an account (created with `options` on first use; later options are ignored). */
export function sharedBudget(baseUrl: string, accountCode: string, options?: RequestBudgetOptions): RequestBudget {
  const key = budgetKey(baseUrl, accountCode);
  let budget = budgets.get(key);
  if (!budget) {
    budget = new RequestBudget(options);
    budgets.set(key, budget);
  }
  return budget;
}

/** Forgets every shared budget (tests, or after changing an account's credentials). */
export function clearSharedBudgets(): void {
  budgets.clear();
}
