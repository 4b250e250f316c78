import type { Migration } from './types'

/**
 * Roster changes that matter to the office (issue 6), raised where the change lands: triggers on
 * students and guardians, so the sync feed (sync/apply.ts), the OneRoster import
 * (roster-import.ts) and any later writer raise the same alerts inside their own transaction.
 * Both writers stamp `updated_at` with their clock, which dates the alert.
 *
 * - withdrawn_with_money: active → withdrawn while the student has paid lines still to come
 *   (a program date or an outing from today on, not refunded) or unpaid required fees aimed at
 *   them (published, not paid, not waived). detail: { futurePaid, unpaidFees }.
 * - email_bounced: a guardian's email_bounced_at goes from empty to set (a guardian first seen
 *   with a bounce raises nothing: no change happened at this office). detail: { bouncedAt }.
 * - class_changed: class_id changes while the student is on a delivery list from today on: no
 *   print log exists, so "class lists were printed" is read as "a delivery list exists for a
 *   program date today or later" on which the student has a line (lists are printed by class).
 *   detail: { fromClassId, toClassId }.
 * "Today" is the school date of the change in America/Toronto, taken at UTC−5 all year (in
 * summer time this counts one more hour as the day before: an alert too many, never one missed).
 *
 * Both tables are append-only: an alert is seen once (roster_alert_acks), never edited.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'roster_alerts',
  up(db) {
    db.exec(`
      CREATE TABLE roster_alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('withdrawn_with_money', 'email_bounced', 'class_changed')),
        school_id TEXT REFERENCES schools(id),
        student_id TEXT REFERENCES students(id),
        guardian_id TEXT REFERENCES guardians(id),
        detail TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        CHECK ((kind = 'email_bounced') = (guardian_id IS NOT NULL AND student_id IS NULL))
      ) STRICT;
      CREATE INDEX roster_alerts_by_school ON roster_alerts (school_id, created_at);

      CREATE TABLE roster_alert_acks (
        alert_id INTEGER PRIMARY KEY REFERENCES roster_alerts(id),
        acknowledged_by TEXT REFERENCES staff(id),
        acknowledged_at TEXT NOT NULL
      ) STRICT;

      CREATE TRIGGER roster_alerts_no_update BEFORE UPDATE ON roster_alerts
      BEGIN SELECT RAISE(ABORT, 'roster_alerts is append-only'); END;
      CREATE TRIGGER roster_alerts_no_delete BEFORE DELETE ON roster_alerts
      BEGIN SELECT RAISE(ABORT, 'roster_alerts is append-only'); END;
      CREATE TRIGGER roster_alert_acks_no_update BEFORE UPDATE ON roster_alert_acks
      BEGIN SELECT RAISE(ABORT, 'roster_alert_acks is append-only'); END;
      CREATE TRIGGER roster_alert_acks_no_delete BEFORE DELETE ON roster_alert_acks
      BEGIN SELECT RAISE(ABORT, 'roster_alert_acks is append-only'); END;

      CREATE TRIGGER students_alert_withdrawn AFTER UPDATE OF status ON students
      WHEN OLD.status = 'active' AND NEW.status = 'withdrawn'
      BEGIN
        INSERT INTO roster_alerts (kind, school_id, student_id, detail, created_at)
        SELECT 'withdrawn_with_money', NEW.school_id, NEW.id, json_object('futurePaid', x.paid, 'unpaidFees', x.unpaid), NEW.updated_at
        FROM (SELECT
          (SELECT count(*) FROM order_lines l JOIN line_refundable r ON r.order_line_id = l.id
             LEFT JOIN program_dates d ON d.id = l.program_date_id
             LEFT JOIN outings t ON t.offering_id = l.offering_id
           WHERE l.student_id = NEW.id AND r.refundable_cents > 0
             AND (d.date >= date(NEW.updated_at, '-5 hours') OR (l.program_date_id IS NULL AND t.starts_on >= date(NEW.updated_at, '-5 hours')))) AS paid,
          (SELECT count(*) FROM offerings o
           WHERE o.school_id = OLD.school_id AND o.kind = 'fee' AND o.required = 1 AND o.status IN ('published', 'closed')
             AND EXISTS (SELECT 1 FROM offering_targets g WHERE g.offering_id = o.id AND (
               (g.kind = 'school' AND g.value = OLD.school_id) OR (g.kind = 'grade' AND g.value = OLD.grade)
               OR (g.kind = 'class' AND g.value = OLD.class_id) OR (g.kind = 'student' AND g.value = OLD.id)))
             AND NOT EXISTS (SELECT 1 FROM order_lines l JOIN line_refundable r ON r.order_line_id = l.id
               WHERE l.offering_id = o.id AND l.student_id = OLD.id AND r.paid_cents > 0)
             AND NOT EXISTS (SELECT 1 FROM waivers w WHERE w.offering_id = o.id AND w.student_id = OLD.id)) AS unpaid) x
        WHERE x.paid > 0 OR x.unpaid > 0;
      END;

      CREATE TRIGGER students_alert_class AFTER UPDATE OF class_id ON students
      WHEN OLD.class_id IS NOT NEW.class_id AND NEW.status = 'active' AND EXISTS (
        SELECT 1 FROM order_lines l JOIN program_dates d ON d.id = l.program_date_id
        WHERE l.student_id = NEW.id AND d.status <> 'cancelled' AND d.date >= date(NEW.updated_at, '-5 hours'))
      BEGIN
        INSERT INTO roster_alerts (kind, school_id, student_id, detail, created_at)
        VALUES ('class_changed', NEW.school_id, NEW.id, json_object('fromClassId', OLD.class_id, 'toClassId', NEW.class_id), NEW.updated_at);
      END;

      CREATE TRIGGER guardians_alert_bounce AFTER UPDATE OF email_bounced_at ON guardians
      WHEN OLD.email_bounced_at IS NULL AND NEW.email_bounced_at IS NOT NULL
      BEGIN
        INSERT INTO roster_alerts (kind, guardian_id, detail, created_at)
        VALUES ('email_bounced', NEW.id, json_object('bouncedAt', NEW.email_bounced_at), NEW.updated_at);
      END;
    `)
  },
}
