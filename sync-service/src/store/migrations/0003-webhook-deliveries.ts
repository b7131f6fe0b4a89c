/** Every webhook delivery we accepted, keyed so a replayed delivery is recognised and does nothing new. */
export const sql = `
CREATE TABLE webhook_deliveries (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  source       TEXT NOT NULL,
  delivery_key TEXT NOT NULL,
  topic        TEXT NOT NULL,
  resource_ids TEXT NOT NULL,
  received_at  TEXT NOT NULL,
  outcome      TEXT NOT NULL,
  UNIQUE (source, delivery_key)
);
CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);
`;
