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
 * Refund work: bulk refund jobs that resume after a crash, what the processor said about each
 * refund after it was asked, failed refunds settled once (retried or credited), family credits,
 * the assistance budget as entries, voided payments, and the demo processor's memory.
 *
 * Design, and why:
 *
 * - A refund row (0004) is written `pending`, with its idempotency key, in the transaction of the
 *   staff member's request, and committed before any processor is called. The processor's answer
 *   settles it once (0004's trigger). A job's items are those refund rows: an item is
 *   (job, seq, refund), and its line and amount are the refund's, so nothing is stored twice. An
 *   item's state is derived (the refund's status, its events, its resolution), never written: a
 *   crash leaves pending refunds that the runner finds again by key and metadata.
 *
 * - "Succeeded, then failed later" (Stripe moves a refund from succeeded to failed days later:
 *   an expired prepaid card) is a new row, a `reversed` event, not an edit of the settled refund.
 *   The refund row keeps what the processor first said and when; the reversal says what changed,
 *   when we learned it and why. Editing the row would lose the first answer (which the family may
 *   have been told, and which went to the board in the outbox) and would need 0004's settle-once
 *   trigger loosened for every refund. The cost: a refund's current status is derived, so readers
 *   use the `refund_states` view (status = 'failed' once reversed) rather than `refunds.status`.
 *   One reversal per refund at most (a partial unique index), and only of a succeeded refund.
 *
 * - A failed refund (failed at once, or reversed) is resolved once (`refund_resolutions`, keyed by
 *   the refund): retried (a new refund, new key, new refundId: a processor never revives a failed
 *   one) or settled as a family credit. What is left to refund on a line is derived from the
 *   ledger: its amount − its pending and succeeded refunds (reversals excluded) − the credits
 *   given for its failed refunds (`line_refundable`).
 *
 * - Family credits are entries (granted from one failed refund, with a reason and who; used on a
 *   later order). The balance is derived; a use above it is refused by the file.
 *
 * - The assistance budget is entries; a waiver draws on it (waivers stay in 0004's table). The
 *   column `schools.assistance_budget_cents` (0001) is kept as an input only: an insert or a
 *   change of it writes the matching entry (triggers below), so a school made with a budget (the
 *   demo board) has it; nothing reads the column for money any more.
 *
 * - The refund threshold stays `schools.refund_approval_threshold_cents` (0001): a setting, not
 *   money, so it may change; who changed it is in the audit log.
 *
 * - A payment may be voided (cancelled before capture): `payment_voids`, one row per payment,
 *   recorded by the office, the board or when the processor says so. Nothing is refunded on it.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'refund_work',
  up(db) {
    db.exec(`
      CREATE INDEX refunds_by_line ON refunds (order_line_id);

      CREATE TABLE payment_voids (
        payment_id TEXT PRIMARY KEY REFERENCES payments(id),
        source TEXT NOT NULL CHECK (source IN ('office', 'board', 'processor')),
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        recorded_by TEXT REFERENCES staff(id),
        voided_at TEXT NOT NULL
      ) STRICT;

      -- One staff request: some lines, a whole order, every paid line of a cancelled program date
      -- or a cancelled item (an outing), or the retry of one failed refund.
      CREATE TABLE refund_jobs (
        id TEXT PRIMARY KEY,
        school_id TEXT NOT NULL REFERENCES schools(id),
        kind TEXT NOT NULL CHECK (kind IN ('lines', 'order', 'program_date', 'offering', 'retry')),
        order_id TEXT REFERENCES orders(id),
        program_date_id TEXT REFERENCES program_dates(id),
        offering_id TEXT REFERENCES offerings(id),
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        created_by TEXT REFERENCES staff(id),
        created_at TEXT NOT NULL,
        CHECK ((kind = 'order') = (order_id IS NOT NULL)),
        CHECK ((kind = 'program_date') = (program_date_id IS NOT NULL)),
        CHECK (kind IN ('program_date', 'offering') OR offering_id IS NULL),
        CHECK (kind <> 'offering' OR offering_id IS NOT NULL)
      ) STRICT;
      CREATE INDEX refund_jobs_by_school ON refund_jobs (school_id, created_at);
      CREATE INDEX refund_jobs_by_date ON refund_jobs (program_date_id);
      CREATE INDEX refund_jobs_by_offering ON refund_jobs (offering_id);

      CREATE TABLE refund_job_items (
        job_id TEXT NOT NULL REFERENCES refund_jobs(id),
        seq INTEGER NOT NULL CHECK (seq >= 1),
        refund_id TEXT NOT NULL UNIQUE REFERENCES refunds(id),
        PRIMARY KEY (job_id, seq)
      ) STRICT;
      -- Only a refund still pending can join a job (the job is what asks the processor).
      CREATE TRIGGER refund_job_items_pending BEFORE INSERT ON refund_job_items
      WHEN (SELECT status FROM refunds WHERE id = NEW.refund_id) IS NOT 'pending'
      BEGIN SELECT RAISE(ABORT, 'a job item is a pending refund'); END;

      -- What happened with the processor after the request, oldest first. 'sent' is written and
      -- committed before each call that may create the refund; 'pending' is the processor's
      -- reference for a refund it has not settled yet; 'transient' a failure to try again later;
      -- 'refused' a final refusal; 'reversed' a succeeded refund that the processor failed later.
      CREATE TABLE refund_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        refund_id TEXT NOT NULL REFERENCES refunds(id),
        kind TEXT NOT NULL CHECK (kind IN ('sent', 'pending', 'transient', 'refused', 'reversed')),
        at TEXT NOT NULL,
        processor_ref TEXT,
        code TEXT,
        CHECK (kind <> 'reversed' OR code IS NOT NULL)
      ) STRICT;
      CREATE INDEX refund_events_by_refund ON refund_events (refund_id, kind);
      CREATE UNIQUE INDEX refund_events_one_reversal ON refund_events (refund_id) WHERE kind = 'reversed';
      CREATE TRIGGER refund_events_reversal_of_success BEFORE INSERT ON refund_events
      WHEN NEW.kind = 'reversed' AND (SELECT status FROM refunds WHERE id = NEW.refund_id) IS NOT 'succeeded'
      BEGIN SELECT RAISE(ABORT, 'only a succeeded refund is reversed'); END;

      -- A refund's status as it stands: a reversed success is failed. Read this, not refunds.status.
      CREATE VIEW refund_states AS
      SELECT r.id, r.payment_id, r.order_line_id, r.amount_cents, r.reason, r.requested_by, r.requested_at,
        r.processor_ref, r.idempotency_key,
        CASE WHEN e.seq IS NOT NULL THEN 'failed' ELSE r.status END AS status,
        CASE WHEN e.seq IS NOT NULL THEN e.at ELSE r.settled_at END AS settled_at,
        CASE WHEN e.seq IS NOT NULL THEN e.code ELSE r.failure_message END AS failure_code,
        CASE WHEN e.seq IS NOT NULL THEN 1 ELSE 0 END AS reversed
      FROM refunds r LEFT JOIN refund_events e ON e.refund_id = r.id AND e.kind = 'reversed';

      CREATE TABLE family_credits (
        id TEXT PRIMARY KEY,
        school_id TEXT NOT NULL REFERENCES schools(id),
        guardian_id TEXT NOT NULL REFERENCES guardians(id),
        kind TEXT NOT NULL CHECK (kind IN ('granted', 'used')),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        refund_id TEXT UNIQUE REFERENCES refunds(id),
        order_id TEXT REFERENCES orders(id),
        reason TEXT,
        created_by TEXT REFERENCES staff(id),
        created_at TEXT NOT NULL,
        CHECK (kind <> 'granted' OR (refund_id IS NOT NULL AND order_id IS NULL AND length(trim(coalesce(reason, ''))) > 0)),
        CHECK (kind <> 'used' OR (order_id IS NOT NULL AND refund_id IS NULL))
      ) STRICT;
      CREATE INDEX family_credits_by_guardian ON family_credits (guardian_id, school_id);
      CREATE TRIGGER family_credits_granted_from_failure BEFORE INSERT ON family_credits
      WHEN NEW.kind = 'granted' AND NOT EXISTS (
        SELECT 1 FROM refund_states s WHERE s.id = NEW.refund_id AND s.status = 'failed' AND s.amount_cents = NEW.amount_cents)
      BEGIN SELECT RAISE(ABORT, 'a credit is granted for the whole of a failed refund'); END;
      CREATE TRIGGER family_credits_within_balance BEFORE INSERT ON family_credits
      WHEN NEW.kind = 'used' AND NEW.amount_cents > (
        SELECT coalesce(sum(CASE kind WHEN 'granted' THEN amount_cents ELSE -amount_cents END), 0)
        FROM family_credits WHERE school_id = NEW.school_id AND guardian_id = NEW.guardian_id)
      BEGIN SELECT RAISE(ABORT, 'a credit is used within its balance'); END;

      -- A failed refund is dealt with once: retried (a new refund) or settled as a credit.
      CREATE TABLE refund_resolutions (
        refund_id TEXT PRIMARY KEY REFERENCES refunds(id),
        kind TEXT NOT NULL CHECK (kind IN ('retried', 'credited')),
        retry_refund_id TEXT UNIQUE REFERENCES refunds(id),
        credit_id TEXT UNIQUE REFERENCES family_credits(id),
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        resolved_by TEXT REFERENCES staff(id),
        resolved_at TEXT NOT NULL,
        CHECK ((kind = 'retried') = (retry_refund_id IS NOT NULL)),
        CHECK ((kind = 'credited') = (credit_id IS NOT NULL))
      ) STRICT;
      CREATE TRIGGER refund_resolutions_of_failure BEFORE INSERT ON refund_resolutions
      WHEN (SELECT status FROM refund_states WHERE id = NEW.refund_id) IS NOT 'failed'
      BEGIN SELECT RAISE(ABORT, 'only a failed refund is resolved'); END;

      -- What is left to refund on each line, from the ledger. paid: the line's amount when its
      -- order has a payment that was not voided.
      CREATE VIEW line_refundable AS
      SELECT x.*, max(0, x.paid_cents - x.refunded_cents - x.credited_cents) AS refundable_cents
      FROM (
        SELECT l.id AS order_line_id, l.order_id, l.amount_cents, p.id AS payment_id,
          CASE WHEN p.id IS NULL OR v.payment_id IS NOT NULL THEN 0 ELSE l.amount_cents END AS paid_cents,
          (SELECT coalesce(sum(s.amount_cents), 0) FROM refund_states s WHERE s.order_line_id = l.id AND s.status IN ('pending', 'succeeded')) AS refunded_cents,
          (SELECT coalesce(sum(c.amount_cents), 0) FROM family_credits c JOIN refunds r ON r.id = c.refund_id WHERE r.order_line_id = l.id AND c.kind = 'granted') AS credited_cents,
          CASE WHEN v.payment_id IS NOT NULL THEN 1 ELSE 0 END AS voided
        FROM order_lines l
        LEFT JOIN payments p ON p.order_id = l.order_id
        LEFT JOIN payment_voids v ON v.payment_id = p.id
      ) x;

      CREATE TABLE assistance_budget_entries (
        id TEXT PRIMARY KEY,
        school_id TEXT NOT NULL REFERENCES schools(id),
        amount_cents INTEGER NOT NULL CHECK (amount_cents <> 0),
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        created_by TEXT REFERENCES staff(id),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX assistance_budget_by_school ON assistance_budget_entries (school_id, created_at);
      INSERT INTO assistance_budget_entries (id, school_id, amount_cents, reason, created_at)
        SELECT 'budget-' || id, id, assistance_budget_cents, 'opening', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM schools WHERE assistance_budget_cents <> 0;
      CREATE TRIGGER schools_budget_opening AFTER INSERT ON schools
      WHEN NEW.assistance_budget_cents <> 0
      BEGIN
        INSERT INTO assistance_budget_entries (id, school_id, amount_cents, reason, created_at)
        VALUES ('budget-' || lower(hex(randomblob(16))), NEW.id, NEW.assistance_budget_cents, 'opening', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
      END;
      CREATE TRIGGER schools_budget_change AFTER UPDATE OF assistance_budget_cents ON schools
      WHEN NEW.assistance_budget_cents <> OLD.assistance_budget_cents
      BEGIN
        INSERT INTO assistance_budget_entries (id, school_id, amount_cents, reason, created_at)
        VALUES ('budget-' || lower(hex(randomblob(16))), NEW.id, NEW.assistance_budget_cents - OLD.assistance_budget_cents, 'adjustment', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
      END;

      -- The demo processor's own memory (its payments, refunds and idempotency keys), so that it
      -- survives a restart as a real processor would. Not the ledger: the processor's side.
      CREATE TABLE demo_processor_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      ${appendOnly('payment_voids')}
      ${appendOnly('refund_jobs')}
      ${appendOnly('refund_job_items')}
      ${appendOnly('refund_events')}
      ${appendOnly('family_credits')}
      ${appendOnly('refund_resolutions')}
      ${appendOnly('assistance_budget_entries')}
    `)
  },
}
