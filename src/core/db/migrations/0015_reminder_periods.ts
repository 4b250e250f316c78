import type { Migration } from './types'

/**
 * Reminders per ordering period, and reminders missed (issue 17).
 *
 * `reminder_runs` held one row per item. A program now reminds once per month of dates
 * (`period` 'YYYY-MM'; '' for any other item), and a reminder whose deadline passed while this
 * PC was off is recorded as missed (`outcome` 'missed', no families, no mutation) rather than
 * silently dropped. `due_at` is when it was meant to go; `sent_at` when it went or was found
 * missed. One row per item and period: a reminder never goes twice.
 */
export const migration0015: Migration = {
  version: 15,
  name: 'reminder_periods',
  rebuildsTables: true,
  up(db) {
    db.exec(`
      CREATE TABLE reminder_runs_new (
        id TEXT PRIMARY KEY,
        offering_id TEXT NOT NULL REFERENCES offerings(id),
        period TEXT NOT NULL DEFAULT '' CHECK (period = '' OR period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
        due_at TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        outcome TEXT NOT NULL DEFAULT 'sent' CHECK (outcome IN ('sent', 'missed')),
        family_count INTEGER NOT NULL CHECK (family_count >= 0),
        outbox_id TEXT REFERENCES outbox(id),
        CHECK (outcome = 'sent' OR (family_count = 0 AND outbox_id IS NULL)),
        UNIQUE (offering_id, period)
      ) STRICT;
      INSERT INTO reminder_runs_new (id, offering_id, period, due_at, sent_at, outcome, family_count, outbox_id)
        SELECT id, offering_id, '', sent_at, sent_at, 'sent', family_count, outbox_id FROM reminder_runs;
      DROP TABLE reminder_runs;
      ALTER TABLE reminder_runs_new RENAME TO reminder_runs;
      CREATE TRIGGER reminder_runs_no_update BEFORE UPDATE ON reminder_runs
      BEGIN SELECT RAISE(ABORT, 'reminder_runs is append-only'); END;
      CREATE TRIGGER reminder_runs_no_delete BEFORE DELETE ON reminder_runs
      BEGIN SELECT RAISE(ABORT, 'reminder_runs is append-only'); END;
    `)
  },
}
