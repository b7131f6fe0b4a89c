/** Settings edited from the admin page (mappings between the two systems), one JSON document per key. */
export const sql = `
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;
