import type { Migration } from './types'

export const migration0002: Migration = {
  version: 2,
  name: 'staff_and_settings',
  up(db) {
    db.exec(`
      CREATE TABLE staff (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('secretary', 'principal', 'admin')),
        -- scrypt, self-describing: "scrypt$N$r$p$salt$hash" (base64)
        password_hash TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `)
  },
}
