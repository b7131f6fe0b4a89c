/**
 * Webhooks (§8): /wc/v3/webhooks management and a dispatcher that behaves like WooCommerce's
 * Action Scheduler queue: deliveries are queued when a topic's hook fires and sent `delayMs` later,
 * one pending delivery per (webhook, resource) so bursts coalesce, the payload is rendered at
 * delivery time (current state; `{id}` for deleted), signed with base64(HMAC-SHA256(body, secret)),
 * 200–302 counts as success, and a failure when failure_count is already above the limit disables
 * the webhook. Failed deliveries are never retried. The ping (form body `webhook_id=<id>`, no
 * signature) goes out when a webhook is created active or first activated.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { request as httpRequest } from 'undici';
import { signWebhookBody } from '../../woocommerce/webhook-signature';
import type { Random } from '../shared/random';
import { homeUrl, requireAuth } from './auth';
import { matchesCollectionFilters, paginate, readCollectionQuery, readerFor, sortRows, type Row } from './collection';
import type { StoreEvent, WooCommerceState } from './data';
import { WooRestError } from './errors';
import { randomString } from './order-ops';
import { API, apiUrl, BodyReader, idParam, sendJson } from './route-helpers';

export type WebhookStatus = 'active' | 'paused' | 'disabled';
export const WEBHOOK_STATUSES: readonly WebhookStatus[] = ['active', 'paused', 'disabled'];

export interface WebhookRecord {
  id: number;
  name: string;
  status: WebhookStatus;
  topic: string;
  deliveryUrl: string;
  /** Write-only over REST. */
  secret: string;
  userId: number;
  created: number;
  modified: number;
  failureCount: number;
  /** Not pinged yet (`_webhook_pending_delivery`). */
  pendingDelivery: boolean;
}

export interface WebhookDeliveryRecord {
  kind: 'ping' | 'delivery';
  webhookId: number;
  topic: string;
  resourceId?: number;
  deliveryId?: string;
  url: string;
  requestHeaders: Record<string, string>;
  body: string;
  /** HTTP status; undefined when the request failed (refused, timed out). */
  status?: number;
  ok: boolean;
  error?: string;
  /** Milliseconds timestamp of the attempt. */
  at: number;
}

const TOPIC_HOOKS: Record<string, string[]> = {
  'coupon.created': ['woocommerce_process_shop_coupon_meta', 'woocommerce_new_coupon'],
  'coupon.updated': ['woocommerce_process_shop_coupon_meta', 'woocommerce_update_coupon'],
  'coupon.deleted': ['wp_trash_post'],
  'coupon.restored': ['untrashed_post'],
  'customer.created': ['user_register', 'woocommerce_created_customer', 'woocommerce_new_customer'],
  'customer.updated': ['profile_update', 'woocommerce_update_customer'],
  'customer.deleted': ['delete_user'],
  'customer.restored': [],
  'order.created': ['woocommerce_new_order'],
  'order.updated': ['woocommerce_update_order', 'woocommerce_order_refunded', 'woocommerce_delete_order_refund'],
  'order.deleted': ['wp_trash_post', 'woocommerce_trash_order', 'woocommerce_delete_order'],
  'order.restored': ['untrashed_post', 'woocommerce_untrash_order'],
  'product.created': ['woocommerce_process_product_meta', 'woocommerce_new_product', 'woocommerce_new_product_variation'],
  'product.updated': ['woocommerce_process_product_meta', 'woocommerce_update_product', 'woocommerce_update_product_variation'],
  'product.deleted': ['wp_trash_post'],
  'product.restored': ['untrashed_post'],
};

/** wc_is_webhook_valid_topic */
export function isValidTopic(topic: string): boolean {
  if (topic.startsWith('action.')) return topic.length > 'action.'.length;
  return topic in TOPIC_HOOKS;
}

/** wp_json_encode without flags: `/` escaped as `\/`, non-ASCII as `\uXXXX`. Receivers must verify the raw bytes. */
export function phpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** wp_specialchars_decode: WooCommerce decodes HTML entities in the secret before signing. */
function decodeEntities(secret: string): string {
  return secret.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#0?39;/g, "'").replace(/&amp;/g, '&');
}

