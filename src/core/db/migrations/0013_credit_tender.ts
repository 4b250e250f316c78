import type { Migration } from './types'

/**
 * Family credits spent on a later purchase (issue 5; DOMAIN.md, "Refunds": "a credit for future
 * purchases"), and payment voids netted wherever a line counts as paid.
 *
 * A kiosk sale is still one order and one payment (one receipt), and the payment is still the
 * whole of the order. What changes is that a payment may be tendered partly or wholly with the
 * guardian's credit at that school:
 * - `payments.credit_cents`: the part paid with credit (0 for every payment before this); the
 *   card was charged `amount_cents - credit_cents`. A payment wholly paid with credit has
 *   processor 'credit', no card (brand and last four digits null), and `processor_ref`
 *   `kiosk-request-<id>`, the kiosk's request that paid it (a replay finds the same sale). Otherwise the card fields are required as before.
 * - A sale this PC's kiosk records (series 'office', its order taken by this PC's staff) must
 *   match the credit entries ('used') written for its order in the same transaction: nothing
 *   spends a credit twice or records a credit tender out of thin air. A sale pulled from the board
 *   (another office PC's, or this one's after a reinstall: its order has no local staff) comes
 *   before its credit entry in the feed, and is checked by the board instead.
 * - `kiosk_charges.credit_cents`: the credit the kiosk takes with this card charge; the charge is
 *   the rest of the order (amount + credit = the order's total).
 * - `refunds.tender`: a refund goes back the way the money came, the card part to the card
 *   (through the processor, as before) and the credit part back to the family's credit ('credit':
 *   settled at once, with a 'granted' credit entry naming it). A refund's tender never changes.
 *   No credit is granted for a refund of a voided payment (nothing was taken).
 * - `line_refundable` is defined again: a credit given for a failed card refund still counts as
 *   refunded; a credit-tender refund counts once (as a refund), not twice.
 * - `live_payments`: the payments that were not voided. Readers that ask "is this line paid?"
 *   read it instead of `payments`, so a voided payment no longer counts as paid anywhere.
 *
 * payments is rebuilt as in 0011 (SQLite cannot change a column's constraints), with foreign keys
 * off around the transaction (rebuildsTables) and legacy_alter_table on. Its order index now
 * carries the payment's id, so that readers of live_payments find an order's payment and look for
 * its void without reading the table row.
 */
