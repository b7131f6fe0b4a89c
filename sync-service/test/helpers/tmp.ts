import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temp directory for this test file, removed in afterAll. Call at the top level of a test file
 * (or a describe block); `path(name)` gives a fresh file path inside it.
 */
export function useTempDir(prefix = 'bpwc-test-'): { dir: () => string; path: (name?: string) => string } {
  let dir = '';
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    path: (name?: string) => join(dir, name ?? `db-${++n}.sqlite`),
  };
}
