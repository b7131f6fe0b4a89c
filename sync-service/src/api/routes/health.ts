import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context';

/** Open on purpose: load balancers and the WordPress plugin's status check call it without a token. */
export async function healthRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const startedAt = Date.now();
  app.get('/health', async (_request, reply) => {
    let database = 'ok';
    try {
      ctx.store.db.prepare('SELECT 1').get();
    } catch {
      database = 'unavailable';
    }
    const body = { status: database === 'ok' ? 'ok' : 'degraded', version: ctx.version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), database };
    return reply.code(database === 'ok' ? 200 : 503).send(body);
  });
}
