import { systemClock, type Clock } from './clock';
import { openDatabase, type Db } from './database';
import { FlowStore } from './flow-store';
import { MappingStore } from './mapping-store';
import { RunStore } from './run-store';
import { SettingsStore } from './settings-store';
import { SyncItemStore } from './sync-item-store';
import { WebhookStore } from './webhook-store';

export class Store {
  readonly flows: FlowStore;
  readonly runs: RunStore;
  readonly items: SyncItemStore;
  readonly mappings: MappingStore;
  readonly settings: SettingsStore;
  readonly webhooks: WebhookStore;

  constructor(
    readonly db: Db,
    readonly clock: Clock = systemClock,
  ) {
    this.flows = new FlowStore(db, clock);
    this.runs = new RunStore(db, clock);
    this.items = new SyncItemStore(db, clock);
    this.mappings = new MappingStore(db, clock);
    this.settings = new SettingsStore(db, clock);
    this.webhooks = new WebhookStore(db, clock);
  }

  static open(file: string, clock: Clock = systemClock): Store {
    return new Store(openDatabase(file), clock);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export type { Clock } from './clock';
export type { FlowRow } from './flow-store';
export type { RunRow, RunCounts } from './run-store';
export type { SyncItem, Attempt, EntityRef, Outcome, ItemFilter, ItemPage } from './sync-item-store';
export type { IdMapping } from './mapping-store';
