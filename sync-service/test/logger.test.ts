import { Writable } from 'node:stream';
import { createLogger, readableLine } from '../src/logger';
import { loadConfig } from '../src/config/load';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  const config = loadConfig({
    env: {
      BPWC_TOKEN: 'service-token-0123456789abcdef',
      BPWC_BRIGHTPEARL_URL: 'http://127.0.0.1:1',
      BPWC_BRIGHTPEARL_ACCOUNT: 'acme',
      BPWC_BRIGHTPEARL_APP_REF: 'acme_sync',
      BPWC_BRIGHTPEARL_ACCOUNT_TOKEN: 'bp-secret-token-value',
      BPWC_WC_URL: 'http://127.0.0.1:2',
      BPWC_WC_CONSUMER_KEY: 'ck_abcdef0123456789',
      BPWC_WC_CONSUMER_SECRET: 'cs_abcdef0123456789',
    },
  });

  it('scrubs every configured secret from any log line, even inside an error message', async () => {
    const { lines, stream } = capture();
    const log = createLogger(config, stream);
    log.error({ err: 'GET failed with consumer secret cs_abcdef0123456789 and bp-secret-token-value', headers: { authorization: 'Bearer service-token-0123456789abcdef' } }, 'request failed');
    log.info({ token: 'service-token-0123456789abcdef' }, 'token service-token-0123456789abcdef in text');
    await new Promise((r) => setImmediate(r));
    const text = lines.join('');
    for (const secret of ['cs_abcdef0123456789', 'ck_abcdef0123456789', 'bp-secret-token-value', 'service-token-0123456789abcdef']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('prints readable lines in the demo', () => {
    const line = readableLine(JSON.stringify({ level: 30, time: Date.parse('2026-12-03T16:33:00Z'), pid: 1, hostname: 'h', msg: 'run finished', flow: 'inventory', counts: { seen: 3 } }));
    expect(line).toBe('16:33:00 INFO  run finished  flow=inventory counts={"seen":3}\n');
    expect(readableLine('not json')).toBe('not json');
  });
});
