import type { Migration } from './types'

/** The same guard as 0004's: the file itself refuses an edit or a delete. */
function appendOnly(table: string): string {
  return `
    CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
    CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`
}

/**
 * Card payments taken at the kiosk (issue 7).
 *
 * The order and its lines are written first (0004's tables, channel 'kiosk'); then a charge row
 * with its idempotency key is committed BEFORE the processor is called, outside any
 * transaction; the processor's answer is recorded afterwards, in its own transaction, with the
 * payment (the school's next receipt number) and the outbox mutation.
 *
 * - `kiosk_charges`: one card attempt on one order. `request_id` is the kiosk's own id for the
 *   guardian's press of "Pay": the same request sent again finds this row, and the processor is
 *   asked again, if at all, with the same key, so a replay never charges twice. The card number
 *   is never stored: `method_ref` is a demo card's last four digits or the reader's id.
 * - `kiosk_charge_outcomes`: the processor's final answer, once per charge: succeeded (with the
 *   payment it became), declined (the card's code), or failed (the processor refused the
 *   request). A charge with no outcome is under way, or was cut off (a crash): it is asked again
 *   with its key. At most one succeeded charge per order.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'kiosk_charges',
  up(db) {
    db.exec(`
      CREATE TABLE kiosk_charges (
        id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL UNIQUE,
        order_id TEXT NOT NULL REFERENCES orders(id),
        school_id TEXT NOT NULL REFERENCES schools(id),
        guardian_id TEXT NOT NULL REFERENCES guardians(id),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        processor TEXT NOT NULL CHECK (processor IN ('stripe', 'demo')),
        idempotency_key TEXT NOT NULL UNIQUE,
        method TEXT NOT NULL CHECK (method IN ('test_card', 'terminal')),
        method_ref TEXT NOT NULL CHECK (length(method_ref) > 0),
        opened_by TEXT REFERENCES staff(id),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX kiosk_charges_by_order ON kiosk_charges (order_id);
      CREATE INDEX kiosk_charges_by_guardian ON kiosk_charges (guardian_id, school_id);
      -- A charge is for its order's whole amount, school and family.
      CREATE TRIGGER kiosk_charges_match_order BEFORE INSERT ON kiosk_charges
      WHEN NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = NEW.order_id AND o.school_id = NEW.school_id AND o.guardian_id = NEW.guardian_id AND o.channel = 'kiosk')
        OR NEW.amount_cents IS NOT (SELECT sum(amount_cents) FROM order_lines WHERE order_id = NEW.order_id)
      BEGIN SELECT RAISE(ABORT, 'a kiosk charge is for its kiosk order, whole'); END;

      CREATE TABLE kiosk_charge_outcomes (
        charge_id TEXT PRIMARY KEY REFERENCES kiosk_charges(id),
        order_id TEXT NOT NULL REFERENCES orders(id),
        status TEXT NOT NULL CHECK (status IN ('succeeded', 'declined', 'failed')),
        payment_id TEXT UNIQUE REFERENCES payments(id),
        code TEXT,
        processor_ref TEXT,
        recorded_at TEXT NOT NULL,
        CHECK ((status = 'succeeded') = (payment_id IS NOT NULL)),
        CHECK (status = 'succeeded' OR code IS NOT NULL)
      ) STRICT;
      CREATE UNIQUE INDEX kiosk_one_payment_per_order ON kiosk_charge_outcomes (order_id) WHERE status = 'succeeded';
      CREATE TRIGGER kiosk_charge_outcomes_match BEFORE INSERT ON kiosk_charge_outcomes
      WHEN NEW.order_id IS NOT (SELECT order_id FROM kiosk_charges WHERE id = NEW.charge_id)
        OR (NEW.payment_id IS NOT NULL AND NEW.order_id IS NOT (SELECT order_id FROM payments WHERE id = NEW.payment_id))
      BEGIN SELECT RAISE(ABORT, 'an outcome is of its charge''s order'); END;

      ${appendOnly('kiosk_charges')}
      ${appendOnly('kiosk_charge_outcomes')}
    `)
  },
}
