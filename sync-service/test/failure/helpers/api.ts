/**
 * A small client for the service API that checks every response body it reads for the secrets
 * the service was given, so the suite can show none ever came back.
 */
export interface ApiResult {
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface RunView {
  id: number;
  status: string;
  counts: { seen: number; synced: number; failed: number; unchanged: number };
  error: string | null;
}

export class ServiceApi {
  /** Responses read so far, every one of them checked for the secrets. */
  checked = 0;
  /** Where a secret came back ("<name> in GET /api/v1/…"). */
  readonly leaks: string[] = [];

  constructor(
    private readonly baseUrl: () => string,
    private readonly token: string,
    private readonly secrets: Record<string, string> = {},
  ) {}

  async request(method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<ApiResult> {
    const res = await fetch(`${this.baseUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    this.checked += 1;
    for (const [name, secret] of Object.entries(this.secrets)) if (text.includes(secret)) this.leaks.push(`${name} in ${method} ${path}`);
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, text, body: parsed };
  }

  get(path: string): Promise<ApiResult> {
    return this.request('GET', path);
  }

  post(path: string, body?: unknown): Promise<ApiResult> {
    return this.request('POST', path, body ?? {});
  }

  /** Starts a run; the run id, or undefined when the flow is busy (409). Anything else throws. */
  async startRun(flow: string, body?: { since?: string; entityIds?: string[] }): Promise<number | undefined> {
    const res = await this.post(`/api/v1/flows/${flow}/runs`, body);
    if (res.status === 202) return res.body.runId as number;
    if (res.status === 409) return undefined;
    throw new Error(`POST /api/v1/flows/${flow}/runs answered ${res.status}: ${res.text.slice(0, 300)}`);
  }

  async waitRun(runId: number, timeoutMs = 120_000, pollMs = 50): Promise<RunView> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.get(`/api/v1/runs/${runId}`);
      if (res.status !== 200) throw new Error(`GET /api/v1/runs/${runId} answered ${res.status}: ${res.text.slice(0, 300)}`);
      const run = res.body as RunView;
      if (run.status !== 'running') return run;
      if (Date.now() > until) throw new Error(`run ${runId} still running after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Runs a flow to its end (waiting for a run already in flight first); returns the finished run. */
  async runFlow(flow: string, timeoutMs = 120_000, body?: { since?: string }): Promise<RunView> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const runId = await this.startRun(flow, body);
      if (runId !== undefined) return this.waitRun(runId, Math.max(1000, until - Date.now()));
      if (Date.now() > until) throw new Error(`the ${flow} flow stayed busy for ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
