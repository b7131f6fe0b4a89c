/**
 * The sync service as a real child process (`node bin/bpwc serve`), so it can be killed with
 * SIGKILL at any instruction and restarted on the same database and port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
export const BPWC_BIN = join(REPO_ROOT, 'bin', 'bpwc');
const BUILT_CLI = join(REPO_ROOT, 'sync-service', 'dist', 'cli', 'main.js');

/** The child runs the compiled service; `npm test` builds it before jest runs. */
export function requireBuiltService(): void {
  if (!existsSync(BUILT_CLI)) {
    throw new Error(`The sync service is not built (${BUILT_CLI} is missing). Run \`npm run build\` first (npm test does it before jest).`);
  }
}

/** A port nobody listens on right now (the service keeps it across restarts). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ServiceProcess {
  url: string;
  private child: ChildProcess | undefined;
  private exited: Promise<ExitInfo> | undefined;
  /** Everything every child wrote, for the secret check and for failure messages. */
  readonly output: string[] = [];
  readonly pids: number[] = [];
  /** Between SIGTERM and exit (Fastify answers 503 to requests that arrive while it closes). */
  terminating = false;

  constructor(
    private readonly env: Record<string, string>,
    public port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts a child and waits until /health answers 200. If something else took the port while
   * the service was down, it moves to another free one (the URL changes with it).
   */
  async start(timeoutMs = 20_000): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const mark = this.output.length;
      try {
        return await this.startOnce(timeoutMs);
      } catch (err) {
        if (attempt >= 3 || this.running || !/EADDRINUSE/.test(this.output.slice(mark).join(''))) throw err;
        this.port = await freePort();
        this.url = `http://127.0.0.1:${this.port}`;
        this.env.BPWC_PORT = String(this.port);
      }
    }
  }

  private async startOnce(timeoutMs: number): Promise<number> {
    if (this.running) throw new Error('the service is already running');
    // The parent's own BPWC_* settings must not leak into the child.
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BPWC_')));
    const child = spawn(process.execPath, [BPWC_BIN, 'serve'], {
      cwd: REPO_ROOT,
      env: { ...base, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const pid = child.pid as number;
    this.pids.push(pid);
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString('utf8')));
    this.exited = new Promise<ExitInfo>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) {
        await Promise.race([closed, sleep(2000)]); // all of its output, for the message (and the port check)
        throw new Error(`the service exited during start-up (pid ${pid}): ${this.tail()}`);
      }
      try {
        const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200) return pid;
      } catch {
        // not listening yet
      }
      if (Date.now() > until) throw new Error(`the service did not answer /health within ${timeoutMs} ms: ${this.tail()}`);
      await sleep(20);
    }
  }

  /** kill -9, and wait until the process is gone (so its pid is provably dead). */
  async kill9(): Promise<ExitInfo> {
    if (!this.child || !this.exited) throw new Error('no service process');
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM; resolves with how it exited and how long that took, or rejects after `timeoutMs`. */
  async terminate(timeoutMs: number): Promise<ExitInfo & { ms: number }> {
    if (!this.child || !this.exited) throw new Error('no service process');
    const started = Date.now();
    this.terminating = true;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the service did not exit within ${timeoutMs} ms of SIGTERM`)), timeoutMs);
    });
    try {
      const info = await Promise.race([this.exited, timeout]);
      return { ...info, ms: Date.now() - started };
    } finally {
      if (timer) clearTimeout(timer);
      this.terminating = false;
    }
  }

  /** For afterAll: whatever is still running goes. */
  async stop(): Promise<void> {
    if (this.running) await this.kill9();
  }

  tail(chars = 2000): string {
    return this.output.join('').slice(-chars);
  }
}
