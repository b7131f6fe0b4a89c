/**
 * The HTTP API. Plugins load outside in: error handling, then the open routes, then /api/v1
 * behind the bearer token.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ApiContext } from './context';
import { ApiError } from './errors';
import { installBearerAuth } from './plugins/bearer-auth';
import { installErrorHandler } from './plugins/error-handler';
import { flowRoutes } from './routes/flows';
import { healthRoutes } from './routes/health';
import { logRoutes } from './routes/logs';
import { previewRoutes, type PreviewOptions } from './routes/preview';
import { settingsRoutes } from './routes/settings';
import { webhookRoutes } from './routes/webhooks';

export interface BuildApiOptions {
  context: ApiContext;
  token: string;
  logger?: FastifyBaseLogger;
  /** Demo mode only: serve the admin page outside WordPress. */
  preview?: PreviewOptions;
}

export async function buildApi(options: BuildApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: 1024 * 1024,
  });
  installErrorHandler(app);
  // Many clients send `Content-Type: application/json` on bodiless POSTs: treat that as no body.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(new ApiError(400, 'invalid_json', `The request body is not valid JSON: ${(err as Error).message}`), undefined);
    }
  });
  await app.register(async (open) => healthRoutes(open, options.context));
  await app.register(async (hooks) => webhookRoutes(hooks, options.context));
  if (options.preview) {
    const preview = options.preview;
    await app.register(async (open) => previewRoutes(open, preview));
  }
  await app.register(
    async (api) => {
      installBearerAuth(api, options.token);
      await flowRoutes(api, options.context);
      await logRoutes(api, options.context);
      await settingsRoutes(api, options.context);
    },
    { prefix: '/api/v1' },
  );
  return app;
}
