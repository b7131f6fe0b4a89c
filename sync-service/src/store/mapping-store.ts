import type { SyncType } from '../domain/constants';
import { iso, type Clock } from './clock';
import type { Db } from './database';
import { Statements } from './statements';

export interface IdMapping {
  type: SyncType;
  bpId: string;
  wcId: string;
  wcParentId: string | null;
}

interface RawMapping {
  type: SyncType;
  bp_id: string;
  wc_id: string;
  wc_parent_id: string | null;
}
const toMapping = (r: RawMapping): IdMapping => ({ type: r.type, bpId: r.bp_id, wcId: r.wc_id, wcParentId: r.wc_parent_id });

/** Brightpearl id <-> WooCommerce id, per entity type. */
export class MappingStore {
  private readonly statements: Statements;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.statements = new Statements(db);
  }

  byBrightpearl(type: SyncType, bpId: string): IdMapping | undefined {
    const r = this.statements.get('SELECT * FROM id_mappings WHERE type = ? AND bp_id = ?').get(type, bpId) as RawMapping | undefined;
    return r && toMapping(r);
  }

  byWooCommerce(type: SyncType, wcId: string): IdMapping | undefined {
    const r = this.statements.get('SELECT * FROM id_mappings WHERE type = ? AND wc_id = ?').get(type, wcId) as RawMapping | undefined;
    return r && toMapping(r);
  }

  all(type: SyncType): IdMapping[] {
    return (this.db.prepare('SELECT * FROM id_mappings WHERE type = ?').all(type) as RawMapping[]).map(toMapping);
  }

  /** Links ids; a WooCommerce id already linked to another Brightpearl id moves to this one. */
  link(mappings: IdMapping[]): void {
    const now = iso(this.clock());
    const dropOther = this.statements.get('DELETE FROM id_mappings WHERE type = ? AND wc_id = ? AND bp_id != ?');
    const upsert = this.statements.get(
      `INSERT INTO id_mappings (type, bp_id, wc_id, wc_parent_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (type, bp_id) DO UPDATE SET wc_id = excluded.wc_id, wc_parent_id = excluded.wc_parent_id, updated_at = excluded.updated_at
       WHERE id_mappings.wc_id IS NOT excluded.wc_id OR id_mappings.wc_parent_id IS NOT excluded.wc_parent_id`,
    );
    this.db.transaction(() => {
      for (const m of mappings) {
        dropOther.run(m.type, m.wcId, m.bpId);
        upsert.run(m.type, m.bpId, m.wcId, m.wcParentId, now, now);
      }
    })();
  }
}
