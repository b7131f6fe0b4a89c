/**
 * Webhook receivers. Open routes with their own authentication: WooCommerce signs the raw body
 * (X-WC-Webhook-Signature); Brightpearl cannot sign, so its subscription URL carries a secret.
 * Both only record the delivery and enqueue runs; a replayed delivery does nothing new.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { expandIdSet, parseIdSet } from '../../brightpearl/idset';
import { verifyWebhookSignature } from '../../woocommerce/webhook-signature';
import { brightpearlEventRequests, woocommerceTopicRequests, type FlowRequest } from '../../webhooks/dispatch';
import type { ApiContext } from '../context';
import { ApiError, parse } from '../errors';

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest();
const sameSecret = (given: string, expected: string) => timingSafeEqual(sha256(given), sha256(expected));

export const BrightpearlWebhookBody = z
  .object({
    accountCode: z.string().min(1).max(100),
    resourceType: z.string().min(1).max(100),
    id: z.union([z.string(), z.number()]).transform(String),
    lifecycleEvent: z.string().min(1).max(50),
    fullEvent: z.string().regex(/^[a-z-]+(\.[a-z-]+){1,3}$/, 'must be a Brightpearl event such as product.modified'),
    raisedOn: z.string().max(40).optional(),
  })
  .passthrough();

const BrightpearlWebhookQuery = z.object({ token: z.string().min(1).max(200) }).strict();

function enqueue(ctx: ApiContext, requests: FlowRequest[]): { type: string; runId: number | null; queued: boolean }[] {
  const out: { type: string; runId: number | null; queued: boolean }[] = [];
  for (const r of requests) {
    if (!ctx.engine.isAvailable(r.type) || !ctx.store.flows.get(r.type)?.enabled) continue;
    try {
      out.push({ type: r.type, ...ctx.engine.request(r.type, { trigger: 'webhook', scope: r.scope }) });
    } catch {
      // Another process holds the flow: the delivery is recorded and polling picks it up.
      out.push({ type: r.type, runId: null, queued: false });
    }
  }
  return out;
}

export async function webhookRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  // Keep the raw bytes: the signature is over the body exactly as sent.
  app.removeContentTypeParser(['application/json', 'application/x-www-form-urlencoded']);
  app.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], { parseAs: 'buffer', bodyLimit: 2 * 1024 * 1024 }, (_req, body, done) =>
    done(null, body),
  );

  app.post('/webhooks/woocommerce', async (request: FastifyRequest, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = request.headers['x-wc-webhook-signature'];
    // The creation ping is a form post without signature: answer 200 and queue nothing.
    if (!signature && /^webhook_id=\d+$/.test(raw.toString('utf8').trim())) return reply.code(200).send({ ok: true, ping: true });
    const secret = ctx.webhooks?.woocommerceSecret;
    if (!secret) throw new ApiError(401, 'webhook_not_configured', 'WooCommerce webhooks are not configured in the sync service (BPWC_WC_WEBHOOK_SECRET).');
    if (typeof signature !== 'string' || !verifyWebhookSignature(raw, secret, signature)) {
      throw new ApiError(401, 'invalid_signature', 'X-WC-Webhook-Signature is missing or does not match the body.');
    }
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ApiError(400, 'invalid_json', 'The webhook body is not valid JSON.');
    }
    const topic = String(request.headers['x-wc-webhook-topic'] ?? '');
    if (!/^[a-z_]+\.[a-z_]+$/.test(topic)) throw new ApiError(400, 'invalid_request', 'headers.x-wc-webhook-topic: must be a topic such as order.updated');
    const id = (payload as { id?: unknown } | null)?.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) throw new ApiError(400, 'invalid_request', 'body.id: must be the resource id');
    const deliveryId = request.headers['x-wc-webhook-delivery-id'];
    const key = typeof deliveryId === 'string' && deliveryId ? `delivery:${deliveryId}` : `body:${sha256(Buffer.concat([Buffer.from(topic), raw])).toString('hex')}`;
    const requests = woocommerceTopicRequests(topic);
    if (!ctx.store.webhooks.accept('woocommerce', key, topic, [String(id)], requests.length ? 'queued' : 'ignored')) {
      return reply.code(200).send({ ok: true, duplicate: true });
    }
    return reply.code(202).send({ ok: true, runs: enqueue(ctx, requests) });
  });

  app.post('/webhooks/brightpearl', async (request, reply) => {
    const { token } = parse(BrightpearlWebhookQuery, request.query, 'query');
    const secret = ctx.webhooks?.brightpearlSecret;
    if (!secret || !sameSecret(token, secret)) throw new ApiError(401, 'invalid_token', 'The webhook URL token does not match BPWC_BRIGHTPEARL_WEBHOOK_SECRET.');
    const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new ApiError(400, 'invalid_json', 'The webhook body is not valid JSON.');
    }
    const event = parse(BrightpearlWebhookBody, json, 'body');
    if (ctx.webhooks?.brightpearlAccount && event.accountCode !== ctx.webhooks.brightpearlAccount) {
      throw new ApiError(400, 'invalid_request', `body.accountCode: ${event.accountCode} is not the configured Brightpearl account`);
    }
    const set = parseIdSet(event.id);
    if (set.invalid.length || set.ranges.length === 0) throw new ApiError(400, 'invalid_request', 'body.id: must be a Brightpearl ID set such as 1001-1005,1010');
    let ids: number[];
    try {
      ids = expandIdSet(set, 10_000);
    } catch {
      throw new ApiError(400, 'invalid_request', 'body.id: names more than 10000 ids');
    }
    const key = sha256(`${event.fullEvent}|${event.id}|${event.raisedOn ?? ''}`).toString('hex');
    const requests = brightpearlEventRequests(event.fullEvent, ids);
    if (!ctx.store.webhooks.accept('brightpearl', key, event.fullEvent, ids.map(String), requests.length ? 'queued' : 'ignored')) {
      return reply.code(200).send({ ok: true, duplicate: true });
    }
    return reply.code(202).send({ ok: true, runs: enqueue(ctx, requests) });
  });
}
