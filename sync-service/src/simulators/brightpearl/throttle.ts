/**
 * Brightpearl's request cap: N requests per window per account (200 per minute for real). The
 * headers describe a window that *resets* (`brightpearl-next-throttle-period` counts down to it),
 * so this is a fixed window that opens with the first request after the previous one closed.
 * Over the cap, every request is refused with 503 until the window closes.
 */
export interface ThrottleState {
  /** Requests left in the window after this one. */
  remaining: number;
  /** Milliseconds until the window resets. */
  periodMs: number;
}

/** What the cap did so far (tests: was the budget respected once it was known?). */
export interface ThrottleStats {
  /** Requests refused because the window's cap was spent (not injected throttle faults). */
  rejected: number;
  /** Windows in which at least one request was refused. */
  rejectedWindows: number;
  /** Windows opened so far. */
  windows: number;
  /** The most requests any one window allowed. */
  peakUsed: number;
}

export class ThrottleWindow {
  private windowStart: number | undefined;
  private used = 0;
  private rejectedInWindow = false;
  private readonly counts: ThrottleStats = { rejected: 0, rejectedWindows: 0, windows: 0, peakUsed: 0 };

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private current(now: number): { start: number; used: number } | undefined {
    if (this.windowStart === undefined || now >= this.windowStart + this.windowMs) return undefined;
    return { start: this.windowStart, used: this.used };
  }

  /** Spends one request; `allowed: false` means answer 503. */
  hit(): ThrottleState & { allowed: boolean } {
    const now = this.now();
    if (!this.current(now)) {
      this.windowStart = now;
      this.used = 0;
      this.rejectedInWindow = false;
      this.counts.windows += 1;
    }
    const periodMs = (this.windowStart as number) + this.windowMs - now;
    if (this.used >= this.limit) {
      this.counts.rejected += 1;
      if (!this.rejectedInWindow) this.counts.rejectedWindows += 1;
      this.rejectedInWindow = true;
      return { allowed: false, remaining: 0, periodMs };
    }
    this.used += 1;
    this.counts.peakUsed = Math.max(this.counts.peakUsed, this.used);
    return { allowed: true, remaining: this.limit - this.used, periodMs };
  }

  /** The current state without spending anything (for responses that don't count). */
  peek(): ThrottleState {
    const now = this.now();
    const w = this.current(now);
    if (!w) return { remaining: this.limit, periodMs: this.windowMs };
    return { remaining: Math.max(0, this.limit - w.used), periodMs: w.start + this.windowMs - now };
  }

  stats(): ThrottleStats {
    return { ...this.counts };
  }

  reset(): void {
    this.windowStart = undefined;
    this.used = 0;
    this.rejectedInWindow = false;
    Object.assign(this.counts, { rejected: 0, rejectedWindows: 0, windows: 0, peakUsed: 0 });
  }
}
