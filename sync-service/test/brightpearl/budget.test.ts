import { RequestBudget, clearSharedBudgets, sharedBudget } from '../../src/brightpearl/budget';

/** A clock that only moves when someone sleeps. */
function fakeClock(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
  };
}

const headers = (remaining: number, periodMs: number) => ({
  'brightpearl-requests-remaining': String(remaining),
  'brightpearl-next-throttle-period': String(periodMs),
});

function budgetWith(clock: ReturnType<typeof fakeClock>, reserve = 2) {
  return new RequestBudget({ reserve, jitterMs: 0, now: clock.now, sleep: clock.sleep, random: () => 0 });
}

describe('RequestBudget', () => {
  it('lets requests through while the headers say there is room', async () => {
    const clock = fakeClock();
    const budget = budgetWith(clock);
    for (let remaining = 199; remaining > 150; remaining--) {
      const ticket = await budget.take();
      budget.settle(ticket, headers(remaining, 30_000));
    }
    expect(clock.sleeps).toEqual([]);
    expect(budget.snapshot().remaining).toBe(151);
    expect(budget.snapshot().capacity).toBe(200);
  });

  it('waits for the window to reset when only the reserve is left', async () => {
    const clock = fakeClock();
    const budget = budgetWith(clock);
    budget.settle(await budget.take(), headers(3, 4_000));
    budget.settle(await budget.take(), headers(2, 3_900)); // 2 left = the reserve
    const before = clock.now();
    const ticket = await budget.take();
    expect(clock.now() - before).toBe(3_900);
    budget.settle(ticket, headers(199, 60_000));
    expect(budget.snapshot().remaining).toBe(199);
  });

  it('adds jitter to the wait', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ reserve: 2, jitterMs: 100, now: clock.now, sleep: clock.sleep, random: () => 0.5 });
    budget.settle(await budget.take(), headers(2, 1_000));
    await budget.take();
    expect(clock.sleeps).toEqual([1_050]);
  });

  it('counts requests still in flight against the remaining estimate', async () => {
    const clock = fakeClock();
    const budget = budgetWith(clock);
    budget.settle(await budget.take(), headers(5, 10_000));
    // Three more go out before any answer: 5 → 4 → 3 → 2.
    await budget.take();
    await budget.take();
    await budget.take();
    expect(budget.snapshot().remaining).toBe(2);
    const waited = budget.take();
    await waited;
    expect(clock.sleeps).toEqual([10_000]);
  });

  it('ignores a late answer older than the newest one', async () => {
    const clock = fakeClock();
    const budget = budgetWith(clock);
    const first = await budget.take();
    const second = await budget.take();
    budget.settle(second, headers(50, 10_000));
    budget.settle(first, headers(120, 10_000));
    expect(budget.snapshot().remaining).toBe(50);
  });

  it('after a 503 everyone waits the period out, then the window is assumed fresh', async () => {
    const clock = fakeClock();
    const budget = budgetWith(clock);
    budget.settle(await budget.take(), headers(150, 20_000));
    const ticket = await budget.take();
    budget.throttled(8_000);
    budget.settle(ticket, headers(0, 8_000));
    const start = clock.now();
    await Promise.all([budget.take(), budget.take()]);
    expect(clock.now() - start).toBeGreaterThanOrEqual(8_000);
    // Capacity learned earlier (151) is assumed again for the new window.
    expect(budget.snapshot().remaining).toBe(149);
  });

  it('uses a fallback pause when a 503 says nothing about the period', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget({ jitterMs: 0, fallbackThrottleMs: 5_000, now: clock.now, sleep: clock.sleep });
    budget.throttled(undefined);
    await budget.take();
    expect(clock.sleeps).toEqual([5_000]);
  });

  it('after a reset with unknown timing, holds back beyond the estimate until an answer arrives', async () => {
    const clock = fakeClock();
    const budget = budgetWith(clock);
    budget.settle(await budget.take(), headers(4, 1_000)); // learns a window of 5
    budget.throttled(1_000);
    // After the pause a full window of 5 is assumed, reset time unknown: 3 go out (5 → 2 = reserve).
    const a = await budget.take();
    await budget.take();
    await budget.take();
    expect(budget.snapshot().remaining).toBe(2);
    let fourthSent = false;
    const fourth = budget.take().then(() => {
      fourthSent = true;
    });
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(fourthSent).toBe(false);
    const sleptBefore = clock.sleeps.length;
    budget.settle(a, headers(4, 700)); // the server's new window: resets in 700 ms
    await fourth;
    expect(fourthSent).toBe(true);
    expect(clock.sleeps.slice(sleptBefore)).toEqual([700]);
  });

  it('is shared by every client of one account', () => {
    clearSharedBudgets();
    const a = sharedBudget('https://euw1.brightpearlconnect.com/', 'acme');
    const b = sharedBudget('https://EUW1.brightpearlconnect.com', 'ACME');
    const other = sharedBudget('https://euw1.brightpearlconnect.com', 'other');
    expect(a).toBe(b);
    expect(a).not.toBe(other);
    clearSharedBudgets();
    expect(sharedBudget('https://euw1.brightpearlconnect.com', 'acme')).not.toBe(a);
  });
});
