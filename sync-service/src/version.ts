// Read at run time so the compiled output needs no copy of package.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();
