/**
 * Demo only: serves the admin page's build (plugin/build) at /preview/ so a newcomer can see the
 * wp-admin page without WordPress. The page talks to this service directly with the demo token,
 * which is why this route is never registered by `bpwc serve`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface PreviewOptions {
  /** The admin page's build folder (plugin/build). */
  dir: string;
  token: string;
}

export async function previewRoutes(app: FastifyInstance, options: PreviewOptions): Promise<void> {
  const page = join(options.dir, 'preview.html');
  app.get('/preview', async (_request, reply) => reply.redirect('/preview/'));
  app.get('/preview/', async (_request, reply) => {
    if (!existsSync(page)) {
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('The admin page is not built yet. Run `npm run build` (npm start does it) and reload.');
    }
    const config = JSON.stringify({ root: '', previewToken: options.token }).replace(/</g, '\\u003c');
    const html = readFileSync(page, 'utf8').replace('__BPWC_PREVIEW_CONFIG__', config);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });
  app.get('/preview/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const type = TYPES[extname(file)];
    // basename() keeps requests inside the build folder.
    if (!type || basename(file) !== file) return reply.code(404).send({ error: { code: 'not_found', message: `No preview file ${file}` } });
    let body: Buffer;
    try {
      body = await readFile(join(options.dir, file));
    } catch {
      return reply.code(404).send({ error: { code: 'not_found', message: `No preview file ${file}` } });
    }
    return reply.type(type).send(body);
  });
}
