import Database from 'better-sqlite3';
import { openDatabase, migrate } from '../../src/store/database';
import { MIGRATIONS } from '../../src/store/migrations';
import { Store } from '../../src/store';
import { useTempDir } from '../helpers/tmp';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

const tmp = useTempDir('bpwc-db-');

describe('openDatabase', () => {
  it('creates the directory, applies migrations once and records them', () => {
    const file = join(tmp.dir(), 'nested', 'dir', 'bpwc.sqlite');
    const db = openDatabase(file);
    expect(existsSync(file)).toBe(true);
    const rows = db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as { version: number; name: string; applied_at: string }[];
    expect(rows.map((r) => [r.version, r.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
    expect(Number.isNaN(Date.parse(rows[0]!.applied_at))).toBe(false);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['flows', 'runs', 'sync_items', 'sync_attempts', 'id_mappings', 'schema_migrations']));
    db.prepare("INSERT INTO flows (id, enabled, schedule, updated_at) VALUES ('inventory', 1, '* * * * *', 'x')").run();
    db.close();

    // Re-opening is a no-op: nothing re-applied, data kept.
    const again = openDatabase(file);
    expect(again.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    expect(again.prepare('SELECT applied_at FROM schema_migrations WHERE version = 1').pluck().get()).toBe(rows[0]!.applied_at);
    expect(again.prepare('SELECT COUNT(*) FROM flows').pluck().get()).toBe(1);
    expect(migrate(again, MIGRATIONS)).toEqual([]);
    again.close();
  });

  it('sets WAL mode, a busy timeout and foreign keys', () => {
    const db = openDatabase(tmp.path());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('applies only the migrations not yet recorded, in version order', () => {
    const db = new Database(tmp.path());
    const extra = [
      { version: 3, name: 'three', sql: 'CREATE TABLE t3 (x INTEGER);' },
      { version: 2, name: 'two', sql: 'CREATE TABLE t2 (x INTEGER);' },
    ];
    const versions = MIGRATIONS.map((m) => m.version).sort((a, b) => a - b);
    const next = (versions[versions.length - 1] ?? 0) + 1;
    expect(migrate(db, [...MIGRATIONS, ...extra])).toEqual(versions);
    expect(migrate(db, [...MIGRATIONS, ...extra, { version: next, name: 'next', sql: 'CREATE TABLE t_next (x INTEGER);' }])).toEqual([next]);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([...versions, next]);
    db.close();
  });

  it('rolls a failing migration back completely', () => {
    const db = new Database(tmp.path());
    const next = Math.max(...MIGRATIONS.map((m) => m.version)) + 1;
    const bad = { version: next, name: 'bad', sql: 'CREATE TABLE ok_table (x INTEGER); CREATE TABLE broken (;' };
    expect(() => migrate(db, [...MIGRATIONS, bad])).toThrow();
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'ok_table'").pluck().get()).toBe(0);
    db.close();
  });

  it('Store.close() is idempotent', () => {
    const store = Store.open(tmp.path());
    store.close();
    expect(() => store.close()).not.toThrow();
    expect(store.db.open).toBe(false);
  });
});
