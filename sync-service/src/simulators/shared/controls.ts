/**
 * Knobs and counters shared by both simulators, served under /__sim:
 *   GET  /__sim/controls          current knobs
 *   PUT  /__sim/controls          change knobs (partial body)
 *   GET  /__sim/counters          calls received per endpoint ("GET /products/batch": 3)
 *   DELETE /__sim/counters        reset the counters
 * Faults are injected before the route runs, so an injected failure never changes data.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { seededRandom, type Random } from './random';

export const ControlsSchema = z.object({
  /** Added to every response. */
  latencyMs: z.number().int().min(0).max(60_000),
  /** Share of requests answered with a 5xx (0..1). */
  errorRate: z.number().min(0).max(1),
  /** Share of requests that hang for `hangMs` before a 504 (client timeouts). */
  timeoutRate: z.number().min(0).max(1),
  /** Share of requests answered 200 with a body that is not JSON (a proxy's HTML page). */
  malformedRate: z.number().min(0).max(1),
  /** Share of requests answered as throttled (Brightpearl 503 / WooCommerce host 429). */
  throttleRate: z.number().min(0).max(1),
  hangMs: z.number().int().min(0).max(600_000),
});
export type Controls = z.infer<typeof ControlsSchema>;

export const DEFAULT_CONTROLS: Controls = {
  latencyMs: 0,
  errorRate: 0,
  timeoutRate: 0,
  malformedRate: 0,
  throttleRate: 0,
  hangMs: 30_000,
};

export type FaultKind = 'error' | 'timeout' | 'malformed' | 'throttle';

export class CallCounters {
  private readonly counts = new Map<string, number>();
  increment(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
  reset(): void {
    this.counts.clear();
  }
}

export interface SimulatorControls {
  controls: Controls;
  counters: CallCounters;
}

export interface InstallControlsOptions {
  initial?: Partial<Controls>;
  seed?: number;
  /** Path prefix of the platform's API; only these requests are counted and faulted. */
  apiPrefix: string;
  /** How the platform answers an injected fault (its own error envelope). */
  answerFault: (kind: Exclude<FaultKind, 'timeout' | 'malformed'>, request: FastifyRequest, reply: FastifyReply) => FastifyReply;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counter key: method plus the route pattern, e.g. `GET /wp-json/wc/v3/products/:id`. */
export function counterKey(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
}

export function installControls(app: FastifyInstance, opts: InstallControlsOptions): SimulatorControls {
  const state: SimulatorControls = {
    controls: { ...DEFAULT_CONTROLS, ...opts.initial },
    counters: new CallCounters(),
  };
  const random: Random = seededRandom(opts.seed ?? 1);
  const pendingHangs = new Set<NodeJS.Timeout>();

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(opts.apiPrefix)) return;
    state.counters.increment(counterKey(request));
    const c = state.controls;
    if (c.latencyMs > 0) await sleep(c.latencyMs);
    const roll = random();
    let edge = c.throttleRate;
    if (roll < edge) return opts.answerFault('throttle', request, reply);
    edge += c.errorRate;
    if (roll < edge) return opts.answerFault('error', request, reply);
    edge += c.timeoutRate;
    if (roll < edge) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          pendingHangs.delete(t);
          resolve();
        }, c.hangMs);
        pendingHangs.add(t);
      });
      return reply.code(504).type('text/html').send('<html><body>504 Gateway Time-out</body></html>');
    }
    edge += c.malformedRate;
    if (roll < edge) {
      return reply.code(200).type('text/html').send('<html><body>Checking your browser before accessing the site...</body></html>');
    }
  });

  app.addHook('onClose', async () => {
    for (const t of pendingHangs) clearTimeout(t);
    pendingHangs.clear();
  });

  app.get('/__sim/controls', async () => state.controls);
  app.put('/__sim/controls', async (request, reply) => {
    const parsed = ControlsSchema.partial().strict().safeParse(request.body ?? {});
    if (!parsed.success) {
      return reply.code(400).send({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
    }
    state.controls = { ...state.controls, ...parsed.data };
    return state.controls;
  });
  app.get('/__sim/counters', async () => ({ total: state.counters.total(), calls: state.counters.snapshot() }));
  app.delete('/__sim/counters', async () => {
    state.counters.reset();
    return { total: 0, calls: {} };
  });

  return state;
}
