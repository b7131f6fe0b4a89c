import { DEFAULT_MAPPINGS, MappingsSchema, type Mappings } from '../settings/mappings';
import { iso, type Clock } from './clock';
import type { Db } from './database';

export class SettingsStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The saved mappings, or the defaults; a document from an older version gains new defaults. */
  mappings(): Mappings {
    const raw = this.db.prepare("SELECT value FROM settings WHERE key = 'mappings'").pluck().get() as string | undefined;
    if (!raw) return DEFAULT_MAPPINGS;
    const parsed = MappingsSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : DEFAULT_MAPPINGS;
  }

  hasMappings(): boolean {
    return this.db.prepare("SELECT 1 FROM settings WHERE key = 'mappings'").get() !== undefined;
  }

  saveMappings(mappings: Mappings): void {
    this.db
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('mappings', ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
      .run(JSON.stringify(mappings), iso(this.clock()));
  }
}
