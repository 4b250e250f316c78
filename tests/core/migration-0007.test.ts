import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrate } from '../../src/core/db/migrate'
import { migrations } from '../../src/core/db/migrations'
import { Board, tempDir, T0 } from './fixtures'

/** 0007 refund work: what it creates, and the rules it makes the file enforce. */
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
const get = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T

function ledger() {
  const b = new Board(db)
  const school = b.school()
  const child = b.student(school, 'Léa', 'Roy', '3')
  const parent = b.guardian('Julie', 'Roy', [child])
  const staff = b.staff('marc', 'principal')
  const pizza = b.offering(school, 'program', 'Pizza', [['school', school]])
  const order = b.order(school, parent, [{ student: child, offering: pizza, cents: 550 }, { student: child, offering: pizza, cents: 450 }], true)
  return { b, school, child, parent, staff, pizza, order }
}

function refund(id: string, paymentId: string | null, lineId: string | undefined, cents: number, status = 'pending'): void {
  db.prepare(
    `INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, requested_at, settled_at)
     VALUES (?, ?, ?, ?, 'Journée de neige', ?, ?, ?, ?)`,
  ).run(id, paymentId, lineId ?? null, cents, status, `key-${id}`, T0, status === 'pending' ? null : T0)
}

describe('0007 refund work', () => {
  it('keeps jobs, items, events, credits, resolutions, voids and budget entries append-only', () => {
    migrate(db, upTo(7))
    const { school, order, parent, staff } = ledger()
    refund('r1', order.paymentId, order.lineIds[0], 550)
    db.prepare(`INSERT INTO refund_jobs (id, school_id, kind, reason, created_at) VALUES ('j1', ?, 'lines', 'Neige', ?)`).run(school, T0)
    db.prepare(`INSERT INTO refund_job_items (job_id, seq, refund_id) VALUES ('j1', 1, 'r1')`).run()
    db.prepare(`INSERT INTO refund_events (refund_id, kind, at) VALUES ('r1', 'sent', ?)`).run(T0)
    db.prepare(`INSERT INTO payment_voids (payment_id, source, reason, voided_at) VALUES (?, 'office', 'Annulé', ?)`).run(order.paymentId, T0)
    db.prepare(`INSERT INTO assistance_budget_entries (id, school_id, amount_cents, reason, created_by, created_at) VALUES ('b1', ?, 10000, 'Allocation', ?, ?)`).run(school, staff, T0)
    db.prepare(`UPDATE refunds SET status = 'failed', settled_at = ?, failure_message = 'expired_or_canceled_card' WHERE id = 'r1'`).run(T0)
    db.prepare(
      `INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, refund_id, reason, created_by, created_at) VALUES ('c1', ?, ?, 'granted', 550, 'r1', 'Carte expirée', ?, ?)`,
    ).run(school, parent, staff, T0)
    db.prepare(`INSERT INTO refund_resolutions (refund_id, kind, credit_id, reason, resolved_by, resolved_at) VALUES ('r1', 'credited', 'c1', 'Carte expirée', ?, ?)`).run(staff, T0)
    for (const table of ['refund_jobs', 'refund_job_items', 'refund_events', 'payment_voids', 'assistance_budget_entries', 'family_credits', 'refund_resolutions']) {
      expect(() => db.prepare(`UPDATE ${table} SET rowid = rowid`).run(), table).toThrow(/append-only/)
      expect(() => db.prepare(`DELETE FROM ${table}`).run(), table).toThrow(/append-only/)
    }
  })

  it('adds only pending refunds to a job, and names the job’s target by its kind', () => {
    migrate(db, upTo(7))
    const { school, order } = ledger()
    refund('r1', order.paymentId, order.lineIds[0], 550, 'succeeded')
    db.prepare(`INSERT INTO refund_jobs (id, school_id, kind, reason, created_at) VALUES ('j1', ?, 'lines', 'Neige', ?)`).run(school, T0)
    expect(() => db.prepare(`INSERT INTO refund_job_items (job_id, seq, refund_id) VALUES ('j1', 1, 'r1')`).run()).toThrow(/pending refund/)
    expect(() => db.prepare(`INSERT INTO refund_jobs (id, school_id, kind, reason, created_at) VALUES ('j2', ?, 'order', 'x', ?)`).run(school, T0)).toThrow(/CHECK/)
    expect(() => db.prepare(`INSERT INTO refund_jobs (id, school_id, kind, reason, created_at) VALUES ('j3', ?, 'lines', '  ', ?)`).run(school, T0)).toThrow(/CHECK/)
  })

  it('reverses only a succeeded refund, once, and the view then says failed', () => {
    migrate(db, upTo(7))
    const { order } = ledger()
    refund('r1', order.paymentId, order.lineIds[0], 550)
    const reverse = db.prepare(`INSERT INTO refund_events (refund_id, kind, at, code) VALUES ('r1', 'reversed', ?, 'expired_or_canceled_card')`)
    expect(() => reverse.run(T0)).toThrow(/only a succeeded refund/)
    db.prepare(`UPDATE refunds SET status = 'succeeded', settled_at = ?, processor_ref = 're_1' WHERE id = 'r1'`).run(T0)
    expect(get<{ status: string }>(`SELECT status FROM refund_states WHERE id = 'r1'`).status).toBe('succeeded')
    expect(get<{ refundable_cents: number }>(`SELECT refundable_cents FROM line_refundable WHERE order_line_id = ?`, order.lineIds[0]).refundable_cents).toBe(0)
    reverse.run('2026-11-25T15:00:00.000Z')
    expect(() => reverse.run(T0)).toThrow(/UNIQUE/)
    expect(get(`SELECT status, reversed, failure_code, settled_at FROM refund_states WHERE id = 'r1'`)).toEqual({
      status: 'failed',
      reversed: 1,
      failure_code: 'expired_or_canceled_card',
      settled_at: '2026-11-25T15:00:00.000Z',
    })
    // The refunds row still says what the processor first answered.
    expect(get<{ status: string }>(`SELECT status FROM refunds WHERE id = 'r1'`).status).toBe('succeeded')
    expect(get<{ refundable_cents: number }>(`SELECT refundable_cents FROM line_refundable WHERE order_line_id = ?`, order.lineIds[0]).refundable_cents).toBe(550)
  })

  it('derives what is left on a line: paid − pending and succeeded refunds − credits; nothing on a voided or unpaid order', () => {
    migrate(db, upTo(7))
    const { b, school, child, parent, pizza, order, staff } = ledger()
    const left = (line: string) => get<{ refundable_cents: number }>(`SELECT refundable_cents FROM line_refundable WHERE order_line_id = ?`, line).refundable_cents
    expect(left(order.lineIds[0]!)).toBe(550)
    refund('r1', order.paymentId, order.lineIds[0], 100)
    refund('r2', order.paymentId, order.lineIds[0], 200, 'failed')
    expect(left(order.lineIds[0]!)).toBe(450)
    db.prepare(`UPDATE refunds SET status = 'succeeded', settled_at = ? WHERE id = 'r1'`).run(T0)
    expect(left(order.lineIds[0]!)).toBe(450)
    db.prepare(`INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, refund_id, reason, created_by, created_at) VALUES ('c1', ?, ?, 'granted', 200, 'r2', 'Carte expirée', ?, ?)`).run(
      school,
      parent,
      staff,
      T0,
    )
    expect(left(order.lineIds[0]!)).toBe(250)
    const unpaid = b.order(school, parent, [{ student: child, offering: pizza, cents: 300 }], false)
    expect(left(unpaid.lineIds[0]!)).toBe(0)
    db.prepare(`INSERT INTO payment_voids (payment_id, source, reason, voided_at) VALUES (?, 'processor', 'Annulé avant capture', ?)`).run(order.paymentId, T0)
    expect(left(order.lineIds[1]!)).toBe(0)
    expect(() => db.prepare(`INSERT INTO payment_voids (payment_id, source, reason, voided_at) VALUES (?, 'office', 'encore', ?)`).run(order.paymentId, T0)).toThrow(/UNIQUE/)
  })

  it('grants a credit only for the whole of a failed refund, once, and never uses more than the balance', () => {
    migrate(db, upTo(7))
    const { school, parent, staff, order } = ledger()
    refund('r1', order.paymentId, order.lineIds[0], 550)
    const grant = db.prepare(
      `INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, refund_id, reason, created_by, created_at) VALUES (?, ?, ?, 'granted', ?, 'r1', ?, ?, ?)`,
    )
    expect(() => grant.run('c0', school, parent, 550, 'x', staff, T0)).toThrow(/failed refund/) // still pending
    db.prepare(`UPDATE refunds SET status = 'failed', settled_at = ? WHERE id = 'r1'`).run(T0)
    expect(() => grant.run('c0', school, parent, 500, 'x', staff, T0)).toThrow(/failed refund/) // not the whole
    expect(() => grant.run('c0', school, parent, 550, null, staff, T0)).toThrow(/CHECK/) // no reason
    grant.run('c1', school, parent, 550, 'Carte expirée', staff, T0)
    expect(() => grant.run('c2', school, parent, 550, 'Encore', staff, T0)).toThrow(/UNIQUE/)
    const later = new Board(db).order(school, parent, [], false, 2)
    const use = db.prepare(`INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, order_id, created_by, created_at) VALUES (?, ?, ?, 'used', ?, ?, ?, ?)`)
    use.run('u1', school, parent, 500, later.orderId, staff, T0)
    expect(() => use.run('u2', school, parent, 51, later.orderId, staff, T0)).toThrow(/within its balance/)
    use.run('u3', school, parent, 50, later.orderId, staff, T0)
  })

  it('resolves a failed refund once: retried or credited', () => {
    migrate(db, upTo(7))
    const { order, staff } = ledger()
    refund('r1', order.paymentId, order.lineIds[0], 550)
    refund('r2', order.paymentId, order.lineIds[0], 550)
    const resolve = db.prepare(`INSERT INTO refund_resolutions (refund_id, kind, retry_refund_id, reason, resolved_by, resolved_at) VALUES (?, 'retried', ?, 'Nouvel essai', ?, ?)`)
    expect(() => resolve.run('r1', 'r2', staff, T0)).toThrow(/only a failed refund/)
    db.prepare(`UPDATE refunds SET status = 'failed', settled_at = ? WHERE id = 'r1'`).run(T0)
    resolve.run('r1', 'r2', staff, T0)
    expect(() => resolve.run('r1', 'r2', staff, T0)).toThrow(/UNIQUE/)
  })

  it('turns existing budgets into opening entries, and records later changes of the column as entries', () => {
    migrate(db, upTo(6))
    const b = new Board(db)
    const school = b.school()
    db.prepare(`UPDATE schools SET assistance_budget_cents = 250000 WHERE id = ?`).run(school)
    migrate(db)
    const total = (s: string) => get<{ n: number }>(`SELECT coalesce(sum(amount_cents), 0) AS n FROM assistance_budget_entries WHERE school_id = ?`, s).n
    expect(total(school)).toBe(250000)
    db.prepare(`UPDATE schools SET assistance_budget_cents = 200000 WHERE id = ?`).run(school)
    expect(total(school)).toBe(200000)
    db.prepare(`INSERT INTO schools (id, code, name, assistance_budget_cents) VALUES ('s2', 'S2', 'École Deux', 90000)`).run()
    expect(total('s2')).toBe(90000)
    const zero = b.school()
    expect(total(zero)).toBe(0)
    expect(() => db.prepare(`INSERT INTO assistance_budget_entries (id, school_id, amount_cents, reason, created_at) VALUES ('z', ?, 0, 'rien', ?)`).run(zero, T0)).toThrow(/CHECK/)
  })
})
