import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Requires `Authorization: Bearer <token>` on every route of this (encapsulated) instance. */
export function installBearerAuth(app: FastifyInstance, token: string): void {
  const expected = digest(token);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    // Comparing fixed-size digests keeps the comparison constant-time whatever the length sent.
    if (!match || !timingSafeEqual(digest((match[1] as string).trim()), expected)) {
      throw new ApiError(401, 'unauthorized', 'A valid "Authorization: Bearer <token>" header is required.');
    }
  });
}
