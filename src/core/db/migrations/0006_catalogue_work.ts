import type { Migration } from './types'

export const migration0006: Migration = {
  version: 6,
  name: 'catalogue_work',
  up(db) {
    db.exec(`
      -- How a program's dates were proposed (weekdays, range, cutoff rule), so the form can
      -- propose more dates the same way. JSON; null for other kinds.
      ALTER TABLE offerings ADD COLUMN program_rule TEXT;

      -- Students per chaperone, one ratio for the outing (ratios per grade band may follow).
      ALTER TABLE outings ADD COLUMN chaperone_ratio INTEGER CHECK (chaperone_ratio > 0);

      -- One row per reminder that went: to how many families, through which outbox mutation.
      CREATE TABLE reminder_runs (
        id TEXT PRIMARY KEY,
        offering_id TEXT NOT NULL REFERENCES offerings(id),
        sent_at TEXT NOT NULL,
        family_count INTEGER NOT NULL CHECK (family_count >= 0),
        outbox_id TEXT REFERENCES outbox(id),
        UNIQUE (offering_id, sent_at)
      ) STRICT;
      CREATE TRIGGER reminder_runs_no_update BEFORE UPDATE ON reminder_runs
      BEGIN SELECT RAISE(ABORT, 'reminder_runs is append-only'); END;
      CREATE TRIGGER reminder_runs_no_delete BEFORE DELETE ON reminder_runs
      BEGIN SELECT RAISE(ABORT, 'reminder_runs is append-only'); END;

      CREATE INDEX outbox_by_entity ON outbox (entity_id, state);
      CREATE INDEX offering_targets_by_value ON offering_targets (kind, value);
    `)
  },
}
