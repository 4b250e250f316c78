import type { Migration } from './types'

export const migration0003: Migration = {
  version: 3,
  name: 'catalogue',
  up(db) {
    db.exec(`
      CREATE TABLE offerings (
        id TEXT PRIMARY KEY,
        source_id TEXT UNIQUE,
        school_id TEXT NOT NULL REFERENCES schools(id),
        kind TEXT NOT NULL CHECK (kind IN ('product', 'program', 'fee', 'outing', 'consent_form')),
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed', 'archived', 'cancelled')),
        school_year TEXT NOT NULL,
        title_fr TEXT NOT NULL,
        title_en TEXT,
        description_fr TEXT NOT NULL DEFAULT '',
        description_en TEXT,
        opens_at TEXT NOT NULL,
        deadline_at TEXT NOT NULL,
        -- base price (product without variants, fee, outing cost per student); 0 when free
        price_cents INTEGER NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
        fee_per TEXT CHECK (fee_per IN ('student', 'family')),
        required INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
        stock_limit INTEGER CHECK (stock_limit > 0),
        per_student_limit INTEGER CHECK (per_student_limit > 0),
        reminder_days_before INTEGER NOT NULL DEFAULT 3 CHECK (reminder_days_before BETWEEN 0 AND 60),
        cancel_reason TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        created_by TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        published_at TEXT,
        CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL)
      ) STRICT;
      CREATE INDEX offerings_by_school ON offerings (school_id, status, deadline_at);

      CREATE TABLE offering_targets (
        offering_id TEXT NOT NULL REFERENCES offerings(id),
        kind TEXT NOT NULL CHECK (kind IN ('school', 'grade', 'class', 'student')),
        value TEXT NOT NULL,
        PRIMARY KEY (offering_id, kind, value)
      ) STRICT;

      CREATE TABLE offering_variants (
        id TEXT PRIMARY KEY,
        offering_id TEXT NOT NULL REFERENCES offerings(id),
        label_fr TEXT NOT NULL,
        label_en TEXT,
        price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
        sort INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
      ) STRICT;
      CREATE INDEX offering_variants_by_offering ON offering_variants (offering_id, sort);

      CREATE TABLE program_dates (
        id TEXT PRIMARY KEY,
        offering_id TEXT NOT NULL REFERENCES offerings(id),
        date TEXT NOT NULL,
        cutoff_at TEXT NOT NULL,
        supplier TEXT,
        status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
        cancel_reason TEXT,
        UNIQUE (offering_id, date),
        CHECK (status <> 'cancelled' OR cancel_reason IS NOT NULL)
      ) STRICT;

      CREATE TABLE outings (
        offering_id TEXT PRIMARY KEY REFERENCES offerings(id),
        starts_on TEXT NOT NULL,
        ends_on TEXT NOT NULL,
        start_time TEXT,
        end_time TEXT,
        destination TEXT NOT NULL,
        venue_limit INTEGER CHECK (venue_limit > 0),
        bus_count INTEGER NOT NULL DEFAULT 0 CHECK (bus_count >= 0),
        seats_per_bus INTEGER NOT NULL DEFAULT 0 CHECK (seats_per_bus >= 0),
        staff_count INTEGER NOT NULL DEFAULT 0 CHECK (staff_count >= 0),
        CHECK (ends_on >= starts_on)
      ) STRICT;

      CREATE TABLE offering_questions (
        id TEXT PRIMARY KEY,
        offering_id TEXT NOT NULL REFERENCES offerings(id),
        sort INTEGER NOT NULL DEFAULT 0,
        kind TEXT NOT NULL CHECK (kind IN ('yes_no', 'text', 'choice')),
        label_fr TEXT NOT NULL,
        label_en TEXT,
        choices TEXT,
        required INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1))
      ) STRICT;
    `)
  },
}
