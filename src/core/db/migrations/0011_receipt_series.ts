import type { Migration } from './types'

/**
 * Receipt series (DOMAIN.md: receipt numbers sequential per school, no gap, no duplicate).
 * The board numbers online payments; this PC numbered its kiosk sales from its own max + 1, so a
 * board payment pulled later could carry a number this PC had already printed. Each series is now
 * gapless and unique on its own, per school:
 * - 'board': numbered by the board (online payments, and everything pulled from the board);
 * - 'office': numbered here, by this PC's kiosk (shown with a prefix, « K-000123 »).
 *
 * Existing rows: a payment with a kiosk charge outcome of this PC (kiosk_charge_outcomes) was
 * numbered here, so it is 'office' and keeps its number (receipts are already printed). Every
 * other payment is 'board', including the demo's channel 'kiosk' payments: the demo seed numbers
 * them in the board's one sequence 1..n per school, as the board's history.
 *
 * SQLite cannot drop a table's UNIQUE constraint: payments is rebuilt (create, copy, drop, rename),
 * with foreign keys off around the transaction (rebuildsTables) and legacy_alter_table on so the
 * rename does not re-check the views and triggers that name payments. Its index and append-only
 * triggers are created again, as 0004 made them.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'receipt_series',
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
          processor TEXT NOT NULL CHECK (processor IN ('stripe', 'demo', 'board')),
          processor_ref TEXT NOT NULL,
          card_brand TEXT NOT NULL,
          card_last4 TEXT NOT NULL CHECK (length(card_last4) = 4),
          amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
          channel TEXT NOT NULL CHECK (channel IN ('online', 'kiosk')),
          receipt_series TEXT NOT NULL DEFAULT 'board' CHECK (receipt_series IN ('board', 'office')),
          receipt_number INTEGER NOT NULL CHECK (receipt_number > 0),
          created_at TEXT NOT NULL,
          UNIQUE (school_id, receipt_series, receipt_number),
          UNIQUE (processor, processor_ref)
        ) STRICT;
        INSERT INTO payments_new (id, source_id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_series, receipt_number, created_at)
          SELECT p.id, p.source_id, p.school_id, p.order_id, p.processor, p.processor_ref, p.card_brand, p.card_last4, p.amount_cents, p.channel,
                 CASE WHEN EXISTS (SELECT 1 FROM kiosk_charge_outcomes x WHERE x.payment_id = p.id) THEN 'office' ELSE 'board' END,
                 p.receipt_number, p.created_at
          FROM payments p ORDER BY p.rowid;
        DROP TABLE payments;
        ALTER TABLE payments_new RENAME TO payments;
        CREATE INDEX payments_by_order ON payments (order_id);
        CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
        BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
        CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
        BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
      `)
    } finally {
      db.pragma(`legacy_alter_table = ${legacy ? 'ON' : 'OFF'}`)
    }
  },
}
