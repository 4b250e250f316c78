import type { Migration } from './types'

/**
 * Staff accounts managed in the app (issue 14): the schools each person works for, a one-time
 * password that must be changed at the next sign-in, and a personal PIN that ends a kiosk session.
 * Accounts are disabled, never deleted (the audit log names people).
 *
 * Secretaries and principals already there keep every school of the board (what they could see
 * before); an admin works for the board and needs none.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'staff_accounts',
  up(db) {
    db.exec(`
      ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
      -- scrypt, as password_hash; null until the person sets one (then only their password ends a kiosk).
      ALTER TABLE staff ADD COLUMN pin_hash TEXT;

      CREATE TABLE staff_schools (
        staff_id TEXT NOT NULL REFERENCES staff (id),
        school_id TEXT NOT NULL REFERENCES schools (id),
        PRIMARY KEY (staff_id, school_id)
      ) STRICT, WITHOUT ROWID;

      INSERT INTO staff_schools (staff_id, school_id)
        SELECT staff.id, schools.id FROM staff CROSS JOIN schools WHERE staff.role IN ('secretary', 'principal');
    `)
  },
}
