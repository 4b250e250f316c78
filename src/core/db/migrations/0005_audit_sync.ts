import type { Migration } from './types'

export const migration0005: Migration = {
  version: 5,
  name: 'audit_outbox_sync',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        staff_id TEXT REFERENCES staff(id),
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT,
        entity_id TEXT,
        before TEXT,
        after TEXT,
        detail TEXT
      ) STRICT;
      CREATE INDEX audit_by_entity ON audit_log (entity, entity_id);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

      -- The outbox: written in the same transaction as the change it carries (SYNC.md).
      -- seq gives the send order; id is the mutation's idempotency key on the server.
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        school_id TEXT NOT NULL REFERENCES schools(id),
        type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        base_version INTEGER,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'duplicate', 'conflict', 'rejected')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_attempt_at TEXT,
        result TEXT
      ) STRICT;
      CREATE INDEX outbox_pending ON outbox (state, seq);

      CREATE TABLE sync_state (
        school_id TEXT PRIMARY KEY REFERENCES schools(id),
        last_seq INTEGER NOT NULL DEFAULT 0,
        last_pull_at TEXT,
        last_push_at TEXT,
        last_error TEXT
      ) STRICT;

      -- Secrets (the central token, the processor key) are stored only as ciphertext made by
      -- the shell (Electron safeStorage) or the documented local key in browser mode.
      CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        scheme TEXT NOT NULL,
        ciphertext BLOB NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `)
  },
}
