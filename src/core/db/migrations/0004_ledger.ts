import type { Migration } from './types'

/** SQLite triggers make "never edited, never deleted" a property of the file, not of our code. */
function appendOnly(table: string): string {
  return `
    CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
    CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`
}

export const migration0004: Migration = {
  version: 4,
  name: 'ledger_and_consents',
  up(db) {
    db.exec(`
      CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        source_id TEXT UNIQUE,
        school_id TEXT NOT NULL REFERENCES schools(id),
        guardian_id TEXT NOT NULL REFERENCES guardians(id),
        channel TEXT NOT NULL CHECK (channel IN ('online', 'kiosk')),
        created_at TEXT NOT NULL,
        created_by TEXT REFERENCES staff(id)
      ) STRICT;
      CREATE INDEX orders_by_guardian ON orders (guardian_id);
      CREATE INDEX orders_by_school ON orders (school_id, created_at);

      CREATE TABLE order_lines (
        id TEXT PRIMARY KEY,
        order_id TEXT NOT NULL REFERENCES orders(id),
        student_id TEXT NOT NULL REFERENCES students(id),
        offering_id TEXT NOT NULL REFERENCES offerings(id),
        variant_id TEXT REFERENCES offering_variants(id),
        program_date_id TEXT REFERENCES program_dates(id),
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
        amount_cents INTEGER NOT NULL CHECK (amount_cents = quantity * unit_price_cents)
      ) STRICT;
      CREATE INDEX order_lines_by_order ON order_lines (order_id);
      CREATE INDEX order_lines_by_student ON order_lines (student_id, offering_id);
      CREATE INDEX order_lines_by_offering ON order_lines (offering_id, program_date_id);

      CREATE TABLE payments (
        id TEXT PRIMARY KEY,
        source_id TEXT UNIQUE,
        school_id TEXT NOT NULL REFERENCES schools(id),
        order_id TEXT NOT NULL REFERENCES orders(id),
        processor TEXT NOT NULL CHECK (processor IN ('stripe', 'demo', 'board')),
        processor_ref TEXT NOT NULL,
        card_brand TEXT NOT NULL,
        card_last4 TEXT NOT NULL CHECK (length(card_last4) = 4),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        channel TEXT NOT NULL CHECK (channel IN ('online', 'kiosk')),
        receipt_number INTEGER NOT NULL CHECK (receipt_number > 0),
        created_at TEXT NOT NULL,
        UNIQUE (school_id, receipt_number),
        UNIQUE (processor, processor_ref)
      ) STRICT;
      CREATE INDEX payments_by_order ON payments (order_id);

      -- A refund moves once from pending to succeeded or failed; nothing else of it changes.
      CREATE TABLE refunds (
        id TEXT PRIMARY KEY,
        source_id TEXT UNIQUE,
        payment_id TEXT NOT NULL REFERENCES payments(id),
        order_line_id TEXT REFERENCES order_lines(id),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        reason TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        idempotency_key TEXT NOT NULL UNIQUE,
        processor_ref TEXT,
        failure_message TEXT,
        requested_by TEXT REFERENCES staff(id),
        requested_at TEXT NOT NULL,
        settled_at TEXT
      ) STRICT;
      CREATE INDEX refunds_by_payment ON refunds (payment_id);
      CREATE TRIGGER refunds_settle_once BEFORE UPDATE ON refunds
      WHEN OLD.status <> 'pending'
        OR NEW.id IS NOT OLD.id OR NEW.payment_id IS NOT OLD.payment_id
        OR NEW.order_line_id IS NOT OLD.order_line_id OR NEW.amount_cents IS NOT OLD.amount_cents
        OR NEW.reason IS NOT OLD.reason OR NEW.idempotency_key IS NOT OLD.idempotency_key
        OR NEW.requested_by IS NOT OLD.requested_by OR NEW.requested_at IS NOT OLD.requested_at
      BEGIN SELECT RAISE(ABORT, 'a refund is settled once and never edited'); END;
      CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds
      BEGIN SELECT RAISE(ABORT, 'refunds is append-only'); END;

      CREATE TABLE waivers (
        id TEXT PRIMARY KEY,
        source_id TEXT UNIQUE,
        student_id TEXT NOT NULL REFERENCES students(id),
        offering_id TEXT NOT NULL REFERENCES offerings(id),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        reason TEXT NOT NULL,
        approved_by TEXT REFERENCES staff(id),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX waivers_by_student ON waivers (student_id, offering_id);

      -- Consent is a history: the student's current answer is the latest row.
      CREATE TABLE consents (
        id TEXT PRIMARY KEY,
        source_id TEXT UNIQUE,
        offering_id TEXT NOT NULL REFERENCES offerings(id),
        student_id TEXT NOT NULL REFERENCES students(id),
        guardian_id TEXT REFERENCES guardians(id),
        decision TEXT NOT NULL CHECK (decision IN ('granted', 'declined', 'withdrawn')),
        signed_name TEXT,
        answers TEXT,
        channel TEXT NOT NULL CHECK (channel IN ('online', 'kiosk', 'office')),
        recorded_at TEXT NOT NULL,
        recorded_by TEXT REFERENCES staff(id),
        reason TEXT,
        CHECK (decision = 'withdrawn' OR guardian_id IS NOT NULL),
        CHECK (channel <> 'office' OR (decision = 'withdrawn' AND reason IS NOT NULL AND recorded_by IS NOT NULL))
      ) STRICT;
      CREATE INDEX consents_by_student ON consents (student_id, offering_id, recorded_at);
      CREATE INDEX consents_by_offering ON consents (offering_id, recorded_at);
      ${appendOnly('orders')}
      ${appendOnly('order_lines')}
      ${appendOnly('payments')}
      ${appendOnly('waivers')}
      ${appendOnly('consents')}
    `)
  },
}
