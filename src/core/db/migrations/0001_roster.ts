import type { Migration } from './types'

export const migration0001: Migration = {
  version: 1,
  name: 'roster',
  up(db) {
    db.exec(`
      CREATE TABLE schools (
        id TEXT PRIMARY KEY,
        source_id TEXT UNIQUE,
        code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        time_zone TEXT NOT NULL DEFAULT 'America/Toronto',
        phone TEXT,
        address TEXT,
        refund_approval_threshold_cents INTEGER NOT NULL DEFAULT 5000 CHECK (refund_approval_threshold_cents >= 0),
        assistance_budget_cents INTEGER NOT NULL DEFAULT 0 CHECK (assistance_budget_cents >= 0)
      ) STRICT;

      CREATE TABLE school_years (
        id TEXT PRIMARY KEY,
        school_id TEXT NOT NULL REFERENCES schools(id),
        label TEXT NOT NULL,
        starts_on TEXT NOT NULL,
        ends_on TEXT NOT NULL CHECK (ends_on > starts_on),
        UNIQUE (school_id, label)
      ) STRICT;

      -- Days without classes inside a school year. School days are the weekdays of the year
      -- minus these rows, so the calendar stays small and editable.
      CREATE TABLE calendar_days (
        school_id TEXT NOT NULL REFERENCES schools(id),
        date TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('holiday', 'pd_day', 'closure')),
        label_fr TEXT NOT NULL,
        label_en TEXT,
        PRIMARY KEY (school_id, date)
      ) STRICT;

      CREATE TABLE classes (
        id TEXT PRIMARY KEY,
        source_id TEXT UNIQUE,
        school_id TEXT NOT NULL REFERENCES schools(id),
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        teacher TEXT,
        UNIQUE (school_id, code)
      ) STRICT;

      CREATE TABLE students (
        id TEXT PRIMARY KEY,
        source_id TEXT UNIQUE,
        school_id TEXT NOT NULL REFERENCES schools(id),
        class_id TEXT REFERENCES classes(id),
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        -- accent- and case-folded "first last", kept by the code that writes the row
        search_key TEXT NOT NULL,
        grade TEXT NOT NULL CHECK (grade IN ('JK','SK','1','2','3','4','5','6','7','8','9','10','11','12')),
        grade_rank INTEGER NOT NULL CHECK (grade_rank BETWEEN -1 AND 12),
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
        birth_date TEXT,
        medical_alert TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX students_by_school_name ON students (school_id, last_name, first_name);
      CREATE INDEX students_by_class ON students (class_id);

      CREATE TABLE guardians (
        id TEXT PRIMARY KEY,
        source_id TEXT UNIQUE,
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        search_key TEXT NOT NULL,
        email TEXT,
        phone TEXT,
        phone_alt TEXT,
        preferred_language TEXT NOT NULL DEFAULT 'fr' CHECK (preferred_language IN ('fr', 'en')),
        email_bounced_at TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE student_guardians (
        student_id TEXT NOT NULL REFERENCES students(id),
        guardian_id TEXT NOT NULL REFERENCES guardians(id),
        relationship TEXT NOT NULL CHECK (relationship IN ('mother', 'father', 'guardian', 'other')),
        is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
        emergency_contact INTEGER NOT NULL DEFAULT 1 CHECK (emergency_contact IN (0, 1)),
        PRIMARY KEY (student_id, guardian_id)
      ) STRICT;
      CREATE INDEX student_guardians_by_guardian ON student_guardians (guardian_id);
    `)
  },
}
