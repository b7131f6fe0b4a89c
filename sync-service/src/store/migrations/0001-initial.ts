/** Initial schema. Dates are ISO 8601 UTC strings with milliseconds, so they sort as text. */
export const sql = `
CREATE TABLE flows (
  id              TEXT PRIMARY KEY,
  enabled         INTEGER NOT NULL,
  schedule        TEXT NOT NULL,
  -- Flow-owned resume point (a watermark or a cursor), opaque to the engine.
  cursor          TEXT,
  lock_owner      TEXT,
  lock_run_id     INTEGER,
  lock_expires_at TEXT,
  heartbeat_at    TEXT,
  updated_at      TEXT NOT NULL
);

CREATE TABLE runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  flow_id     TEXT NOT NULL REFERENCES flows(id),
  trigger     TEXT NOT NULL,
  status      TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  seen        INTEGER NOT NULL DEFAULT 0,
  synced      INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  unchanged   INTEGER NOT NULL DEFAULT 0,
  error       TEXT,
  owner       TEXT NOT NULL
);
CREATE INDEX runs_flow ON runs (flow_id, id DESC);

-- Current state: one row per entity and type.
CREATE TABLE sync_items (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  type          TEXT NOT NULL,
  entity_id     TEXT NOT NULL,
  bp_id         TEXT,
  wc_id         TEXT,
  info          TEXT NOT NULL,
  status        TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  last_error    TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_run_id   INTEGER,
  -- Flow-owned fingerprint of what was last written (e.g. the stock level), to write only changes.
  last_value    TEXT,
  UNIQUE (type, entity_id)
);
CREATE INDEX sync_items_type_id ON sync_items (type, id);
CREATE INDEX sync_items_type_status_id ON sync_items (type, status, id);
CREATE INDEX sync_items_type_updated ON sync_items (type, updated_at);

-- Append-only history of every attempt on an item.
CREATE TABLE sync_attempts (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  item_id  INTEGER NOT NULL REFERENCES sync_items(id) ON DELETE CASCADE,
  run_id   INTEGER,
  at       TEXT NOT NULL,
  outcome  TEXT NOT NULL,
  message  TEXT,
  request  TEXT,
  response TEXT
);
CREATE INDEX sync_attempts_item ON sync_attempts (item_id, id);
CREATE INDEX sync_attempts_at ON sync_attempts (at);

-- Brightpearl id <-> WooCommerce id per entity type.
CREATE TABLE id_mappings (
  type         TEXT NOT NULL,
  bp_id        TEXT NOT NULL,
  wc_id        TEXT NOT NULL,
  wc_parent_id TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (type, bp_id)
);
CREATE UNIQUE INDEX id_mappings_wc ON id_mappings (type, wc_id);
`;
