/**
 * Request/response over a forked child's IPC channel. The benchmark runs the simulators in one
 * child and the service side in another, so the service's memory and CPU are measured on their own.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

interface Request {
  id: number;
  cmd: string;
  args: unknown;
}

type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export type Handlers = Record<string, (args: any) => unknown>;

/** In the child: answers requests with `handlers`, one at a time in arrival order. */
export function serveRequests(handlers: Handlers): void {
  if (!process.send) throw new Error('this script must be started by the benchmark (it needs an IPC channel)');
  let queue = Promise.resolve();
  process.on('message', (message: Request) => {
    queue = queue.then(async () => {
      let response: Response;
      try {
        const handler = handlers[message.cmd];
        if (!handler) throw new Error(`unknown command ${message.cmd}`);
        response = { id: message.id, ok: true, result: await handler(message.args) };
      } catch (err) {
        response = { id: message.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
      }
      process.send?.(response);
    });
  });
  // The parent going away ends the child.
  process.on('disconnect', () => process.exit(0));
}

/** A forked child driven by requests. */
export class Child {
  private readonly proc: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; cmd: string }>();
  private exited: string | undefined;

  constructor(
    script: string,
    readonly name: string,
    execArgv: string[] = [],
  ) {
    this.proc = fork(join(__dirname, script), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv, serialization: 'advanced' });
    this.proc.on('message', (m: Response) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`${this.name} ${p.cmd}: ${m.error}`));
    });
    this.proc.on('exit', (code, signal) => {
      this.exited = `${this.name} exited (${signal ?? code})`;
      for (const p of this.pending.values()) p.reject(new Error(`${this.exited} during ${p.cmd}`));
      this.pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  call<T = unknown>(cmd: string, args: unknown = {}): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.exited}; cannot ${cmd}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, cmd });
      this.proc.send({ id, cmd, args } satisfies Request);
    });
  }

  /** Asks the child to finish, then makes sure it is gone. */
  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    try {
      await Promise.race([this.call('close'), new Promise((r) => setTimeout(r, 10_000))]);
    } catch {
      // exiting while answering is fine
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 10_000);
    if (!this.exited) this.proc.disconnect?.();
    await gone;
    clearTimeout(timer);
  }
}