export interface WebhookDispatcherOptions {
  /** Delay between the triggering write and the delivery (Action Scheduler / WP-Cron lag). */
  delayMs: number;
  /** Per-request timeout for deliveries and pings. */
  timeoutMs: number;
  /** woocommerce_max_webhook_delivery_failures (default 5). */
  maxFailures: number;
  /** The resource as GET shows it now; undefined when it no longer exists. */
  render: (resource: StoreEvent['resource'], id: number) => Record<string, unknown> | undefined;
}

const MAX_LOG = 500;

interface Pending {
  timer: NodeJS.Timeout;
  run: () => void;
}

export class WebhookDispatcher {
  /** Every ping and delivery attempt, oldest first (bounded). */
  readonly log: WebhookDeliveryRecord[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;
  private sequence = 0;
  private closed = false;

  constructor(
    private readonly state: WooCommerceState,
    private readonly opts: WebhookDispatcherOptions,
  ) {
    this.unsubscribe = state.onEvent((e) => this.onEvent(e));
  }

  private userAgent(): string {
    return `WooCommerce/${this.state.wcVersion} Hookshot (WordPress/${this.state.wpVersion})`;
  }

  private onEvent(e: StoreEvent): void {
    if (this.closed) return;
    const topic = `${e.resource}.${e.event}`;
    for (const w of this.state.webhooks.values()) {
      if (w.status !== 'active' || w.topic !== topic) continue;
      const key = `${w.id}:${e.id}`;
      // An identical (webhook, resource) action is already pending: WooCommerce adds no new one.
      if (this.pending.has(key)) continue;
      const run = () => {
        clearTimeout(entry.timer);
        if (this.pending.get(key) !== entry) return;
        this.pending.delete(key);
        this.track(this.deliver(w.id, e));
      };
      const entry: Pending = { timer: setTimeout(() => run(), this.opts.delayMs), run };
      entry.timer.unref();
      this.pending.set(key, entry);
    }
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  /** Deliveries queued but not sent yet. */
  get queued(): number {
    return this.pending.size;
  }

  /** Sends everything queued now and waits until no delivery is queued or in flight. */
  async flush(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      for (const entry of [...this.pending.values()]) entry.run();
      if (this.inflight.size === 0 && this.pending.size === 0) return;
      await Promise.allSettled([...this.inflight]);
    }
  }

  /** Drops what is queued for a webhook (deleted webhooks deliver nothing more). */
  forget(webhookId: number): void {
    for (const [key, entry] of this.pending) {
      if (key.startsWith(`${webhookId}:`)) {
        clearTimeout(entry.timer);
        this.pending.delete(key);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
    await Promise.allSettled([...this.inflight]);
  }

  private record(entry: WebhookDeliveryRecord): void {
    this.log.push(entry);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
  }

  private async post(url: string, headers: Record<string, string>, body: string): Promise<{ status?: number; error?: string }> {
    try {
      const res = await httpRequest(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
      await res.body.dump();
      return { status: res.statusCode };
    } catch (err) {
      const e = err as { code?: string; name?: string; message?: string };
      return { error: e.code ?? e.name ?? e.message ?? 'request failed' };
    }
  }

  /** WC_Webhook::deliver_ping: form body, no X-WC headers, no signature; the result only logged. */
  async ping(w: WebhookRecord): Promise<void> {
    w.pendingDelivery = false;
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': this.userAgent() };
    const body = `webhook_id=${w.id}`;
    const at = Date.now();
    const result = await this.post(w.deliveryUrl, headers, body);
    const ok = result.status !== undefined && result.status >= 200 && result.status < 303;
    this.record({ kind: 'ping', webhookId: w.id, topic: w.topic, url: w.deliveryUrl, requestHeaders: headers, body, status: result.status, ok, error: result.error, at });
  }

  private async deliver(webhookId: number, e: StoreEvent): Promise<void> {
    const w = this.state.webhooks.get(webhookId);
    if (!w || w.status !== 'active' || this.closed) return;
    // Built at delivery time: the current state, not the state when the hook fired.
    const payload = e.event === 'deleted' ? { id: e.id } : this.opts.render(e.resource, e.id);
    if (!payload) return;
    const body = phpJsonEncode(payload);
    const at = Date.now();
    const deliveryId = createHash('md5').update(`${w.id}:${at}:${++this.sequence}`).digest('hex');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': this.userAgent(),
      'x-wc-webhook-source': `${this.state.homeUrl}/`,
      'x-wc-webhook-topic': w.topic,
      'x-wc-webhook-resource': e.resource,
      'x-wc-webhook-event': e.event,
      'x-wc-webhook-signature': signWebhookBody(body, decodeEntities(w.secret)),
      'x-wc-webhook-id': String(w.id),
      'x-wc-webhook-delivery-id': deliveryId,
    };
    const result = await this.post(w.deliveryUrl, headers, body);
    const ok = result.status !== undefined && result.status >= 200 && result.status < 303;
    this.record({ kind: 'delivery', webhookId: w.id, topic: w.topic, resourceId: e.id, deliveryId, url: w.deliveryUrl, requestHeaders: headers, body, status: result.status, ok, error: result.error, at });
    const current = this.state.webhooks.get(webhookId);
    if (!current) return;
    if (ok) {
      current.failureCount = 0;
      return;
    }
    // WC_Webhook::failed_delivery: disabled when a failure happens with the count already above the limit.
    if (current.failureCount > this.opts.maxFailures) {
      current.status = 'disabled';
      current.modified = this.state.nowSeconds();
    } else {
      current.failureCount++;
    }
  }
}

export function renderWebhook(state: WooCommerceState, w: WebhookRecord, home: string): Record<string, unknown> {
  const [resource = '', event = ''] = w.topic.split('.', 2);
  return {
    id: w.id,
    name: w.name,
    status: w.status,
    topic: w.topic,
    resource,
    event,
    hooks: TOPIC_HOOKS[w.topic] ?? (w.topic.startsWith('action.') ? [w.topic.slice('action.'.length)] : []),
    delivery_url: w.deliveryUrl,
    date_created: state.siteDate(w.created),
    date_created_gmt: state.gmtDate(w.created),
    date_modified: state.siteDate(w.modified),
    date_modified_gmt: state.gmtDate(w.modified),
    _links: { self: [{ href: apiUrl(home, `webhooks/${w.id}`) }], collection: [{ href: apiUrl(home, 'webhooks') }] },
  };
}

export interface WebhookRoutesContext {
  state: WooCommerceState;
  dispatcher: WebhookDispatcher;
  assumeHttps: boolean;
  random: Random;
}

const invalidTopic = () => new WooRestError('woocommerce_rest_shop_webhook_invalid_topic', 'Webhook topic is required and must be valid.', 400);
const invalidUrl = () => new WooRestError('woocommerce_rest_shop_webhook_invalid_delivery_url', 'Webhook delivery URL must be a valid URL starting with http:// or https://.', 400);

function validUrl(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

function defaultName(state: WooCommerceState): string {
  const d = new Date((state.nowSeconds() + state.options.gmtOffsetHours * 3600) * 1000);
  const month = d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
  const hours = d.getUTCHours() % 12 || 12;
  const ampm = d.getUTCHours() < 12 ? 'AM' : 'PM';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `Webhook created on ${month} ${pad(d.getUTCDate())}, ${d.getUTCFullYear()} @ ${pad(hours)}:${pad(d.getUTCMinutes())} ${ampm}`;
}

export function registerWebhookRoutes(app: FastifyInstance, ctx: WebhookRoutesContext): void {
  const { state, dispatcher } = ctx;
  const home = (request: FastifyRequest) => homeUrl(request, ctx.assumeHttps);
  const siteOffset = () => state.options.gmtOffsetHours * 3600;
  const rowOf = (w: WebhookRecord): Row & { w: WebhookRecord } => ({ id: w.id, parentId: 0, created: w.created, modified: w.modified, w });

  app.get(`${API}/webhooks`, async (request, reply) => {
    const r = readerFor(request);
    const q = readCollectionQuery(r, { orderbyValues: ['date', 'id', 'include', 'title', 'slug', 'modified'] }, siteOffset());
    const status = r.oneOf('status', ['all', ...WEBHOOK_STATUSES] as const) ?? 'all';
    r.errors.throwIfAny();
    requireAuth(request, 'list');
    const needle = q.search?.toLowerCase();
    const rows = [...state.webhooks.values()]
      .filter((w) => (status === 'all' || w.status === status) && (!needle || w.name.toLowerCase().includes(needle)))
      .map(rowOf)
      .filter((row) => matchesCollectionFilters(row, q));
    const page = paginate(sortRows(rows, q, (row) => row.w.name.toLowerCase()), q, request, home(request));
    return sendJson(
      reply,
      200,
      page.items.map((row) => renderWebhook(state, row.w, home(request))),
      page.headers,
    );
  });

  app.post(`${API}/webhooks`, async (request, reply) => {
    const b = new BodyReader(request.body);
    const name = b.string('name');
    const status = b.oneOf('status', WEBHOOK_STATUSES);
    const topicRaw = b.string('topic');
    const deliveryUrl = b.string('delivery_url');
    const secret = b.string('secret');
    b.errors.throwIfAny();
    const user = requireAuth(request, 'create');
    const topic = (topicRaw ?? '').trim().toLowerCase();
    if (!topic || !isValidTopic(topic)) throw invalidTopic();
    if (!deliveryUrl || !validUrl(deliveryUrl)) throw invalidUrl();
    const now = state.nowSeconds();
    const w: WebhookRecord = {
      id: state.nextWebhookId(),
      name: name && name.trim() !== '' ? name : defaultName(state),
      status: status ?? 'active',
      topic,
      deliveryUrl,
      secret: secret && secret !== '' ? secret : randomString(ctx.random, 50),
      userId: user.userId ?? 1,
      created: now,
      modified: now,
      failureCount: 0,
      pendingDelivery: true,
    };
    state.webhooks.set(w.id, w);
    // The REST create pings and ignores the result.
    if (w.status === 'active') await dispatcher.ping(w);
    return sendJson(reply, 201, renderWebhook(state, w, home(request)), { location: apiUrl(home(request), `webhooks/${w.id}`) });
  });

  app.get(`${API}/webhooks/:id`, async (request, reply) => {
    const id = idParam(request, 'id');
    requireAuth(request, 'view');
    const w = state.webhooks.get(id);
    if (!w) throw new WooRestError('woocommerce_rest_shop_webhook_invalid_id', 'Invalid ID.', 404);
    return sendJson(reply, 200, renderWebhook(state, w, home(request)));
  });

  const update = async (request: FastifyRequest, reply: FastifyReply) => {
    const id = idParam(request, 'id');
    const b = new BodyReader(request.body);
    const name = b.string('name');
    const status = b.oneOf('status', WEBHOOK_STATUSES);
    const topicRaw = b.string('topic');
    const deliveryUrl = b.string('delivery_url');
    const secret = b.string('secret');
    b.errors.throwIfAny();
    requireAuth(request, 'edit');
    const w = state.webhooks.get(id);
    if (!w) throw new WooRestError('woocommerce_rest_shop_webhook_invalid_id', 'ID is invalid.', 400);
    if (topicRaw !== undefined) {
      const topic = topicRaw.trim().toLowerCase();
      if (!isValidTopic(topic)) throw invalidTopic();
      w.topic = topic;
    }
    if (deliveryUrl !== undefined) {
      if (!validUrl(deliveryUrl)) throw invalidUrl();
      w.deliveryUrl = deliveryUrl;
    }
    if (name !== undefined) w.name = name;
    if (secret !== undefined && secret !== '') w.secret = secret;
    if (status !== undefined && status !== w.status) {
      // Re-enabling starts a fresh failure count (otherwise the next failure would disable it again).
      if (status === 'active') w.failureCount = 0;
      else dispatcher.forget(w.id);
      w.status = status;
    }
    w.modified = state.nowSeconds();
    if (w.status === 'active' && w.pendingDelivery) await dispatcher.ping(w);
    return sendJson(reply, 200, renderWebhook(state, w, home(request)));
  };
  app.put(`${API}/webhooks/:id`, update);
  app.patch(`${API}/webhooks/:id`, update);
  app.post(`${API}/webhooks/:id`, update);

  app.delete(`${API}/webhooks/:id`, async (request, reply) => {
    const id = idParam(request, 'id');
    const force = readerFor(request).bool('force') ?? false;
    requireAuth(request, 'delete');
    const w = state.webhooks.get(id);
    if (!w) throw new WooRestError('woocommerce_rest_shop_webhook_invalid_id', 'Invalid ID.', 404);
    if (!force) throw new WooRestError('woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.', 501);
    const body = renderWebhook(state, w, home(request));
    state.webhooks.delete(id);
    dispatcher.forget(id);
    return sendJson(reply, 200, body);
  });

}
