/**
 * WC_REST_Authentication for the simulator: over HTTPS (assumeHttps) consumer_key/consumer_secret
 * query params or Basic auth; otherwise (and as a fallback) OAuth 1.0a one-legged. A request with
 * no usable credentials is anonymous and fails each route's own permission check.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { extractOAuthParams, verifyRequest, type PhpParams } from '../../woocommerce/oauth';
import type { ApiKeyRecord, WooCommerceState } from './data';
import { cannot, WooRestError, type PermissionAction } from './errors';

export interface AuthOptions {
  /** WordPress's is_ssl(): true as if behind a TLS proxy it recognises. */
  assumeHttps: boolean;
}

const authenticatedKeys = new WeakMap<FastifyRequest, ApiKeyRecord>();

const BASIC_REALM = 'Basic realm="WooCommerce API. Use a consumer key in the username field and a consumer secret in the password field."';

/** The site URL as WordPress would build it for this request. */
export function homeUrl(request: FastifyRequest, assumeHttps: boolean): string {
  return `${assumeHttps ? 'https' : 'http'}://${request.headers.host ?? '127.0.0.1'}`;
}

export function requestPath(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '/';
}

/** request.query, parsed PHP-style by the app's querystring parser. */
export function phpQuery(request: FastifyRequest): PhpParams {
  return (request.query ?? {}) as PhpParams;
}

type Outcome = { key: ApiKeyRecord | null } | { error: WooRestError };

function stringParam(query: PhpParams, name: string): string {
  const v = query[name];
  return typeof v === 'string' ? v : '';
}

function basicCredentials(request: FastifyRequest, query: PhpParams): { key: string; secret: string } | undefined {
  // Query parameters win over the header when both are present.
  const qKey = stringParam(query, 'consumer_key');
  const qSecret = stringParam(query, 'consumer_secret');
  if (qKey && qSecret) return { key: qKey, secret: qSecret };
  const header = request.headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const key = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  return key && secret ? { key, secret } : undefined;
}

function authenticate(request: FastifyRequest, state: WooCommerceState, opts: AuthOptions): Outcome {
  const query = phpQuery(request);
  const findKey = (consumerKey: string) => state.apiKeys.find((k) => k.consumerKey === consumerKey);
  let pending: WooRestError | undefined;

  if (opts.assumeHttps) {
    const creds = basicCredentials(request, query);
    const key = creds ? findKey(creds.key) : undefined;
    if (creds && key) {
      if (key.consumerSecret === creds.secret) return { key };
      pending = new WooRestError('woocommerce_rest_authentication_error', 'Consumer secret is invalid.', 401, {}, { 'www-authenticate': BASIC_REALM });
    }
    // An unknown key over Basic is not an error: the request just stays anonymous.
  }

  const header = request.headers.authorization;
  const extraction = extractOAuthParams(query, typeof header === 'string' ? header : undefined);
  if (extraction.kind === 'partial') return { error: new WooRestError(extraction.error.code, extraction.error.message, 401) };
  if (extraction.kind === 'complete') {
    const result = verifyRequest({
      method: request.method,
      url: `${homeUrl(request, opts.assumeHttps)}${requestPath(request)}`,
      params: extraction.params,
      secretFor: (k) => findKey(k)?.consumerSecret,
      nonces: state.nonces,
      nowSeconds: state.nowSeconds(),
    });
    if (!result.ok) return { error: new WooRestError(result.error.code, result.error.message, 401) };
    return { key: findKey(result.consumerKey) ?? null };
  }
  return pending ? { error: pending } : { key: null };
}

function permissionError(key: ApiKeyRecord, method: string): WooRestError | undefined {
  const read = key.permissions === 'read' || key.permissions === 'read_write';
  const write = key.permissions === 'write' || key.permissions === 'read_write';
  switch (method) {
    case 'GET':
    case 'HEAD':
      return read ? undefined : new WooRestError('woocommerce_rest_authentication_error', 'The API key provided does not have read permissions.', 401);
    case 'POST':
    case 'PUT':
    case 'PATCH':
    case 'DELETE':
      return write ? undefined : new WooRestError('woocommerce_rest_authentication_error', 'The API key provided does not have write permissions.', 401);
    case 'OPTIONS':
      return undefined;
    default:
      return new WooRestError('woocommerce_rest_authentication_error', 'Unknown request method.', 401);
  }
}

export function sendRestError(reply: FastifyReply, error: WooRestError): FastifyReply {
  return reply.code(error.status).headers(error.headers).type('application/json; charset=UTF-8').send(error.toBody());
}

/** Keys only authenticate `wc/...` and `wc-...` namespaces. */
export function installAuth(app: FastifyInstance, state: WooCommerceState, opts: AuthOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!/^\/wp-json\/wc[/-]/.test(requestPath(request))) return;
    const outcome = authenticate(request, state, opts);
    if ('error' in outcome) return sendRestError(reply, outcome.error);
    if (!outcome.key) return;
    const denied = permissionError(outcome.key, request.method);
    if (denied) return sendRestError(reply, denied);
    authenticatedKeys.set(request, outcome.key);
  });
}

/** A route's permission_callback: anonymous requests get WooCommerce's 401 for the action. */
export function requireAuth(request: FastifyRequest, action: PermissionAction): ApiKeyRecord {
  const key = authenticatedKeys.get(request);
  if (!key) throw cannot(action);
  return key;
}
