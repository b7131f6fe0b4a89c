import {
  extractOAuthParams,
  hmacSignature,
  NonceStore,
  parseOAuthHeader,
  parsePhpQuery,
  rfc3986,
  signatureBaseString,
  signRequest,
  signUrl,
  urlWithoutQuery,
  verifyRequest,
  type PhpParams,
} from '../../src/woocommerce/oauth';

const KEY = 'ck_test';
const SECRET = 'cs_test';
const NOW = 1_700_000_000;

/** What the simulator does with a signed URL. */
function verifyUrl(method: string, url: string, nonces: NonceStore, nowSeconds = NOW) {
  const query = parsePhpQuery(new URL(url).search.slice(1));
  const extracted = extractOAuthParams(query);
  if (extracted.kind !== 'complete') throw new Error(`expected complete OAuth params, got ${extracted.kind}`);
  return verifyRequest({
    method,
    url: urlWithoutQuery(url),
    params: extracted.params,
    secretFor: (k) => (k === KEY ? SECRET : undefined),
    nonces,
    nowSeconds,
  });
}

describe('OAuth 1.0a one-legged (WooCommerce)', () => {
  it('matches the published OAuth 1.0a example (base string and HMAC-SHA1 signature)', () => {
    // Twitter's "Creating a signature" walkthrough: a classic, independently published vector.
    const params: PhpParams = {
      status: 'Hello Ladies + Gentlemen, a signed OAuth request!',
      include_entities: 'true',
      oauth_consumer_key: 'xvz1evFS4wEEPTGEFPHBog',
      oauth_nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: '1318622958',
      oauth_token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      oauth_version: '1.0',
    };
    const base = signatureBaseString('post', 'https://api.twitter.com/1.1/statuses/update.json', params);
    expect(base).toBe(
      'POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521',
    );
    const key = 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw&LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE';
    expect(hmacSignature('HMAC-SHA1', key, base)).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });

  it('signs a WooCommerce request the way WooCommerce rebuilds it (HMAC-SHA256, key = secret&, query params signed)', () => {
    const oauth = signRequest({
      method: 'GET',
      url: 'http://127.0.0.1:8080/wp-json/wc/v3/products?sku=BP-1%2CBP-2&per_page=100',
      consumerKey: KEY,
      consumerSecret: SECRET,
      timestamp: 1_700_000_000,
      nonce: 'abc123',
    });
    expect(Object.keys(oauth).sort()).toEqual(['oauth_consumer_key', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method', 'oauth_timestamp']);
    expect(oauth.oauth_signature_method).toBe('HMAC-SHA256');
    // Computed independently: printf '%s' "<base>" | openssl dgst -sha256 -hmac 'cs_test&' -binary | base64
    expect(oauth.oauth_signature).toBe('zT/4gXfwr6KmHerupuW/ihhvuvJfs20Vs8Qjk4v3cvA=');
  });

  it('encodes like PHP rawurlencode', () => {
    expect(rfc3986("a b!*'()~-._,/")).toBe('a%20b%21%2A%27%28%29~-._%2C%2F');
  });

  it('flattens array parameters as WooCommerce does (key%5B0%5D)', () => {
    const base = signatureBaseString('GET', 'http://x/wp-json/wc/v3/products', parsePhpQuery('include[]=5&include[]=7'));
    expect(base).toBe('GET&http%3A%2F%2Fx%2Fwp-json%2Fwc%2Fv3%2Fproducts&include%255B0%255D%3D5%26include%255B1%255D%3D7');
  });

  it('round-trips: a signed URL verifies, with SHA-256 and SHA-1', () => {
    for (const signatureMethod of ['HMAC-SHA256', 'HMAC-SHA1'] as const) {
      const url = signUrl({
        method: 'PUT',
        url: 'http://127.0.0.1:1234/wp-json/wc/v3/products/812?_fields=id,sku',
        consumerKey: KEY,
        consumerSecret: SECRET,
        signatureMethod,
        timestamp: NOW,
      });
      expect(verifyUrl('PUT', url, new NonceStore())).toEqual({ ok: true, consumerKey: KEY });
    }
  });

  it('rejects a tampered signature, a changed query and a different method', () => {
    const url = signUrl({ method: 'GET', url: 'http://h/wp-json/wc/v3/products?page=1', consumerKey: KEY, consumerSecret: SECRET, timestamp: NOW });
    const badSignature = url.replace(/oauth_signature=[^&]+/, 'oauth_signature=AAAA');
    const mismatch = { ok: false, error: { code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.', status: 401 } };
    expect(verifyUrl('GET', badSignature, new NonceStore())).toEqual(mismatch);
    expect(verifyUrl('GET', url.replace('page=1', 'page=2'), new NonceStore())).toEqual(mismatch);
    expect(verifyUrl('DELETE', url, new NonceStore())).toEqual(mismatch);
  });

  it('rejects a timestamp outside ±15 minutes', () => {
    for (const timestamp of [NOW - 15 * 60 - 1, NOW + 15 * 60 + 1]) {
      const url = signUrl({ method: 'GET', url: 'http://h/wp-json/wc/v3/products', consumerKey: KEY, consumerSecret: SECRET, timestamp });
      expect(verifyUrl('GET', url, new NonceStore())).toEqual({
        ok: false,
        error: { code: 'woocommerce_rest_authentication_error', message: 'Invalid timestamp.', status: 401 },
      });
    }
    const edge = signUrl({ method: 'GET', url: 'http://h/wp-json/wc/v3/products', consumerKey: KEY, consumerSecret: SECRET, timestamp: NOW - 15 * 60 });
    expect(verifyUrl('GET', edge, new NonceStore()).ok).toBe(true);
  });

  it('rejects a replayed nonce within the window and forgets it afterwards', () => {
    const nonces = new NonceStore();
    const first = signUrl({ method: 'GET', url: 'http://h/wp-json/wc/v3/products', consumerKey: KEY, consumerSecret: SECRET, timestamp: NOW, nonce: 'n1' });
    expect(verifyUrl('GET', first, nonces).ok).toBe(true);
    expect(verifyUrl('GET', first, nonces)).toEqual({
      ok: false,
      error: { code: 'woocommerce_rest_authentication_error', message: 'Invalid nonce - nonce has already been used.', status: 401 },
    });
    // Same nonce, fresh timestamp, 16 minutes later: no longer remembered.
    const later = NOW + 16 * 60;
    const again = signUrl({ method: 'GET', url: 'http://h/wp-json/wc/v3/products', consumerKey: KEY, consumerSecret: SECRET, timestamp: later, nonce: 'n1' });
    expect(verifyUrl('GET', again, nonces, later).ok).toBe(true);
  });

  it('reports an unknown key and an unsupported signature method in WooCommerce words', () => {
    const unknown = signUrl({ method: 'GET', url: 'http://h/wp-json/wc/v3/products', consumerKey: 'ck_nope', consumerSecret: SECRET, timestamp: NOW });
    expect(verifyUrl('GET', unknown, new NonceStore())).toMatchObject({ ok: false, error: { message: 'Consumer key is invalid.' } });
    const plain = `http://h/wp-json/wc/v3/products?oauth_consumer_key=${KEY}&oauth_timestamp=${NOW}&oauth_nonce=x&oauth_signature_method=PLAINTEXT&oauth_signature=cs_test%26`;
    expect(verifyUrl('GET', plain, new NonceStore())).toMatchObject({ ok: false, error: { message: 'Invalid signature - signature method is invalid.' } });
  });

  it('distinguishes no OAuth at all from partial OAuth parameters', () => {
    expect(extractOAuthParams({ per_page: '10' })).toEqual({ kind: 'none' });
    expect(extractOAuthParams({ oauth_consumer_key: KEY, oauth_timestamp: '1', oauth_nonce: 'n', oauth_signature_method: 'HMAC-SHA256' })).toEqual({
      kind: 'partial',
      error: { code: 'woocommerce_rest_authentication_missing_parameter', message: 'Missing OAuth parameter oauth_signature', status: 401 },
    });
    expect(extractOAuthParams({ oauth_consumer_key: KEY })).toMatchObject({
      kind: 'partial',
      error: { message: 'Missing OAuth parameters oauth_timestamp, oauth_nonce, oauth_signature, oauth_signature_method' },
    });
  });

  it('reads parameters from an Authorization: OAuth header', () => {
    const oauth = signRequest({ method: 'GET', url: 'http://h/wp-json/wc/v3/products', consumerKey: KEY, consumerSecret: SECRET, timestamp: NOW });
    const header = `OAuth ${Object.entries(oauth)
      .map(([k, v]) => `${k}="${rfc3986(v)}"`)
      .join(', ')}`;
    expect(parseOAuthHeader(header)).toEqual(oauth);
    const extracted = extractOAuthParams({}, header);
    expect(extracted.kind).toBe('complete');
    if (extracted.kind !== 'complete') return;
    const result = verifyRequest({
      method: 'GET',
      url: 'http://h/wp-json/wc/v3/products',
      params: extracted.params,
      secretFor: () => SECRET,
      nonces: new NonceStore(),
      nowSeconds: NOW,
    });
    expect(result.ok).toBe(true);
  });
});
