import type { FastifyInstance } from 'fastify';
import { MappingsSchema } from '../../settings/mappings';
import type { ApiContext } from '../context';
import { ApiError, parse } from '../errors';
import { SystemParams } from '../schemas';

export async function settingsRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get('/settings/mappings', async () => ctx.store.settings.mappings());

  app.put('/settings/mappings', async (request) => {
    const mappings = parse(MappingsSchema, request.body, 'body');
    ctx.store.settings.saveMappings(mappings);
    return mappings;
  });

  app.get('/settings/reference', async () => {
    if (!ctx.referenceData) throw new ApiError(409, 'not_configured', 'Brightpearl and WooCommerce connections are not configured in the sync service.');
    return ctx.referenceData();
  });

  app.post('/connections/:system/test', async (request) => {
    const { system } = parse(SystemParams, request.params, 'params');
    const probe = ctx.probes?.[system];
    if (!probe) return { ok: false, message: `The ${system} connection is not configured in the sync service.`, latencyMs: 0 };
    const started = Date.now();
    try {
      const message = await probe();
      return { ok: true, message, latencyMs: Date.now() - started };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err), latencyMs: Date.now() - started };
    }
  });
}