export const migration0013: Migration = {
  version: 13,
  name: 'credit_tender',
  rebuildsTables: true,
  up(db) {
    const legacy = db.pragma('legacy_alter_table', { simple: true }) as number
    db.pragma('legacy_alter_table = ON')
    try {
      db.exec(`
        CREATE TABLE payments_new (
          id TEXT PRIMARY KEY,
          source_id TEXT UNIQUE,
          school_id TEXT NOT NULL REFERENCES schools(id),
          order_id TEXT NOT NULL REFERENCES orders(id),
          processor TEXT NOT NULL CHECK (processor IN ('stripe', 'demo', 'board', 'credit')),
          processor_ref TEXT NOT NULL,
          card_brand TEXT,
          card_last4 TEXT CHECK (card_last4 IS NULL OR length(card_last4) = 4),
          amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
          credit_cents INTEGER NOT NULL DEFAULT 0 CHECK (credit_cents >= 0 AND credit_cents <= amount_cents),
          channel TEXT NOT NULL CHECK (channel IN ('online', 'kiosk')),
          receipt_series TEXT NOT NULL DEFAULT 'board' CHECK (receipt_series IN ('board', 'office')),
          receipt_number INTEGER NOT NULL CHECK (receipt_number > 0),
          created_at TEXT NOT NULL,
          CHECK ((processor = 'credit') = (card_brand IS NULL)),
          CHECK ((card_brand IS NULL) = (card_last4 IS NULL)),
          CHECK ((processor = 'credit') = (credit_cents = amount_cents)),
          UNIQUE (school_id, receipt_series, receipt_number),
          UNIQUE (processor, processor_ref)
        ) STRICT;
        INSERT INTO payments_new (id, source_id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, credit_cents, channel, receipt_series, receipt_number, created_at)
          SELECT id, source_id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, 0, channel, receipt_series, receipt_number, created_at
          FROM payments ORDER BY rowid;
        DROP TABLE payments;
        ALTER TABLE payments_new RENAME TO payments;
        -- With the id: "is this order paid, and not voided?" (live_payments) reads the index alone.
        CREATE INDEX payments_by_order ON payments (order_id, id);
        CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
        BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
        CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
        BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
        CREATE TRIGGER payments_credit_used BEFORE INSERT ON payments
        WHEN NEW.receipt_series = 'office'
          AND (SELECT created_by FROM orders WHERE id = NEW.order_id) IS NOT NULL
          AND NEW.credit_cents IS NOT (
          SELECT coalesce(sum(amount_cents), 0) FROM family_credits
          WHERE order_id = NEW.order_id AND kind = 'used' AND school_id = NEW.school_id)
        BEGIN SELECT RAISE(ABORT, 'a payment''s credit is the credit used for its order'); END;
      `)
    } finally {
      db.pragma(`legacy_alter_table = ${legacy ? 'ON' : 'OFF'}`)
    }
    db.exec(`
      CREATE VIEW live_payments AS
      SELECT p.* FROM payments p WHERE NOT EXISTS (SELECT 1 FROM payment_voids v WHERE v.payment_id = p.id);

      ALTER TABLE kiosk_charges ADD COLUMN credit_cents INTEGER NOT NULL DEFAULT 0 CHECK (credit_cents >= 0);
      DROP TRIGGER kiosk_charges_match_order;
      CREATE TRIGGER kiosk_charges_match_order BEFORE INSERT ON kiosk_charges
      WHEN NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = NEW.order_id AND o.school_id = NEW.school_id AND o.guardian_id = NEW.guardian_id AND o.channel = 'kiosk')
        OR NEW.amount_cents + NEW.credit_cents IS NOT (SELECT sum(amount_cents) FROM order_lines WHERE order_id = NEW.order_id)
      BEGIN SELECT RAISE(ABORT, 'a kiosk charge is for its kiosk order, whole'); END;

      ALTER TABLE refunds ADD COLUMN tender TEXT NOT NULL DEFAULT 'card' CHECK (tender IN ('card', 'credit'));
      CREATE TRIGGER refunds_tender_fixed BEFORE UPDATE OF tender ON refunds
      WHEN NEW.tender IS NOT OLD.tender
      BEGIN SELECT RAISE(ABORT, 'a refund''s tender never changes'); END;
      CREATE TRIGGER refunds_tender_of_payment BEFORE INSERT ON refunds
      WHEN NEW.tender = 'credit' AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = NEW.payment_id AND p.credit_cents > 0)
        OR NEW.tender = 'card' AND EXISTS (SELECT 1 FROM payments p WHERE p.id = NEW.payment_id AND p.processor = 'credit')
      BEGIN SELECT RAISE(ABORT, 'a refund goes back the way the payment came'); END;

      DROP TRIGGER family_credits_granted_from_failure;
      CREATE TRIGGER family_credits_granted_from_refund BEFORE INSERT ON family_credits
      WHEN NEW.kind = 'granted' AND NOT EXISTS (
        SELECT 1 FROM refund_states s JOIN refunds r ON r.id = s.id
        WHERE s.id = NEW.refund_id AND s.amount_cents = NEW.amount_cents
          AND NOT EXISTS (SELECT 1 FROM payment_voids v WHERE v.payment_id = s.payment_id)
          AND ((r.tender = 'card' AND s.status = 'failed') OR (r.tender = 'credit' AND s.status = 'succeeded')))
      BEGIN SELECT RAISE(ABORT, 'a credit is granted for the whole of a failed refund, or of a refund to credit'); END;

      DROP VIEW line_refundable;
      CREATE VIEW line_refundable AS
      SELECT x.*, max(0, x.paid_cents - x.refunded_cents - x.credited_cents) AS refundable_cents
      FROM (
        SELECT l.id AS order_line_id, l.order_id, l.amount_cents, p.id AS payment_id,
          CASE WHEN p.id IS NULL OR v.payment_id IS NOT NULL THEN 0 ELSE l.amount_cents END AS paid_cents,
          (SELECT coalesce(sum(s.amount_cents), 0) FROM refund_states s WHERE s.order_line_id = l.id AND s.status IN ('pending', 'succeeded')) AS refunded_cents,
          (SELECT coalesce(sum(c.amount_cents), 0) FROM family_credits c JOIN refunds r ON r.id = c.refund_id
            WHERE r.order_line_id = l.id AND c.kind = 'granted' AND r.tender = 'card') AS credited_cents,
          CASE WHEN v.payment_id IS NOT NULL THEN 1 ELSE 0 END AS voided
        FROM order_lines l
        LEFT JOIN payments p ON p.order_id = l.order_id
        LEFT JOIN payment_voids v ON v.payment_id = p.id
      ) x;
    `)
  },
}
