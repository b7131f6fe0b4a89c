import { iso, type Clock } from './clock';
import type { Db } from './database';

export type WebhookSource = 'woocommerce' | 'brightpearl';

export class WebhookStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Records a delivery; false when the same delivery was already received (a replay). */
  accept(source: WebhookSource, deliveryKey: string, topic: string, resourceIds: string[], outcome: string): boolean {
    const res = this.db
      .prepare('INSERT OR IGNORE INTO webhook_deliveries (source, delivery_key, topic, resource_ids, received_at, outcome) VALUES (?, ?, ?, ?, ?, ?)')
      .run(source, deliveryKey, topic, resourceIds.join(','), iso(this.clock()), outcome);
    return res.changes === 1;
  }

  count(source?: WebhookSource): number {
    return (source
      ? this.db.prepare('SELECT COUNT(*) FROM webhook_deliveries WHERE source = ?').pluck().get(source)
      : this.db.prepare('SELECT COUNT(*) FROM webhook_deliveries').pluck().get()) as number;
  }

  prune(before: string): number {
    return this.db.prepare('DELETE FROM webhook_deliveries WHERE received_at < ?').run(before).changes;
  }
}
