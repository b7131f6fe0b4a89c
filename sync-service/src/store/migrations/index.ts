/** Numbered migrations, applied in order at start-up. Never edit a released one; add the next. */
import { sql as initial } from './0001-initial';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [{ version: 1, name: 'initial', sql: initial }];
