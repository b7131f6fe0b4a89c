/**
 * Webhooks of the simulated Brightpearl account (§10 of the reference): subscriptions
 * (`integration-service/webhook`) and their delivery.
 *
 * Delivery: every data change (`onChange`) whose event a subscription covers is queued per
 * subscription and event, and sent `delayMs` later (asynchronously, as Brightpearl does), so
 * changes close together travel in one call when `idSetAccepted` is true (`${resource-id}` =
 * an ID set such as `812,815`), or one call per id otherwise. QoS 1 retries anything but a 2xx or
 * 4xx answer (network errors and timeouts included), QoS 0 only a 503, both at most
 * `maxAttempts` times with doubling delays.
 *
 * A subscription covers an event when it names it or one of its prefixes (`order.modified`
 * covers `order.modified.order-status`), which is why a status change reaches both
 * `order.modified` and `order.modified.order-status` subscribers.
 */
import { request } from 'undici';
import { formatIdSet, parseIdSet, expandIdSet } from '../../brightpearl/idset';
import { nextId, onChange, type BrightpearlSimState, type DataChange } from './data';
import { BrightpearlApiError, ERROR_CODES, notFound } from './envelope';

/** What can be subscribed to. `order.created` and `contact.*` are refused (as observed in 2026). */
export const SUBSCRIBABLE_EVENTS: readonly string[] = [
  'product',
  'product.created',
  'product.modified',
  'product.destroyed',
  'product.modified.on-hand-modified',
  'sales-order',
  'sales-order.created',
  'order',
  'order.modified',
  'order.modified.order-status',
  'order.modified.fully-shipped',
  'goods-out-note',
  'goods-out-note.created',
  'goods-out-note.destroyed',
  'goods-out-note.modified',
  'goods-out-note.modified.printed',
  'goods-out-note.modified.picked',
  'goods-out-note.modified.packed',
  'goods-out-note.modified.un-printed',
  'goods-out-note.modified.un-picked',
  'goods-out-note.modified.un-packed',
  'goods-out-note.modified.shipped',
  'goods-in-note',
  'goods-in-note.created',
  'drop-ship-note',
  'drop-ship-note.created',
  'drop-ship-note.destroyed',
  'drop-ship-note.modified.shipped',
  'quarantine-release',
  'quarantine-release.created',
];
const SUBSCRIBABLE = new Set(SUBSCRIBABLE_EVENTS);

export const WEBHOOK_HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
export type WebhookHttpMethod = (typeof WEBHOOK_HTTP_METHODS)[number];

/** What `${brightpearl-version}` renders to. */
export const SIMULATED_BRIGHTPEARL_VERSION = '6.200.0-sim';

export interface SimWebhook {
  id: number;
  subscribeTo: string;
  httpMethod: WebhookHttpMethod;
  uriTemplate: string;
  bodyTemplate?: string;
  contentType?: string;
  idSetAccepted: boolean;
  qualityOfService: 0 | 1;
  /** Another integration's hook (seed data): listed, never called. */
  inert?: boolean;
}

export interface WebhookDelivery {
  webhookId: number;
  fullEvent: string;
  /** The `${resource-id}` sent: an ID set or one id. */
  resourceId: string;
  method: WebhookHttpMethod;
  url: string;
  body?: string;
  attempt: number;
  /** HTTP status of the answer; absent when the call failed without one. */
  status?: number;
  error?: string;
  /** Epoch ms. */
  at: number;
}

const MAX_DELIVERY_LOG = 1000;

type Json = Record<string, unknown>;

function invalid(message: string): BrightpearlApiError {
  return new BrightpearlApiError(400, ERROR_CODES.WEBHOOK_INVALID, message);
}

