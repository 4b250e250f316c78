import type { CentralMigration } from './types'

/**
 * The board's store of protocol v1.
 *
 * - `records`: the current copy of every record, as the feed sends it (JSON text, spliced into
 *   pages as it is), with its version.
 * - `changes`: each school's feed; `schools.head_seq` is the per-school counter a writer takes
 *   in its own transaction (the row stays locked to its commit), so seqs commit in order.
 * - `guardian_links`, `lines`, `payments`, `refunds`, `consents`, `waivers`, `credits`: what the
 *   rules read (stock, limits, refundable amounts by tender, current answers, credit balances).
 * - `devices`, `device_schools`, `enrollment_codes`, `mutations` (each mutation id and its first
 *   result, forever), `emails` (what the board would send; never sent).
 */
export const initial: CentralMigration = {
  version: 1,
  name: 'initial',
  statements: [
    `CREATE TABLE schools (
      id text PRIMARY KEY, code text NOT NULL, name text NOT NULL, time_zone text NOT NULL,
      head_seq integer NOT NULL DEFAULT 0 CHECK (head_seq >= 0)
    )`,
    `CREATE TABLE records (
      entity text NOT NULL, id text NOT NULL, school_id text, version integer NOT NULL CHECK (version >= 1),
      deleted boolean NOT NULL DEFAULT false, data text, updated_at text NOT NULL,
      PRIMARY KEY (entity, id)
    )`,
    `CREATE INDEX records_by_school ON records (entity, school_id, id)`,
    `CREATE TABLE changes (
      school_id text NOT NULL REFERENCES schools (id), seq integer NOT NULL, entity text NOT NULL, entity_id text NOT NULL,
      op text NOT NULL CHECK (op IN ('upsert', 'delete')), version integer NOT NULL, data text, at text NOT NULL,
      PRIMARY KEY (school_id, seq)
    )`,
    `CREATE TABLE guardian_links (
      guardian_id text NOT NULL, student_id text NOT NULL, school_id text NOT NULL,
      PRIMARY KEY (guardian_id, student_id)
    )`,
    `CREATE INDEX guardian_links_by_student ON guardian_links (student_id)`,
    `CREATE INDEX guardian_links_by_school ON guardian_links (school_id, guardian_id)`,
    `CREATE TABLE lines (
      id text PRIMARY KEY, order_id text NOT NULL, school_id text NOT NULL, guardian_id text NOT NULL,
      student_id text NOT NULL, offering_id text NOT NULL, variant_id text, program_date_id text,
      quantity integer NOT NULL, amount_cents integer NOT NULL, channel text NOT NULL, created_at text NOT NULL
    )`,
    `CREATE INDEX lines_by_offering ON lines (offering_id, program_date_id)`,
    `CREATE INDEX lines_by_student ON lines (student_id, offering_id)`,
    `CREATE INDEX lines_by_order ON lines (order_id)`,
    `CREATE TABLE payments (
      id text PRIMARY KEY, order_id text NOT NULL, school_id text NOT NULL, amount_cents integer NOT NULL,
      credit_cents integer NOT NULL DEFAULT 0, receipt_series text NOT NULL CHECK (receipt_series IN ('board', 'office')),
      receipt_number integer NOT NULL, created_at text NOT NULL
    )`,
    `CREATE INDEX payments_by_order ON payments (order_id)`,
    `CREATE INDEX payments_by_receipt ON payments (school_id, receipt_series, receipt_number)`,
    `CREATE TABLE refunds (
      id text PRIMARY KEY, payment_id text NOT NULL, order_line_id text, amount_cents integer NOT NULL,
      status text NOT NULL, tender text NOT NULL CHECK (tender IN ('card', 'credit'))
    )`,
    `CREATE INDEX refunds_by_payment ON refunds (payment_id)`,
    `CREATE INDEX refunds_by_line ON refunds (order_line_id) WHERE order_line_id IS NOT NULL`,
    `CREATE TABLE consents (
      id text PRIMARY KEY, arrival bigint GENERATED ALWAYS AS IDENTITY, offering_id text NOT NULL, student_id text NOT NULL,
      guardian_id text, decision text NOT NULL, channel text NOT NULL, recorded_at text NOT NULL
    )`,
    `CREATE INDEX consents_by_student ON consents (offering_id, student_id, recorded_at)`,
    `CREATE TABLE waivers (
      id text PRIMARY KEY, offering_id text NOT NULL, student_id text NOT NULL, amount_cents integer NOT NULL
    )`,
    `CREATE INDEX waivers_by_student ON waivers (offering_id, student_id)`,
    `CREATE TABLE credits (
      id text PRIMARY KEY, school_id text NOT NULL, guardian_id text NOT NULL, kind text NOT NULL CHECK (kind IN ('granted', 'used')),
      amount_cents integer NOT NULL CHECK (amount_cents > 0), refund_id text, order_id text
    )`,
    `CREATE INDEX credits_by_guardian ON credits (school_id, guardian_id)`,
    `CREATE INDEX credits_by_refund ON credits (refund_id) WHERE refund_id IS NOT NULL`,
    `CREATE INDEX credits_by_order ON credits (order_id) WHERE order_id IS NOT NULL`,
    `CREATE TABLE devices (
      id text PRIMARY KEY, name text NOT NULL, token_hash text NOT NULL UNIQUE, created_at text NOT NULL, revoked_at text
    )`,
    `CREATE TABLE device_schools (
      device_id text NOT NULL REFERENCES devices (id), school_id text NOT NULL REFERENCES schools (id),
      PRIMARY KEY (device_id, school_id)
    )`,
    `CREATE TABLE enrollment_codes (
      code text PRIMARY KEY, school_ids text NOT NULL, created_at text NOT NULL, expires_at text,
      used_at text, device_id text REFERENCES devices (id)
    )`,
    `CREATE TABLE mutations (
      id text PRIMARY KEY, device_id text NOT NULL, school_id text NOT NULL, type text NOT NULL,
      entity_id text NOT NULL, status text NOT NULL, result text NOT NULL, received_at text NOT NULL
    )`,
    `CREATE TABLE emails (
      id text PRIMARY KEY, arrival bigint GENERATED ALWAYS AS IDENTITY, school_id text NOT NULL, guardian_id text NOT NULL,
      to_address text, language text NOT NULL, kind text NOT NULL, offering_id text, payment_id text, consent_id text,
      request_id text, status text NOT NULL, created_at text NOT NULL
    )`,
    `CREATE INDEX emails_by_school ON emails (school_id, arrival)`,
  ],
}
