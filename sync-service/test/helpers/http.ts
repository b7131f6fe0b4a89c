import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';

export interface HttpRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON (content-type set unless given); a string is sent as is. */
  payload?: unknown;
}

export interface HttpResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
  json<T = any>(): T;
}

export type Requester = (req: HttpRequest) => Promise<HttpResponse>;

/**
 * Serves the app on 127.0.0.1 at a free port and returns an `inject`-like function that goes over
 * a real socket. (Fastify's `app.inject` needs light-my-request, whose `cookie` dependency is
 * ESM-only and cannot be loaded by Jest's CommonJS runtime on Node 20.)
 */
export async function serve(app: FastifyInstance): Promise<{ url: string; request: Requester }> {
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const base = new URL(url);
  const request: Requester = (req) =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...(req.headers ?? {}) };
      let body: string | undefined;
      if (req.payload !== undefined) {
        body = typeof req.payload === 'string' ? req.payload : JSON.stringify(req.payload);
        if (typeof req.payload !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      const r = httpRequest(
        { host: base.hostname, port: base.port, method: req.method ?? 'GET', path: req.url, headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
          });
        },
      );
      r.on('error', reject);
      if (body !== undefined) r.write(body);
      r.end();
    });
  return { url, request };
}