export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\$\{([a-z-]+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

/** Whether `subscribeTo` covers `fullEvent` (equal, or a dotted prefix of it). */
export function covers(subscribeTo: string, fullEvent: string): boolean {
  return fullEvent === subscribeTo || fullEvent.startsWith(`${subscribeTo}.`);
}

/** `POST integration-service/webhook` → the new webhook id. */
export function createWebhook(state: BrightpearlSimState, input: unknown, opts: { inert?: boolean } = {}): number {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BrightpearlApiError(400, ERROR_CODES.NO_JSON_BODY, 'The request needs a JSON object body');
  }
  const body = input as Json;
  if (typeof body.subscribeTo !== 'string' || !SUBSCRIBABLE.has(body.subscribeTo)) {
    throw new BrightpearlApiError(
      400,
      ERROR_CODES.WEBHOOK_UNSUBSCRIBABLE,
      `Cannot subscribe to ${JSON.stringify(body.subscribeTo ?? null)}: not a subscribable event`,
    );
  }
  const httpMethod = typeof body.httpMethod === 'string' ? body.httpMethod.toUpperCase() : '';
  if (!(WEBHOOK_HTTP_METHODS as readonly string[]).includes(httpMethod)) throw invalid(`httpMethod must be one of ${WEBHOOK_HTTP_METHODS.join(', ')}`);
  if (typeof body.uriTemplate !== 'string' || body.uriTemplate.trim() === '') throw invalid('uriTemplate is required');
  let url: URL;
  try {
    url = new URL(renderTemplate(body.uriTemplate, new Proxy({}, { get: () => '1' }) as Record<string, string>));
  } catch {
    throw invalid(`uriTemplate is not an absolute URL: ${body.uriTemplate}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('uriTemplate must be an http or https URL');
  const withBody = httpMethod === 'POST' || httpMethod === 'PUT';
  if (withBody && (typeof body.bodyTemplate !== 'string' || body.bodyTemplate === '')) throw invalid(`bodyTemplate is required for ${httpMethod}`);
  if (withBody && (typeof body.contentType !== 'string' || body.contentType === '')) throw invalid(`contentType is required for ${httpMethod}`);
  if (body.idSetAccepted !== undefined && typeof body.idSetAccepted !== 'boolean') throw invalid('idSetAccepted must be true or false');
  if (body.qualityOfService !== undefined && body.qualityOfService !== 0 && body.qualityOfService !== 1) throw invalid('qualityOfService must be 0 or 1');
  const id = nextId(state, 'webhook');
  state.webhooks.set(id, {
    id,
    subscribeTo: body.subscribeTo,
    httpMethod: httpMethod as WebhookHttpMethod,
    uriTemplate: body.uriTemplate,
    ...(withBody ? { bodyTemplate: body.bodyTemplate as string, contentType: body.contentType as string } : {}),
    idSetAccepted: body.idSetAccepted === true,
    qualityOfService: body.qualityOfService === 1 ? 1 : 0,
    ...(opts.inert ? { inert: true } : {}),
  });
  return id;
}

export function deleteWebhook(state: BrightpearlSimState, id: number): void {
  if (!state.webhooks.delete(id)) throw notFound(`Webhook ${id} does not exist`);
}

export function webhookView(w: SimWebhook): Json {
  return {
    id: w.id,
    subscribeTo: w.subscribeTo,
    httpMethod: w.httpMethod,
    uriTemplate: w.uriTemplate,
    ...(w.bodyTemplate !== undefined ? { bodyTemplate: w.bodyTemplate, contentType: w.contentType } : {}),
    idSetAccepted: w.idSetAccepted,
    qualityOfService: w.qualityOfService,
  };
}

export interface WebhookDispatcherOptions {
  /** Wait between a change and its delivery (changes within it are batched). Default 1000. */
  delayMs?: number;
  /** Attempts per call, first included. Default 5. */
  maxAttempts?: number;
  /** First retry delay, doubled per attempt. Default `delayMs`. */
  retryDelayMs?: number;
  /** Per call. Default 5000. */
  timeoutMs?: number;
}

interface Batch {
  webhookId: number;
  change: DataChange;
  ids: Set<number>;
}

type TemplateVars = Record<string, string>;

/** ISO-8601 UTC without milliseconds, as in the reference's payload example. */
function raisedOn(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class WebhookDispatcher {
  private readonly delayMs: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;
  private readonly batches = new Map<string, Batch>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private inFlight = 0;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly state: BrightpearlSimState,
    options: WebhookDispatcherOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 1000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.retryDelayMs = options.retryDelayMs ?? Math.max(10, this.delayMs);
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.unsubscribe = onChange(state, (change) => this.handle(change));
  }

  /** Queues a change for every subscription that covers it. */
  private handle(change: DataChange): void {
    if (this.closed || !SUBSCRIBABLE.has(change.fullEvent)) return;
    for (const webhook of this.state.webhooks.values()) {
      if (webhook.inert || !covers(webhook.subscribeTo, change.fullEvent)) continue;
      const key = `${webhook.id}|${change.fullEvent}`;
      let batch = this.batches.get(key);
      if (!batch) {
        batch = { webhookId: webhook.id, change, ids: new Set() };
        this.batches.set(key, batch);
        this.later(this.delayMs, () => this.flush(key));
      }
      for (const id of change.ids) batch.ids.add(id);
    }
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private flush(key: string): void {
    const batch = this.batches.get(key);
    this.batches.delete(key);
    const webhook = batch && this.state.webhooks.get(batch.webhookId);
    if (!batch || !webhook) return;
    const ids = [...batch.ids].sort((a, b) => a - b);
    const resourceIds = webhook.idSetAccepted ? [formatIdSet(ids)] : ids.map(String);
    for (const resourceId of resourceIds) void this.attempt(webhook.id, this.vars(batch.change, resourceId), 1);
  }

  private vars(change: Pick<DataChange, 'resourceType' | 'lifecycleEvent' | 'fullEvent' | 'raisedOn'>, resourceId: string): TemplateVars {
    return {
      'account-code': this.state.accountCode,
      'resource-type': change.resourceType,
      'resource-id': resourceId,
      'lifecycle-event': change.lifecycleEvent,
      'full-event': change.fullEvent,
      'resource-specifier': change.fullEvent.split('.').slice(2).join('.'),
      'raised-on': raisedOn(change.raisedOn),
      'brightpearl-version': SIMULATED_BRIGHTPEARL_VERSION,
    };
  }

  private retryable(qos: 0 | 1, status: number | undefined): boolean {
    if (qos === 0) return status === 503;
    return status === undefined || status < 400 || status >= 500;
  }

  private async attempt(webhookId: number, vars: TemplateVars, attempt: number): Promise<void> {
    const webhook = this.state.webhooks.get(webhookId);
    if (!webhook || this.closed) return;
    const url = renderTemplate(webhook.uriTemplate, vars);
    const body = webhook.bodyTemplate === undefined ? undefined : renderTemplate(webhook.bodyTemplate, vars);
    const delivery: WebhookDelivery = {
      webhookId,
      fullEvent: vars['full-event'] ?? '',
      resourceId: vars['resource-id'] ?? '',
      method: webhook.httpMethod,
      url,
      ...(body !== undefined ? { body } : {}),
      attempt,
      at: Date.now(),
    };
    this.inFlight += 1;
    try {
      const res = await request(url, {
        method: webhook.httpMethod,
        headers: body !== undefined ? { 'content-type': webhook.contentType ?? 'application/json' } : {},
        body,
        signal: this.abort.signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      await res.body.dump();
      delivery.status = res.statusCode;
    } catch (err) {
      delivery.error = (err as { code?: string; message?: string }).code ?? (err as Error).message ?? 'failed';
    } finally {
      this.inFlight -= 1;
    }
    const log = this.state.webhookDeliveries;
    log.push(delivery);
    if (log.length > MAX_DELIVERY_LOG) log.splice(0, log.length - MAX_DELIVERY_LOG);
    const ok = delivery.status !== undefined && delivery.status >= 200 && delivery.status < 300;
    if (ok || this.closed || attempt >= this.maxAttempts || !this.retryable(webhook.qualityOfService, delivery.status)) return;
    this.later(this.retryDelayMs * 2 ** (attempt - 1), () => void this.attempt(webhookId, vars, attempt + 1));
  }

  /**
   * `POST integration-service/webhook/{id}/simulate` `{"testData":{"${resource-id}":"1-5",...}}`:
   * one delivery now with the given variables (≤10 ids).
   */
  simulate(webhookId: number, input: unknown): void {
    const webhook = this.state.webhooks.get(webhookId);
    if (!webhook) throw notFound(`Webhook ${webhookId} does not exist`);
    const testData = typeof input === 'object' && input !== null && 'testData' in input ? (input as { testData: unknown }).testData : {};
    if (typeof testData !== 'object' || testData === null || Array.isArray(testData)) throw invalid('testData must be an object of template variables');
    const given: TemplateVars = {};
    for (const [key, value] of Object.entries(testData)) {
      const name = /^\$\{([a-z-]+)\}$/.exec(key)?.[1] ?? key;
      given[name] = String(value);
    }
    const resourceId = given['resource-id'] ?? '1';
    const set = parseIdSet(resourceId);
    if (set.invalid.length > 0 || set.ranges.length === 0) throw invalid(`\${resource-id} must be an ID set, not ${resourceId}`);
    if (expandIdSet(set, 1000).length > 10) throw invalid('At most 10 ids can be simulated');
    const [resourceType = '', lifecycle = 'modified'] = webhook.subscribeTo.split('.');
    const fullEvent = webhook.subscribeTo.includes('.') ? webhook.subscribeTo : `${webhook.subscribeTo}.modified`;
    const vars = {
      ...this.vars(
        {
          resourceType,
          lifecycleEvent: lifecycle as DataChange['lifecycleEvent'],
          fullEvent: fullEvent as DataChange['fullEvent'],
          raisedOn: this.state.now(),
        },
        resourceId,
      ),
      ...given,
    };
    void this.attempt(webhookId, vars, 1);
  }

  /** Nothing queued, waiting for a retry, or on the wire. */
  isIdle(): boolean {
    return this.batches.size === 0 && this.timers.size === 0 && this.inFlight === 0;
  }

  /** Resolves once every queued delivery (and its retries) is done. */
  async idle(pollMs = 5): Promise<void> {
    while (!this.isIdle()) await new Promise((resolve) => setTimeout(resolve, pollMs));
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.batches.clear();
    this.abort.abort();
  }
}
