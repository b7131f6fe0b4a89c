import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

/**
 * Prepared statements kept per connection, by SQL text: preparing costs more than running a
 * one-row statement, and flows call the store once per entity. A call site that uses a mode
 * (`pluck()`) sets it on every use; statements here are never iterated (`iterate()` would lock them).
 */
export class Statements {
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  get(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}
