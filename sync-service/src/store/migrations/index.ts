/** Numbered migrations, applied in order at start-up. Never edit a released one; add the next. */
import { sql as initial } from './0001-initial';
import { sql as settings } from './0002-settings';
import { sql as webhookDeliveries } from './0003-webhook-deliveries';
import { sql as syncItemCounts } from './0004-sync-item-counts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'settings', sql: settings },
  { version: 3, name: 'webhook deliveries', sql: webhookDeliveries },
  { version: 4, name: 'sync item counts', sql: syncItemCounts },
];
