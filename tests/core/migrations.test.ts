import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/core/db/connection'
import { currentVersion, migrate } from '../../src/core/db/migrate'
import { migrations } from '../../src/core/db/migrations'
import { GuichetError } from '../../src/shared/errors'
import { Board, tempDir, T0 } from './fixtures'

let dir: ReturnType<typeof tempDir>
let db: Database.Database
beforeEach(() => {
  dir = tempDir()
  db = new Database(join(dir.dir, 'm.sqlite'))
  db.pragma('foreign_keys = ON')
})
afterEach(() => {
  db.close()
  dir.cleanup()
})

const upTo = (n: number) => migrations.slice(0, n)
const tables = () => (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name)

describe('the runner', () => {
  it('numbers migrations 1..n and records each one', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1))
    expect(migrate(db)).toEqual({ from: 0, to: migrations.length })
    expect(currentVersion(db)).toBe(migrations.length)
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length)
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length })
    expect(migrate(db)).toEqual({ from: migrations.length, to: migrations.length })
  })

  it('refuses a database from a newer Guichet, touching nothing', () => {
    migrate(db)
    db.prepare(`INSERT INTO schema_migrations VALUES (?, 'from_the_future', ?)`).run(migrations.length + 1, T0)
    const before = tables()
    expect(() => migrate(db)).toThrow(GuichetError)
    try {
      migrate(db)
    } catch (error) {
      expect((error as GuichetError).code).toBe('DB_TOO_NEW')
      expect((error as GuichetError).values).toEqual({ found: migrations.length + 1, known: migrations.length })
    }
    expect(tables()).toEqual(before)
  })

  it('opening a newer database fails with the clear error and leaves the file as it was', async () => {
    migrate(db)
    db.prepare(`INSERT INTO schema_migrations VALUES (99, 'from_the_future', ?)`).run(T0)
    db.close()
    expect(() => openDatabase({ file: join(dir.dir, 'm.sqlite') })).toThrow(expect.objectContaining({ code: 'DB_TOO_NEW' }))
    db = new Database(join(dir.dir, 'm.sqlite'))
    expect(currentVersion(db)).toBe(99)
  })

  it('rolls a failing migration back whole, keeping the ones before it', () => {
    const broken = [...upTo(1), { version: 2, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE half (x); SELECT nope FROM nowhere;') }]
    expect(() => migrate(db, broken)).toThrow()
    expect(currentVersion(db)).toBe(1)
    expect(tables()).not.toContain('half')
  })

  it('refuses a list with a gap', () => {
    expect(() => migrate(db, [migrations[0]!, migrations[2]!])).toThrow(/expected 2/)
  })

  it('opens with the pragmas of a ledger', async () => {
    db.close()
    const conn = openDatabase({ file: join(dir.dir, 'p.sqlite') })
    expect(conn.raw.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(conn.raw.pragma('synchronous', { simple: true })).toBe(2) // FULL
    expect(conn.raw.pragma('foreign_keys', { simple: true })).toBe(1)
    await conn.close()
    db = new Database(join(dir.dir, 'p.sqlite'))
  })
})

/** Each migration's own test: what it creates, and the rules it makes the file enforce. */
describe('0001 roster', () => {
  it('keeps grades and statuses to the known values', () => {
    migrate(db, upTo(1))
    const b = new Board(db)
    const school = b.school()
    expect(() => b.student(school, 'A', 'B', 'K' as never)).toThrow(/CHECK/)
    expect(() => db.prepare(`UPDATE students SET status = 'gone'`).run()).not.toThrow() // no rows yet
    const s = b.student(school, 'Élodie', 'Côté', 'JK')
    expect(() => db.prepare(`UPDATE students SET status = 'gone' WHERE id = ?`).run(s)).toThrow(/CHECK/)
    expect(() => db.prepare(`INSERT INTO student_guardians VALUES (?, 'nobody', 'mother', 0, 1)`).run(s)).toThrow(/FOREIGN KEY/)
  })
})

describe('0002 staff', () => {
  it('makes usernames unique whatever their case', () => {
    migrate(db, upTo(2))
    const b = new Board(db)
    b.staff('Sophie', 'secretary')
    expect(() => b.staff('sophie', 'admin')).toThrow(/UNIQUE/)
    expect(() => b.staff('x', 'janitor' as never)).toThrow(/CHECK/)
  })
})

describe('0003 catalogue', () => {
  it('refuses a negative price and a cancellation without a reason', () => {
    migrate(db, upTo(3))
    const b = new Board(db)
    const school = b.school()
    expect(() => b.offering(school, 'product', 'Maïs', [], { price: -1 })).toThrow(/CHECK/)
    const o = b.offering(school, 'product', 'Maïs', [['school', school]])
    expect(() => db.prepare(`UPDATE offerings SET status = 'cancelled' WHERE id = ?`).run(o)).toThrow(/CHECK/)
    db.prepare(`UPDATE offerings SET status = 'cancelled', cancel_reason = 'Fournisseur fermé' WHERE id = ?`).run(o)
  })
})

describe('0004 ledger and consents', () => {
  function ledger() {
    migrate(db, upTo(4))
    const b = new Board(db)
    const school = b.school()
    const child = b.student(school, 'Léa', 'Roy', '3')
    const parent = b.guardian('Julie', 'Roy', [child])
    const pizza = b.offering(school, 'program', 'Pizza', [['school', school]])
    const order = b.order(school, parent, [{ student: child, offering: pizza, cents: 550 }], true)
    return { b, school, child, parent, pizza, order }
  }

  it('never lets money rows be edited or deleted', () => {
    const { order } = ledger()
    expect(() => db.prepare(`UPDATE payments SET amount_cents = 1`).run()).toThrow(/append-only/)
    expect(() => db.prepare(`DELETE FROM payments`).run()).toThrow(/append-only/)
    expect(() => db.prepare(`UPDATE order_lines SET unit_price_cents = 1`).run()).toThrow(/append-only/)
    expect(() => db.prepare(`DELETE FROM orders WHERE id = ?`).run(order.orderId)).toThrow(/append-only/)
  })

  it('checks a line’s amount and a receipt number’s uniqueness per school', () => {
    const { b, school, parent, child, pizza } = ledger()
    expect(() =>
      db.prepare(`INSERT INTO order_lines (id, order_id, student_id, offering_id, quantity, unit_price_cents, amount_cents) VALUES ('l', ?, ?, ?, 2, 300, 500)`).run(
        b.order(school, parent, [], false).orderId,
        child,
        pizza,
      ),
    ).toThrow(/CHECK/)
    expect(() => b.order(school, parent, [{ student: child, offering: pizza, cents: 300 }], true, 1)).toThrow(/UNIQUE/)
  })

  it('settles a refund once, and never changes its amount', () => {
    const { order } = ledger()
    const insert = db.prepare(
      `INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, requested_at) VALUES (?, ?, ?, ?, 'Journée de neige', 'pending', ?, ?)`,
    )
    insert.run('r1', order.paymentId, order.lineIds[0], 550, 'k1', T0)
    expect(() => db.prepare(`UPDATE refunds SET amount_cents = 600 WHERE id = 'r1'`).run()).toThrow(/settled once/)
    db.prepare(`UPDATE refunds SET status = 'succeeded', settled_at = ? WHERE id = 'r1'`).run(T0)
    expect(() => db.prepare(`UPDATE refunds SET status = 'failed' WHERE id = 'r1'`).run()).toThrow(/settled once/)
    expect(() => db.prepare(`DELETE FROM refunds`).run()).toThrow(/append-only/)
    expect(() => insert.run('r2', order.paymentId, order.lineIds[0], 100, 'k1', T0)).toThrow(/UNIQUE/)
  })

  it('keeps consent as a history, recorded by a guardian; staff may only withdraw, with a reason', () => {
    const { b, child, parent, pizza } = ledger()
    b.consent(pizza, child, parent, 'granted', T0)
    expect(() => db.prepare(`UPDATE consents SET decision = 'declined'`).run()).toThrow(/append-only/)
    const staff = b.staff('marc', 'principal')
    const office = db.prepare(
      `INSERT INTO consents (id, offering_id, student_id, decision, channel, recorded_at, recorded_by, reason) VALUES (?, ?, ?, ?, 'office', ?, ?, ?)`,
    )
    expect(() => office.run('c1', pizza, child, 'granted', T0, staff, 'au téléphone')).toThrow(/CHECK/)
    expect(() => office.run('c2', pizza, child, 'withdrawn', T0, staff, null)).toThrow(/CHECK/)
    office.run('c3', pizza, child, 'withdrawn', T0, staff, 'Appel de la mère, enfant malade')
  })
})

describe('0005 audit, outbox and sync', () => {
  it('keeps the audit log append-only and mutation ids unique', () => {
    migrate(db, upTo(5))
    const b = new Board(db)
    const school = b.school()
    db.prepare(`INSERT INTO audit_log (at, actor, action) VALUES (?, 'x', 'y')`).run(T0)
    expect(() => db.prepare(`UPDATE audit_log SET actor = 'z'`).run()).toThrow(/append-only/)
    const outbox = db.prepare(`INSERT INTO outbox (id, school_id, type, entity_id, data, created_at) VALUES (?, ?, 'offering.publish', 'o1', '{}', ?)`)
    outbox.run('m1', school, T0)
    expect(() => outbox.run('m1', school, T0)).toThrow(/UNIQUE/)
    expect(db.prepare(`SELECT state, attempts FROM outbox`).get()).toEqual({ state: 'pending', attempts: 0 })
  })
})

describe('0006 catalogue work', () => {
  it('adds the program rule and the chaperone ratio, and keeps reminder runs append-only', () => {
    migrate(db, upTo(6))
    const b = new Board(db)
    const school = b.school()
    const o = b.offering(school, 'outing', 'Musée', [['grade', '5']])
    db.prepare(`UPDATE offerings SET program_rule = '{}' WHERE id = ?`).run(o)
    const outing = db.prepare(`INSERT INTO outings (offering_id, starts_on, ends_on, destination, chaperone_ratio) VALUES (?, '2026-12-10', '2026-12-10', 'Musée', ?)`)
    expect(() => outing.run(o, 0)).toThrow(/CHECK/)
    outing.run(o, 10)
    db.prepare(`INSERT INTO reminder_runs (id, offering_id, sent_at, family_count) VALUES ('r1', ?, ?, 12)`).run(o, T0)
    expect(() => db.prepare(`UPDATE reminder_runs SET family_count = 0`).run()).toThrow(/append-only/)
    expect(() => db.prepare(`DELETE FROM reminder_runs`).run()).toThrow(/append-only/)
  })
})

describe('0008 outing plan', () => {
  it('keeps chaperones with a name and ratio bands with a positive ratio, on an outing', () => {
    migrate(db, upTo(8))
    const b = new Board(db)
    const school = b.school()
    const o = b.offering(school, 'outing', 'Musée', [['school', school]])
    db.prepare(`INSERT INTO outings (offering_id, starts_on, ends_on, destination) VALUES (?, '2026-12-10', '2026-12-10', 'Musée')`).run(o)
    const chaperone = db.prepare(`INSERT INTO outing_chaperones (id, offering_id, name, added_at, removed_at) VALUES (?, ?, ?, ?, ?)`)
    expect(() => chaperone.run('c0', o, '  ', T0, null)).toThrow(/CHECK/)
    expect(() => chaperone.run('c1', 'no-such-outing', 'Paul', T0, null)).toThrow(/FOREIGN KEY/)
    expect(() => chaperone.run('c2', o, 'Paul', T0, '2026-01-01T00:00:00.000Z')).toThrow(/CHECK/)
    chaperone.run('c3', o, 'Paul', T0, null)
    const band = db.prepare(`INSERT INTO outing_ratio_bands (offering_id, sort, grades, students_per_adult) VALUES (?, ?, ?, ?)`)
    expect(() => band.run(o, 0, '4,5', 0)).toThrow(/CHECK/)
    band.run(o, 0, '4,5', 10)
    expect(() => band.run(o, 0, '6', 8)).toThrow(/UNIQUE|PRIMARY/)
  })
})

describe('0009 kiosk charges', () => {
  it('keeps a charge to its kiosk order and amount, one answer per charge, one success per order, append-only', () => {
    migrate(db, upTo(9))
    const b = new Board(db)
    const school = b.school()
    const child = b.student(school, 'Zoé', 'Lalonde', '5')
    const parent = b.guardian('Annie', 'Lalonde', [child])
    const fee = b.offering(school, 'fee', 'Cotisation', [['school', school]], { price: 2500 })
    const online = b.order(school, parent, [{ student: child, offering: fee, cents: 2500 }], false)
    db.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES ('ko', ?, ?, 'kiosk', ?)`).run(school, parent, T0)
    db.prepare(`INSERT INTO order_lines (id, order_id, student_id, offering_id, quantity, unit_price_cents, amount_cents) VALUES ('kl', 'ko', ?, ?, 1, 2500, 2500)`).run(child, fee)
    const charge = db.prepare(
      `INSERT INTO kiosk_charges (id, request_id, order_id, school_id, guardian_id, amount_cents, processor, idempotency_key, method, method_ref, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'demo', ?, 'test_card', '4242', ?)`,
    )
    expect(() => charge.run('x1', 'r1', online.orderId, school, parent, 2500, 'k1', T0)).toThrow(/kiosk order/)
    expect(() => charge.run('x2', 'r2', 'ko', school, parent, 2400, 'k2', T0)).toThrow(/kiosk order/)
    charge.run('c1', 'r3', 'ko', school, parent, 2500, 'k3', T0)
    charge.run('c2', 'r4', 'ko', school, parent, 2500, 'k4', T0)
    expect(() => charge.run('c3', 'r3', 'ko', school, parent, 2500, 'k5', T0)).toThrow(/UNIQUE/)
    expect(() => charge.run('c4', 'r6', 'ko', school, parent, 2500, 'k3', T0)).toThrow(/UNIQUE/)
    const outcome = db.prepare(`INSERT INTO kiosk_charge_outcomes (charge_id, order_id, status, payment_id, code, recorded_at) VALUES (?, 'ko', ?, ?, ?, ?)`)
    expect(() => outcome.run('c1', 'declined', null, null, T0)).toThrow(/CHECK/)
    expect(() => outcome.run('c1', 'succeeded', null, null, T0)).toThrow(/CHECK/)
    outcome.run('c1', 'declined', null, 'card_declined', T0)
    expect(() => outcome.run('c1', 'failed', null, 'x', T0)).toThrow(/UNIQUE|PRIMARY/)
    db.prepare(
      `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
       VALUES ('p1', ?, 'ko', 'demo', 'ref1', 'visa', '4242', 2500, 'kiosk', 1, ?)`,
    ).run(school, T0)
    outcome.run('c2', 'succeeded', 'p1', null, T0)
    // A second success on the same order is refused: one payment per kiosk order.
    charge.run('c5', 'r7', 'ko', school, parent, 2500, 'k7', T0)
    db.prepare(
      `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
       VALUES ('p2', ?, 'ko', 'demo', 'ref2', 'visa', '4242', 2500, 'kiosk', 2, ?)`,
    ).run(school, T0)
    expect(() => outcome.run('c5', 'succeeded', 'p2', null, T0)).toThrow(/UNIQUE/)
    expect(() => db.prepare(`UPDATE kiosk_charges SET amount_cents = 1`).run()).toThrow(/append-only/)
    expect(() => db.prepare(`DELETE FROM kiosk_charge_outcomes`).run()).toThrow(/append-only/)
  })
})

describe('0010 sync resolutions', () => {
  it('records how staff settled a conflict or a rejection, with known resolutions only', () => {
    migrate(db)
    const b = new Board(db)
    const school = b.school('École Sainte-Chaîne')
    const add = db.prepare(`INSERT INTO outbox (id, school_id, type, entity_id, data, created_at, state, resolution) VALUES (?, ?, 'offering.close', 'o1', '{}', ?, 'rejected', ?)`)
    add.run('m1', school, T0, 'acknowledged')
    add.run('m2', school, T0, null)
    expect(() => add.run('m3', school, T0, 'ignored')).toThrow(/CHECK/)
  })
})

describe('0011 receipt series', () => {
  const objects = () => db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name = 'payments' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name`).all() as Array<{ type: string; name: string }>

  it('rebuilds payments with a series per receipt, keeping every row, index, trigger and foreign key', () => {
    migrate(db, upTo(10))
    const b = new Board(db)
    const school = b.school('École Sainte-Chaîne')
    const child = b.student(school, 'Zoé', 'Lalonde', '5')
    const parent = b.guardian('Annie', 'Lalonde', [child])
    const fee = b.offering(school, 'fee', 'Cotisation', [['school', school]], { price: 2500 })
    const online = b.order(school, parent, [{ student: child, offering: fee, cents: 2500 }], true, 7)
    const voided = b.order(school, parent, [{ student: child, offering: fee, cents: 2500 }], true, 8)
    // This PC's kiosk sale, numbered 9 here: a charge, its outcome, its payment.
    db.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES ('ko', ?, ?, 'kiosk', ?)`).run(school, parent, T0)
    db.prepare(`INSERT INTO order_lines (id, order_id, student_id, offering_id, quantity, unit_price_cents, amount_cents) VALUES ('kl', 'ko', ?, ?, 1, 2500, 2500)`).run(child, fee)
    db.prepare(
      `INSERT INTO kiosk_charges (id, request_id, order_id, school_id, guardian_id, amount_cents, processor, idempotency_key, method, method_ref, created_at)
       VALUES ('kc', 'r1', 'ko', ?, ?, 2500, 'demo', 'k1', 'test_card', '4242', ?)`,
    ).run(school, parent, T0)
    db.prepare(
      `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
       VALUES ('kp', ?, 'ko', 'demo', 'demo_1', 'visa', '4242', 2500, 'kiosk', 9, ?)`,
    ).run(school, T0)
    db.prepare(`INSERT INTO kiosk_charge_outcomes (charge_id, order_id, status, payment_id, processor_ref, recorded_at) VALUES ('kc', 'ko', 'succeeded', 'kp', 'demo_1', ?)`).run(T0)
    db.prepare(`INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, requested_at) VALUES ('r1', ?, ?, 500, 'Absence', 'pending', 'rk1', ?)`).run(
      online.paymentId,
      online.lineIds[0],
      T0,
    )
    db.prepare(`INSERT INTO refunds (id, payment_id, amount_cents, reason, status, idempotency_key, requested_at) VALUES ('r2', 'kp', 500, 'Absence', 'pending', 'rk2', ?)`).run(T0)
    db.prepare(`INSERT INTO payment_voids (payment_id, source, reason, voided_at) VALUES (?, 'office', 'Doublon', ?)`).run(voided.paymentId, T0)
    const before = db.prepare(`SELECT * FROM payments ORDER BY rowid`).all()
    const objectsBefore = objects()

    migrate(db, upTo(11))
    db.pragma('foreign_keys = ON')

    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.prepare(`SELECT * FROM payments ORDER BY rowid`).all()).toEqual(before.map((r) => expect.objectContaining(r as object)))
    expect(db.prepare(`SELECT id, receipt_series FROM payments ORDER BY receipt_number`).all()).toEqual([
      { id: online.paymentId, receipt_series: 'board' },
      { id: voided.paymentId, receipt_series: 'board' },
      { id: 'kp', receipt_series: 'office' },
    ])
    // The same index and append-only triggers as 0004 made them (the table name aside).
    expect(objects().map((o) => o.name)).toEqual(objectsBefore.map((o) => o.name))
    expect(objects().map((o) => o.name)).toEqual(['payments', 'payments_by_order', 'payments_no_delete', 'payments_no_update'])
    expect(db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'payments'`).get()).toEqual({ sql: expect.stringContaining('UNIQUE (school_id, receipt_series, receipt_number)') })
    expect(db.pragma('foreign_key_check')).toEqual([])
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(() => db.prepare(`UPDATE payments SET receipt_series = 'office'`).run()).toThrow(/append-only/)
    expect(() => db.prepare(`DELETE FROM payments`).run()).toThrow(/append-only/)
    // Foreign keys still point at payments: a refund of a payment that does not exist is refused.
    expect(() => db.prepare(`INSERT INTO refunds (id, payment_id, amount_cents, reason, status, idempotency_key, requested_at) VALUES ('r3', 'nope', 1, 'x', 'pending', 'rk3', ?)`).run(T0)).toThrow(/FOREIGN KEY/)
    expect(() => db.prepare(`INSERT INTO payment_voids (payment_id, source, reason, voided_at) VALUES ('nope', 'office', 'x', ?)`).run(T0)).toThrow(/FOREIGN KEY/)
    // The kiosk outcome's trigger (it reads payments) still works.
    expect(db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%FROM payments%'`).all().length).toBeGreaterThan(0)

    // Unique per school and series: a board 9 beside the office 9, never two board 9s.
    const pay = db.prepare(
      `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_series, receipt_number, created_at)
       VALUES (?, ?, ?, 'board', ?, 'visa', '4242', 2500, 'online', ?, ?, ?)`,
    )
    pay.run('b9', school, online.orderId, 'ref-b9', 'board', 9, T0)
    expect(() => pay.run('b9bis', school, online.orderId, 'ref-b9bis', 'board', 9, T0)).toThrow(/UNIQUE/)
    expect(() => pay.run('o9', school, online.orderId, 'ref-o9', 'office', 9, T0)).toThrow(/UNIQUE/)
    expect(() => pay.run('x1', school, online.orderId, 'ref-x1', 'elsewhere', 10, T0)).toThrow(/CHECK/)
  })

  it('rolls the rebuild back whole when it would break a foreign key, and switches foreign keys back on', () => {
    migrate(db, upTo(10))
    db.pragma('foreign_keys = OFF')
    // A refund whose payment does not exist (only possible with foreign keys off).
    db.prepare(`INSERT INTO refunds (id, payment_id, amount_cents, reason, status, idempotency_key, requested_at) VALUES ('r1', 'ghost', 1, 'x', 'pending', 'k', ?)`).run(T0)
    db.pragma('foreign_keys = ON')
    expect(() => migrate(db)).toThrow(/broken foreign keys/)
    expect(currentVersion(db)).toBe(10)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'payments'`).get()).toEqual({ sql: expect.stringContaining('UNIQUE (school_id, receipt_number)') })
  })
})

describe('0015 reminder periods', () => {
  it('keeps the reminders that went, one per item and period, append-only, a missed one with no families', () => {
    migrate(db, upTo(14))
    const b = new Board(db)
    const o = b.offering(b.school(), 'program', 'Pizza', [])
    db.prepare(`INSERT INTO reminder_runs (id, offering_id, sent_at, family_count) VALUES ('r1', ?, ?, 12)`).run(o, T0)
    migrate(db, upTo(15))
    expect(db.prepare(`SELECT id, period, due_at, sent_at, outcome, family_count FROM reminder_runs`).all()).toEqual([{ id: 'r1', period: '', due_at: T0, sent_at: T0, outcome: 'sent', family_count: 12 }])
    const insert = db.prepare(`INSERT INTO reminder_runs (id, offering_id, period, due_at, sent_at, outcome, family_count) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    insert.run('r2', o, '2026-12', T0, T0, 'sent', 3)
    expect(() => insert.run('r3', o, '2026-12', T0, '2026-12-01T00:00:00.000Z', 'sent', 1)).toThrow(/UNIQUE/)
    expect(() => insert.run('r4', o, 'décembre', T0, T0, 'sent', 1)).toThrow(/CHECK/)
    expect(() => insert.run('r5', o, '2027-01', T0, T0, 'missed', 4)).toThrow(/CHECK/)
    expect(() => db.prepare(`UPDATE reminder_runs SET family_count = 0`).run()).toThrow(/append-only/)
    expect(() => db.prepare(`DELETE FROM reminder_runs`).run()).toThrow(/append-only/)
  })
})

