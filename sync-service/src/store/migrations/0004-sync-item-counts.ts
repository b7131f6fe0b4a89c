/**
 * Item counts per type and status, kept by triggers, so the log's `total` and the Flows tab's
 * counts are read in O(1) instead of counting a million index entries on every page.
 * (An INSERT OR REPLACE would bypass the delete trigger; the store never uses one on sync_items.)
 */
export const sql = `
CREATE TABLE sync_item_counts (
  type   TEXT NOT NULL,
  status TEXT NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (type, status)
) WITHOUT ROWID;

INSERT INTO sync_item_counts (type, status, n) SELECT type, status, COUNT(*) FROM sync_items GROUP BY type, status;

CREATE TRIGGER sync_item_counts_insert AFTER INSERT ON sync_items BEGIN
  INSERT INTO sync_item_counts (type, status, n) VALUES (NEW.type, NEW.status, 1)
    ON CONFLICT (type, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER sync_item_counts_delete AFTER DELETE ON sync_items BEGIN
  UPDATE sync_item_counts SET n = n - 1 WHERE type = OLD.type AND status = OLD.status;
END;

CREATE TRIGGER sync_item_counts_update AFTER UPDATE OF type, status ON sync_items
  WHEN OLD.type IS NOT NEW.type OR OLD.status IS NOT NEW.status BEGIN
  UPDATE sync_item_counts SET n = n - 1 WHERE type = OLD.type AND status = OLD.status;
  INSERT INTO sync_item_counts (type, status, n) VALUES (NEW.type, NEW.status, 1)
    ON CONFLICT (type, status) DO UPDATE SET n = n + 1;
END;
`;
