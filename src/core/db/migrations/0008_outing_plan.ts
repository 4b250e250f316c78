import type { Migration } from './types'

/**
 * The outing's planning beyond the catalogue's form: the volunteers who go (with their police
 * records check) and the ratio per band of grades. The buses stay on the outing row (count and
 * seats per bus) and the staff count too: the catalogue and the planning share them.
 *
 * Chaperones are removed by marking them, not by deleting them: the audit log and the day's
 * sheets already printed name them.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'outing_plan',
  up(db) {
    db.exec(`
      CREATE TABLE outing_chaperones (
        id TEXT PRIMARY KEY,
        offering_id TEXT NOT NULL REFERENCES outings(offering_id),
        name TEXT NOT NULL CHECK (length(trim(name)) > 0),
        phone TEXT,
        police_check_expires_on TEXT,
        added_at TEXT NOT NULL,
        added_by TEXT REFERENCES staff(id),
        removed_at TEXT,
        CHECK (removed_at IS NULL OR removed_at >= added_at)
      ) STRICT;
      CREATE INDEX outing_chaperones_by_outing ON outing_chaperones (offering_id, removed_at);

      -- Students per adult for a band of grades ('4,5,6'); without a band the outing's own
      -- chaperone_ratio applies to every grade.
      CREATE TABLE outing_ratio_bands (
        offering_id TEXT NOT NULL REFERENCES outings(offering_id),
        sort INTEGER NOT NULL CHECK (sort >= 0),
        grades TEXT NOT NULL CHECK (length(grades) > 0),
        students_per_adult INTEGER NOT NULL CHECK (students_per_adult > 0),
        PRIMARY KEY (offering_id, sort)
      ) STRICT;
    `)
  },
}