describe('0013 credit tender', () => {
  /** A school, a family, a fee, and a failed card refund settled as a 2500 credit. */
  function credited() {
    migrate(db, upTo(12))
    const b = new Board(db)
    const school = b.school('École Sainte-Chaîne')
    const child = b.student(school, 'Zoé', 'Lalonde', '5')
    const parent = b.guardian('Annie', 'Lalonde', [child])
    const fee = b.offering(school, 'fee', 'Cotisation', [['school', school]], { price: 2500 })
    const paid = b.order(school, parent, [{ student: child, offering: fee, cents: 2500 }], true, 7)
    db.prepare(`INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, requested_at, settled_at) VALUES ('rf', ?, ?, 2500, 'Annulé', 'failed', 'k-rf', ?, ?)`).run(
      paid.paymentId,
      paid.lineIds[0],
      T0,
      T0,
    )
    db.prepare(`INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, refund_id, reason, created_at) VALUES ('cg', ?, ?, 'granted', 2500, 'rf', 'Carte expirée', ?)`).run(school, parent, T0)
    const before = db.prepare(`SELECT * FROM payments ORDER BY rowid`).all()
    migrate(db)
    db.pragma('foreign_keys = ON')
    const clerk = b.staff('sophie', 'secretary')
    /** A kiosk order this PC's staff took (a pulled one has no local staff: `pulled`). */
    const order = (id: string, pulled = false) => {
      db.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at, created_by) VALUES (?, ?, ?, 'kiosk', ?, ?)`).run(id, school, parent, T0, pulled ? null : clerk)
      db.prepare(`INSERT INTO order_lines (id, order_id, student_id, offering_id, quantity, unit_price_cents, amount_cents) VALUES (?, ?, ?, ?, 1, 2000, 2000)`).run(`${id}-l`, id, child, fee)
    }
    const pay = db.prepare(
      `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, credit_cents, channel, receipt_series, receipt_number, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 2000, ?, 'kiosk', 'office', ?, ?)`,
    )
    const use = db.prepare(`INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, order_id, created_at) VALUES (?, ?, ?, 'used', ?, ?, ?)`)
    return { b, school, parent, child, fee, paid, before, order, pay, use }
  }

  it('keeps every payment (credit 0), and allows a card-less payment only when the credit paid it whole', () => {
    const { school, parent, before, order, pay, use } = credited()
    expect(db.prepare(`SELECT * FROM payments ORDER BY rowid`).all()).toEqual(before.map((r) => expect.objectContaining({ ...(r as object), credit_cents: 0 })))
    expect(db.pragma('foreign_key_check')).toEqual([])
    order('o1')
    // No card and not all credit; a card and all credit (the board's series: the table's checks alone).
    const board = db.prepare(
      `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, credit_cents, channel, receipt_number, created_at)
       VALUES ('pb', ?, 'o1', ?, 'rb', ?, ?, 2000, ?, 'kiosk', 50, ?)`,
    )
    expect(() => board.run(school, 'credit', null, null, 1000, T0)).toThrow(/CHECK/)
    expect(() => board.run(school, 'demo', 'visa', '4242', 2000, T0)).toThrow(/CHECK/)
    expect(() => board.run(school, 'demo', 'visa', null, 0, T0)).toThrow(/CHECK/)
    // This PC's series: a credit not written for the order.
    expect(() => pay.run('p1', school, 'o1', 'credit', 'r1', null, null, 2000, 1, T0)).toThrow(/credit used for its order/)
    use.run('u1', school, parent, 2000, 'o1', T0)
    pay.run('p1', school, 'o1', 'credit', 'r1', null, null, 2000, 1, T0)
    // A second credit payment cannot spend more than what is left (500).
    order('o2')
    expect(() => use.run('u2', school, parent, 2000, 'o2', T0)).toThrow(/within its balance/)
    use.run('u2', school, parent, 500, 'o2', T0)
    pay.run('p2', school, 'o2', 'demo', 'ch_2', 'visa', '4242', 500, 2, T0)
    // Another office PC's sale, pulled before its credit entry (the board checked it): taken.
    order('o3', true)
    pay.run('p3', school, 'o3', 'credit', 'r3', null, null, 2000, 3, T0)
    expect(db.prepare(`SELECT id, processor, credit_cents FROM payments WHERE receipt_series = 'office' ORDER BY receipt_number`).all()).toEqual([
      { id: 'p1', processor: 'credit', credit_cents: 2000 },
      { id: 'p2', processor: 'demo', credit_cents: 500 },
      { id: 'p3', processor: 'credit', credit_cents: 2000 },
    ])
    expect(() => db.prepare(`UPDATE payments SET credit_cents = 0`).run()).toThrow(/append-only/)
  })

  it('sends a refund back the way the money came, and grants a credit only for a failed card refund or a refund to credit', () => {
    const { school, parent, order, pay, use } = credited()
    order('o1')
    use.run('u1', school, parent, 500, 'o1', T0)
    pay.run('p1', school, 'o1', 'demo', 'ch_1', 'visa', '4242', 500, 1, T0)
    const refund = db.prepare(`INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, requested_at, tender) VALUES (?, 'p1', 'o1-l', ?, 'Neige', ?, ?, ?, ?)`)
    refund.run('r-card', 1500, 'pending', 'k1', T0, 'card')
    refund.run('r-credit', 500, 'succeeded', 'k2', T0, 'credit')
    // A credit refund of a payment with no credit in it is refused.
    expect(() =>
      db.prepare(`INSERT INTO refunds (id, payment_id, amount_cents, reason, status, idempotency_key, requested_at, tender) SELECT 'r-x', id, 1, 'x', 'pending', 'k3', ?, 'credit' FROM payments WHERE processor = 'board' LIMIT 1`).run(T0),
    ).toThrow(/the way the payment came/)
    expect(() => db.prepare(`UPDATE refunds SET tender = 'credit' WHERE id = 'r-card'`).run()).toThrow(/tender never changes/)
    const grant = db.prepare(`INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, refund_id, reason, created_at) VALUES (?, ?, ?, 'granted', ?, ?, 'x', ?)`)
    expect(() => grant.run('g1', school, parent, 1500, 'r-card', T0)).toThrow(/credit is granted/)
    grant.run('g2', school, parent, 500, 'r-credit', T0)
    // The line: 2000 paid, 1500 pending to the card, 500 back to credit (counted once).
    expect(db.prepare(`SELECT refunded_cents, credited_cents, refundable_cents FROM line_refundable WHERE order_line_id = 'o1-l'`).get()).toEqual({
      refunded_cents: 2000,
      credited_cents: 0,
      refundable_cents: 0,
    })
  })

  it('leaves voided payments out of live_payments, and checks a kiosk charge with its credit against the order', () => {
    const { b, school, parent, child, fee, use, order } = credited()
    const voided = b.order(school, parent, [{ student: child, offering: fee, cents: 2500 }], true, 8)
    db.prepare(`INSERT INTO payment_voids (payment_id, source, reason, voided_at) VALUES (?, 'office', 'Doublon', ?)`).run(voided.paymentId, T0)
    const live = (db.prepare(`SELECT id FROM live_payments`).all() as Array<{ id: string }>).map((r) => r.id)
    expect(live).not.toContain(voided.paymentId)
    expect(live.length).toBe((db.prepare(`SELECT count(*) AS n FROM payments`).get() as { n: number }).n - 1)
    order('o1')
    use.run('u1', school, parent, 500, 'o1', T0)
    const charge = db.prepare(
      `INSERT INTO kiosk_charges (id, request_id, order_id, school_id, guardian_id, amount_cents, credit_cents, processor, idempotency_key, method, method_ref, created_at)
       VALUES (?, ?, 'o1', ?, ?, ?, ?, 'demo', ?, 'test_card', '4242', ?)`,
    )
    expect(() => charge.run('c1', 'q1', school, parent, 2000, 500, 'k1', T0)).toThrow(/whole/)
    charge.run('c1', 'q1', school, parent, 1500, 500, 'k1', T0)
  })
})

describe('0014 staff accounts', () => {
  it('gives existing secretaries and principals every school, admins none, and keeps a staff member’s schools to real ones', () => {
    migrate(db, upTo(13))
    const b = new Board(db)
    const [s1, s2] = [b.school('École A'), b.school('École B')]
    const secretary = b.staff('sophie', 'secretary')
    const admin = b.staff('root', 'admin')
    migrate(db, upTo(14))
    const schoolsOf = (staffId: string) => (db.prepare(`SELECT school_id FROM staff_schools WHERE staff_id = ? ORDER BY school_id`).all(staffId) as Array<{ school_id: string }>).map((r) => r.school_id)
    expect(schoolsOf(secretary)).toEqual([s1, s2].sort())
    expect(schoolsOf(admin)).toEqual([])
    expect(db.prepare(`SELECT must_change_password, pin_hash FROM staff WHERE id = ?`).get(secretary)).toEqual({ must_change_password: 0, pin_hash: null })
    expect(() => db.prepare(`INSERT INTO staff_schools (staff_id, school_id) VALUES (?, 'nowhere')`).run(admin)).toThrow(/FOREIGN KEY/)
    expect(() => db.prepare(`UPDATE staff SET must_change_password = 2 WHERE id = ?`).run(admin)).toThrow(/CHECK/)
  })
})

describe('the whole chain', () => {
  /** Rows a database of each version may hold, written as that version's schema allows. */
  const fill: Record<number, (b: Board, ctx: Record<string, string>) => void> = {
    1: (b, ctx) => {
      ctx.school = b.school('École Sainte-Chaîne')
      ctx.child = b.student(ctx.school, 'Zoé', 'Lalonde', '2', b.klass(ctx.school, '2e année A'))
      ctx.parent = b.guardian('Annie', 'Lalonde', [ctx.child])
    },
    2: (b) => void b.staff('sophie', 'secretary'),
    3: (b, ctx) => void (ctx.offering = b.offering(ctx.school!, 'fee', 'Cotisation', [['school', ctx.school!]], { price: 2500 })),
    4: (b, ctx) => {
      b.order(ctx.school!, ctx.parent!, [{ student: ctx.child!, offering: ctx.offering! , cents: 2500 }], true)
      b.consent(ctx.offering!, ctx.child!, ctx.parent!, 'granted', T0)
    },
    5: (b) => void b.db.prepare(`INSERT INTO audit_log (at, actor, action) VALUES (?, 'x', 'y')`).run(T0),
    6: (b, ctx) => void b.db.prepare(`INSERT INTO reminder_runs (id, offering_id, sent_at, family_count) VALUES ('rr', ?, ?, 3)`).run(ctx.offering, T0),
    7: (b, ctx) => void b.db.prepare(`INSERT INTO assistance_budget_entries (id, school_id, amount_cents, reason, created_at) VALUES ('be', ?, 5000, 'Allocation', ?)`).run(ctx.school, T0),
    8: (b, ctx) => {
      const outing = b.offering(ctx.school!, 'outing', 'Musée', [['school', ctx.school!]], { price: 1500 })
      b.db.prepare(`INSERT INTO outings (offering_id, starts_on, ends_on, destination) VALUES (?, '2026-12-10', '2026-12-10', 'Musée')`).run(outing)
      b.db.prepare(`INSERT INTO outing_chaperones (id, offering_id, name, police_check_expires_on, added_at) VALUES ('ch', ?, 'Jeanne Roy', '2027-06-30', ?)`).run(outing, T0)
      b.db.prepare(`INSERT INTO outing_ratio_bands (offering_id, sort, grades, students_per_adult) VALUES (?, 0, '4,5,6', 10)`).run(outing)
    },
    9: (b, ctx) => {
      // A kiosk sale: the order, a declined card, then an approved one and its payment.
      b.db.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES ('ko', ?, ?, 'kiosk', ?)`).run(ctx.school, ctx.parent, T0)
      b.db.prepare(`INSERT INTO order_lines (id, order_id, student_id, offering_id, quantity, unit_price_cents, amount_cents) VALUES ('kl', 'ko', ?, ?, 1, 2500, 2500)`).run(ctx.child, ctx.offering)
      const charge = b.db.prepare(
        `INSERT INTO kiosk_charges (id, request_id, order_id, school_id, guardian_id, amount_cents, processor, idempotency_key, method, method_ref, created_at)
         VALUES (?, ?, 'ko', ?, ?, 2500, 'demo', ?, 'test_card', ?, ?)`,
      )
      charge.run('kc1', 'request-1', ctx.school, ctx.parent, 'kiosk-charge-kc1', '0002', T0)
      charge.run('kc2', 'request-2', ctx.school, ctx.parent, 'kiosk-charge-kc2', '4242', T0)
      b.db.prepare(`INSERT INTO kiosk_charge_outcomes (charge_id, order_id, status, code, recorded_at) VALUES ('kc1', 'ko', 'declined', 'card_declined', ?)`).run(T0)
      b.db
        .prepare(
          `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_number, created_at)
           VALUES ('kp', ?, 'ko', 'demo', 'demo_pi_1', 'visa', '4242', 2500, 'kiosk', 99, ?)`,
        )
        .run(ctx.school, T0)
      b.db.prepare(`INSERT INTO kiosk_charge_outcomes (charge_id, order_id, status, payment_id, processor_ref, recorded_at) VALUES ('kc2', 'ko', 'succeeded', 'kp', 'demo_pi_1', ?)`).run(T0)
    },
    10: (b, ctx) => {
      // A conflict the board answered, settled by staff taking the board's copy.
      b.db
        .prepare(
          `INSERT INTO outbox (id, school_id, type, entity_id, base_version, data, created_at, state, result, resolution, resolved_at)
           VALUES ('mx', ?, 'offering.upsert', ?, 1, '{}', ?, 'conflict', '{"status":"conflict"}', 'theirs', ?)`,
        )
        .run(ctx.school, ctx.offering, T0, T0)
    },
    11: (b, ctx) => {
      // A board payment pulled with the number this PC's kiosk already used (99, 'office').
      b.db.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES ('bo', ?, ?, 'online', ?)`).run(ctx.school, ctx.parent, T0)
      b.db
        .prepare(
          `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, channel, receipt_series, receipt_number, created_at)
           VALUES ('bp', ?, 'bo', 'board', 'board_99', 'visa', '4242', 2500, 'online', 'board', 99, ?)`,
        )
        .run(ctx.school, T0)
    },
    12: (b, ctx) => {
      // A bounce raises a roster alert (a trigger), seen by staff.
      b.db.prepare(`UPDATE guardians SET email_bounced_at = ?, version = version + 1 WHERE id = ?`).run(T0, ctx.parent)
      b.db.prepare(`INSERT INTO roster_alert_acks (alert_id, acknowledged_at) SELECT id, ? FROM roster_alerts`).run(T0)
    },
    13: (b, ctx) => {
      // A failed refund settled as credit, spent on a kiosk sale with a card for the rest.
      b.db.prepare(`INSERT INTO refunds (id, payment_id, amount_cents, reason, status, idempotency_key, requested_at, tender) VALUES ('rf13', 'kp', 1000, 'Neige', 'failed', 'k13', ?, 'card')`).run(T0)
      b.db.prepare(`INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, refund_id, reason, created_at) VALUES ('cg13', ?, ?, 'granted', 1000, 'rf13', 'Carte expirée', ?)`).run(ctx.school, ctx.parent, T0)
      b.db.prepare(`INSERT INTO orders (id, school_id, guardian_id, channel, created_at) VALUES ('ko13', ?, ?, 'kiosk', ?)`).run(ctx.school, ctx.parent, T0)
      b.db.prepare(`INSERT INTO order_lines (id, order_id, student_id, offering_id, quantity, unit_price_cents, amount_cents) VALUES ('kl13', 'ko13', ?, ?, 1, 2500, 2500)`).run(ctx.child, ctx.offering)
      b.db.prepare(`INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, order_id, created_at) VALUES ('cu13', ?, ?, 'used', 1000, 'ko13', ?)`).run(ctx.school, ctx.parent, T0)
      b.db
        .prepare(
          `INSERT INTO payments (id, school_id, order_id, processor, processor_ref, card_brand, card_last4, amount_cents, credit_cents, channel, receipt_series, receipt_number, created_at)
           VALUES ('kp13', ?, 'ko13', 'demo', 'demo_pi_13', 'visa', '4242', 2500, 1000, 'kiosk', 'office', 100, ?)`,
        )
        .run(ctx.school, T0)
    },
    14: (b, ctx) => {
      const staffId = b.staff('marc', 'principal')
      b.db.prepare(`UPDATE staff SET must_change_password = 1, pin_hash = 'scrypt$x' WHERE id = ?`).run(staffId)
      b.db.prepare(`INSERT OR IGNORE INTO staff_schools (staff_id, school_id) VALUES (?, ?)`).run(staffId, ctx.school)
    },
    15: (b, ctx) => {
      // A program's December reminder, and one missed.
      b.db.prepare(`INSERT INTO reminder_runs (id, offering_id, period, due_at, sent_at, family_count) VALUES ('rp', ?, '2026-12', ?, ?, 2)`).run(ctx.offering, T0, T0)
      b.db.prepare(`INSERT INTO reminder_runs (id, offering_id, period, due_at, sent_at, outcome, family_count) VALUES ('rm', ?, '2027-01', ?, ?, 'missed', 0)`).run(ctx.offering, T0, T0)
    },
  }

  for (let from = 1; from < migrations.length; from++) {
    it(`brings a filled version-${from} database to the latest without losing a row`, () => {
      const b = new Board(db)
      const ctx: Record<string, string> = {}
      for (let v = 1; v <= from; v++) {
        migrate(db, upTo(v))
        fill[v]!(b, ctx)
      }
      const snapshot = Object.fromEntries(tables().map((t) => [t, db.prepare(`SELECT * FROM ${t}`).all()]))
      migrate(db)
      expect(currentVersion(db)).toBe(migrations.length)
      for (const [table, rows] of Object.entries(snapshot)) {
        if (table === 'schema_migrations' || table === 'sqlite_sequence') continue
        // Later migrations may add columns; every value a row had is still there.
        expect(db.prepare(`SELECT * FROM ${table}`).all(), table).toEqual(rows.map((r) => expect.objectContaining(r as object)))
      }
      expect(db.pragma('foreign_key_check')).toEqual([])
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    })
  }

  it('has a fill step for every migration, so a new one cannot skip this test', () => {
    expect(Object.keys(fill).map(Number)).toEqual(migrations.map((m) => m.version))
  })
})
