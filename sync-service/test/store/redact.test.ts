import { redact, redactText, summarize } from '../../src/domain/redact';
import { Store } from '../../src/store';
import { useTempDir } from '../helpers/tmp';

const tmp = useTempDir('bpwc-redact-');

const SECRETS = ['ck_live0123456789', 'cs_live9876543210', 'bp-account-token-xyz', 'bearer-token-abc.def', 'basic-cred-b64==', 'p4ssw0rd!', 'api-key-777', 'oauth-sig-999', 'cookie-val', 'json-in-text-secret'];

const request = {
  method: 'PUT',
  url: `https://shop.example.com/wp-json/wc/v3/products/5?consumer_key=${SECRETS[0]}&consumer_secret=${SECRETS[1]}&oauth_signature=${SECRETS[7]}`,
  headers: { 'brightpearl-account-token': SECRETS[2], Authorization: `Bearer ${SECRETS[3]}`, 'X-Api-Key': SECRETS[6], Cookie: SECRETS[8], 'content-type': 'application/json' },
  body: { stock_quantity: 12, password: SECRETS[5], nested: [{ accessToken: 'x-secret-in-array' }] },
  note: `retrying with Authorization: Basic ${SECRETS[4]}`,
};
const response = { status: 401, body: `{"error":"bad","access_token":"${SECRETS[9]}"}`, message: `token=${SECRETS[3]} rejected` };

describe('redact()', () => {
  it('replaces secret keys at any depth and keeps the rest', () => {
    const out = redact(request) as typeof request;
    expect(out.headers).toEqual({ 'brightpearl-account-token': '[redacted]', Authorization: '[redacted]', 'X-Api-Key': '[redacted]', Cookie: '[redacted]', 'content-type': 'application/json' });
    expect(out.body).toEqual({ stock_quantity: 12, password: '[redacted]', nested: [{ accessToken: '[redacted]' }] });
    expect(out.method).toBe('PUT');
    expect(out.url).toContain('consumer_key=[redacted]');
    expect(out.url).toContain('consumer_secret=[redacted]');
    expect(out.url).toContain('oauth_signature=[redacted]');
    expect(out.url).toContain('/wp-json/wc/v3/products/5?');
    // The input is not changed.
    expect(request.headers.Authorization).toBe(`Bearer ${SECRETS[3]}`);
  });

  it('scrubs bearer/basic credentials and key=value secrets in free text', () => {
    expect(redactText(`Authorization: Bearer ${SECRETS[3]}`)).toBe('Authorization: Bearer [redacted]');
    expect(redactText(`authorization: bearer ${SECRETS[3]}`)).not.toContain(SECRETS[3]);
    expect(redactText(`Basic ${SECRETS[4]} failed`)).toBe('Basic [redacted] failed');
    expect(redactText(`GET /x?access_token=${SECRETS[2]}&page=2`)).toBe('GET /x?access_token=[redacted]&page=2');
    expect(redactText('nothing to hide here')).toBe('nothing to hide here');
  });

  it('scrubs secret fields inside JSON kept as text (e.g. a raw response body)', () => {
    expect(redactText(`{"error":"bad","access_token":"${SECRETS[9]}"}`)).toBe('{"error":"bad","access_token":"[redacted]"}');
    expect(redactText(`{"consumerSecret": "${SECRETS[1]}", "ok": "yes"}`)).toBe('{"consumerSecret": "[redacted]", "ok": "yes"}');
  });

  it('bounds depth and array length', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(JSON.stringify(redact(deep))).toContain('[…]');
    expect((redact(Array.from({ length: 80 }, (_, i) => i)) as number[]).length).toBe(50);
  });
});

describe('summarize()', () => {
  it('is null for nothing, JSON otherwise, and bounded in size', () => {
    expect(summarize(undefined)).toBeNull();
    expect(summarize(null)).toBeNull();
    expect(summarize({ a: 1 })).toBe('{"a":1}');
    const long = summarize({ text: 'x'.repeat(5000) }, 100)!;
    expect(long).toHaveLength(101);
    expect(long.endsWith('…')).toBe(true);
  });

  it('truncates after redacting, so a cut never exposes a secret', () => {
    const text = summarize({ pad: 'x'.repeat(90), token: SECRETS[2] }, 100)!;
    expect(text).not.toContain(SECRETS[2]!.slice(0, 5));
  });
});

describe('attempt history never stores secrets', () => {
  it('redacts request and response summaries written by record()', () => {
    const store = Store.open(tmp.path());
    try {
      store.items.seen('product', [
        { entityId: 'P1', info: 'One' },
        { entityId: 'P2', info: 'Two' },
      ]);
      store.items.record('product', null, [
        { entityId: 'P1', status: 'synced', request, response },
        { entityId: 'P2', status: 'failed', message: 'rejected', request, response },
      ]);
      const stored = (store.db.prepare('SELECT request, response FROM sync_attempts').all() as { request: string; response: string }[])
        .map((r) => `${r.request}\n${r.response}`)
        .join('\n');
      expect(stored).toContain('stock_quantity');
      for (const s of SECRETS) expect(stored).not.toContain(s);
      const history = store.items.attempts(store.items.getByEntity('product', 'P1')!.id);
      expect(history[0]!.request).toMatchObject({ method: 'PUT', headers: { Authorization: '[redacted]' } });
    } finally {
      store.close();
    }
  });
});
