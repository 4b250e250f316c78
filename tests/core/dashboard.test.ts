import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoBoard } from '../../src/core/demo/seed'
import type { Output } from '../../src/shared/contract'
import { LedgerModel } from '../support/ledger-model'
import { FAST_SCRYPT, id, ok, testCore } from './fixtures'

/**
 * dashboard.summary against the database: every figure is recounted here from the rows, by
 * other means than the handler’s SQL (plain reads and JavaScript, tests/support/ledger-model.ts),
 * on the demo board (voided payments, refunds failed or reversed and settled as credit) plus a few
 * rows written for the cases the demo does not have (pending, failed, reversed and settled
 * refunds, a cancelled program date today, the outbox, the last pull).
 */

let t: Awaited<ReturnType<typeof testCore>>
let session: string
let today: string
let schools: Array<{ id: string; name: string }>
const raw = () => t.core.connection.raw
const all = <T>(sql: string, ...args: unknown[]) => raw().prepare(sql).all(...args) as T[]
const run = (sql: string, ...args: unknown[]) => raw().prepare(sql).run(...args)

/** A paid line of the demo with nothing refunded yet, for the refunds written below. */
function freshPaidLines(n: number): Array<{ id: string; payment_id: string; amount_cents: number; school_id: string }> {
  return all(
    `SELECT l.id, p.id AS payment_id, l.amount_cents, p.school_id FROM order_lines l JOIN payments p ON p.order_id = l.order_id
     WHERE l.amount_cents > 0 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id) AND NOT EXISTS (SELECT 1 FROM payment_voids v WHERE v.payment_id = p.id)
     ORDER BY l.id LIMIT ?`,
    n,
  )
}

function refund(line: { id: string; payment_id: string; amount_cents: number }, status: 'pending' | 'succeeded' | 'failed', at: string): string {
  const rid = id('refund')
  run(
    `INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, requested_at, settled_at)
     VALUES (?, ?, ?, ?, 'test', ?, ?, ?, ?)`,
    rid,
    line.payment_id,
    line.id,
    line.amount_cents,
    status,
    `key-${rid}`,
    at,
    status === 'pending' ? null : at,
  )
  return rid
}

beforeAll(async () => {
  t = await testCore()
  seedDemoBoard(raw(), { anchor: new Date(t.clock.ms), passwordParams: FAST_SCRYPT })
  schools = all('SELECT id, name FROM schools ORDER BY name')

  // "Today" is the school day of the coming week with the most program-date lines: deliveries to count.
  today = all<{ date: string }>(
    `SELECT d.date FROM program_dates d JOIN order_lines l ON l.program_date_id = d.id
     WHERE d.date >= date(?) AND d.date <= date(?, '+7 days') GROUP BY d.date ORDER BY count(*) DESC, d.date LIMIT 1`,
    new Date(t.clock.ms).toISOString(),
    new Date(t.clock.ms).toISOString(),
  )[0]!.date
  t.clock.ms = Date.parse(`${today}T15:00:00.000Z`)
  session = (await ok(t.core, 'auth.signIn', { username: 'secretaire', password: 'guichet' })).token
  const now = new Date(t.clock.ms).toISOString()

  // Refunds of every kind: two pending, one failed, one failed then settled as a credit, one
  // succeeded then reversed (failed), one succeeded; and a line of today refunded (pending).
  const lines = freshPaidLines(6)
  refund(lines[0]!, 'pending', now)
  refund(lines[1]!, 'pending', now)
  refund(lines[2]!, 'failed', now)
  const settled = refund(lines[3]!, 'failed', now)
  const credit = id('credit')
  const guardian = all<{ guardian_id: string }>('SELECT o.guardian_id FROM orders o JOIN payments p ON p.order_id = o.id WHERE p.id = ?', lines[3]!.payment_id)[0]!.guardian_id
  run(`INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, refund_id, reason, created_at) VALUES (?, ?, ?, 'granted', ?, ?, 'test', ?)`, credit, lines[3]!.school_id, guardian, lines[3]!.amount_cents, settled, now)
  run(`INSERT INTO refund_resolutions (refund_id, kind, credit_id, reason, resolved_at) VALUES (?, 'credited', ?, 'test', ?)`, settled, credit, now)
  const reversed = refund(lines[4]!, 'succeeded', now)
  run(`INSERT INTO refund_events (refund_id, kind, at, code) VALUES (?, 'reversed', ?, 'expired_or_canceled_card')`, reversed, now)
  refund(lines[5]!, 'succeeded', now)
  const todays = all<{ id: string; payment_id: string; amount_cents: number }>(
    `SELECT l.id, p.id AS payment_id, l.amount_cents FROM order_lines l JOIN payments p ON p.order_id = l.order_id JOIN program_dates d ON d.id = l.program_date_id
     WHERE d.date = ? AND l.amount_cents > 0 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_line_id = l.id)
       AND NOT EXISTS (SELECT 1 FROM payment_voids v WHERE v.payment_id = p.id) LIMIT 2`,
    today,
  )
  refund(todays[0]!, 'pending', now)
  // Refunded, then the processor reversed it: the family paid after all, the portion is delivered.
  const reversedToday = refund(todays[1]!, 'succeeded', now)
  run(`INSERT INTO refund_events (refund_id, kind, at, code) VALUES (?, 'reversed', ?, 'expired_or_canceled_card')`, reversedToday, now)

  // A cancelled program date today, on an item of its own (snow day at one school).
  const school = schools[0]!.id
  const program = all<{ id: string }>(`SELECT id FROM offerings WHERE school_id = ? AND kind = 'program' AND status = 'published' ORDER BY title_fr LIMIT 1`, school)[0]!.id
  const cancelledOffering = id('offering')
  run(
    `INSERT INTO offerings (id, school_id, kind, status, school_year, title_fr, opens_at, deadline_at, price_cents, created_at, updated_at)
     SELECT ?, school_id, 'program', 'published', school_year, 'Collation test', opens_at, deadline_at, 200, created_at, updated_at FROM offerings WHERE id = ?`,
    cancelledOffering,
    program,
  )
  run(`INSERT INTO program_dates (id, offering_id, date, cutoff_at, status, cancel_reason) VALUES (?, ?, ?, ?, 'cancelled', 'Tempête')`, id('date'), cancelledOffering, today, now)

  // An item whose deadline is in three days, answered by two students; one outside the window.
  run(
    `INSERT INTO offerings (id, school_id, kind, status, school_year, title_fr, opens_at, deadline_at, price_cents, created_at, updated_at)
     VALUES (?, ?, 'consent_form', 'published', '2026-2027', 'Formulaire test', ?, ?, 0, ?, ?)`,
    'offering-soon',
    school,
    now,
    new Date(t.clock.ms + 3 * 86_400_000).toISOString(),
    now,
    now,
  )
  run(`INSERT INTO offering_targets (offering_id, kind, value) VALUES ('offering-soon', 'grade', '3')`)
  for (const s of all<{ id: string; guardian_id: string }>(
    `SELECT s.id, min(g.guardian_id) AS guardian_id FROM students s JOIN student_guardians g ON g.student_id = s.id
     WHERE s.school_id = ? AND s.grade = '3' AND s.status = 'active' GROUP BY s.id ORDER BY s.id LIMIT 2`,
    school,
  )) {
    run(
      `INSERT INTO consents (id, offering_id, student_id, guardian_id, decision, signed_name, channel, recorded_at) VALUES (?, 'offering-soon', ?, ?, 'granted', 'Parent', 'online', ?)`,
      id('consent'),
      s.id,
      s.guardian_id,
      now,
    )
  }

  // The outbox: three waiting, one in conflict, one rejected, one applied; a pull at each school.
  const states = ['pending', 'pending', 'pending', 'conflict', 'rejected', 'applied'] as const
  states.forEach((state, i) =>
    run(`INSERT INTO outbox (id, school_id, type, entity_id, data, created_at, state) VALUES (?, ?, 'offering.upsert', 'x', '{}', ?, ?)`, id('outbox'), schools[i % 2]!.id, now, state),
  )
  run(`INSERT INTO sync_state (school_id, last_pull_at) VALUES (?, '2026-11-01T12:00:00.000Z'), (?, '2026-11-02T12:00:00.000Z')`, schools[0]!.id, schools[1]!.id)
})
afterAll(() => t.cleanup())

/** Eligible students of an item, in JavaScript from its targets. */
function eligibleOf(offeringId: string): string[] {
  const o = all<{ school_id: string }>('SELECT school_id FROM offerings WHERE id = ?', offeringId)[0]!
  const targets = all<{ kind: string; value: string }>('SELECT kind, value FROM offering_targets WHERE offering_id = ?', offeringId)
  const students = all<{ id: string; grade: string; class_id: string | null }>(`SELECT id, grade, class_id FROM students WHERE school_id = ? AND status = 'active'`, o.school_id)
  return students
    .filter((s) => targets.some((tg) => (tg.kind === 'school' && tg.value === o.school_id) || (tg.kind === 'grade' && tg.value === s.grade) || (tg.kind === 'class' && tg.value === s.class_id) || (tg.kind === 'student' && tg.value === s.id)))
    .map((s) => s.id)
}

async function summary(input: { schoolId?: string; days?: number } = {}): Promise<Output<'dashboard.summary'>> {
  return ok(t.core, 'dashboard.summary', input, session)
}

describe('dashboard.summary', () => {
  it('lists the deadlines of the coming days with the eligible and answered students', async () => {
    const now = new Date(t.clock.ms)
    for (const days of [7, 31]) {
      const s = await summary({ days })
      const until = new Date(now.getTime() + days * 86_400_000).toISOString()
      const expected = all<{ id: string; kind: string; deadline_at: string }>(`SELECT id, kind, deadline_at FROM offerings WHERE status = 'published'`).filter(
        (o) => o.deadline_at > now.toISOString() && o.deadline_at <= until,
      )
      expect(s.deadlines.map((d) => d.offeringId).sort()).toEqual(expected.map((o) => o.id).sort())
      for (const d of s.deadlines) {
        const table = d.kind === 'outing' || d.kind === 'consent_form' ? 'consents' : 'order_lines'
        const answered = new Set(all<{ student_id: string }>(`SELECT student_id FROM ${table} WHERE offering_id = ?`, d.offeringId).map((r) => r.student_id))
        expect({ id: d.offeringId, eligible: d.eligible, answered: d.answered }).toEqual({ id: d.offeringId, eligible: eligibleOf(d.offeringId).length, answered: answered.size })
      }
      // The deadlines come in order.
      expect(s.deadlines.map((d) => d.deadlineAt)).toEqual([...s.deadlines.map((d) => d.deadlineAt)].sort())
    }
    const week = await summary()
    const soon = week.deadlines.find((d) => d.offeringId === 'offering-soon')!
    expect(soon.answered).toBe(2)
    expect(soon.eligible).toBeGreaterThan(2)
  })

  it('counts today’s portions as the paid, not refunded quantities of the lines of each program date', async () => {
    const s = await summary()
    expect(s.today).toBe(today)
    const dates = all<{ id: string; status: string }>(`SELECT d.id, d.status FROM program_dates d JOIN offerings o ON o.id = d.offering_id WHERE d.date = ? AND o.status <> 'draft'`, today)
    expect(s.deliveries.map((d) => d.programDateId).sort()).toEqual(dates.map((d) => d.id).sort())
    expect(s.deliveries.length).toBeGreaterThan(2)
    const model = new LedgerModel(raw())
    let withRefund = 0
    for (const d of s.deliveries) {
      const lines = all<{ id: string; order_id: string; quantity: number; amount_cents: number }>('SELECT id, order_id, quantity, amount_cents FROM order_lines WHERE program_date_id = ?', d.programDateId)
      withRefund += lines.filter((l) => model.givenBack(l.id) > 0).length
      expect(d.portions, d.titleFr).toBe(model.heldQuantity(lines))
      expect(d.cancelled).toBe(dates.find((x) => x.id === d.programDateId)!.status === 'cancelled')
    }
    expect(withRefund, 'a line of today is refunded').toBeGreaterThan(0)
    expect(s.deliveries.filter((d) => d.cancelled).map((d) => d.titleFr)).toEqual(['Collation test'])
    // The same figure as the supplier's order sheet (the Rapports screen).
    for (const d of s.deliveries) expect((await ok(t.core, 'reports.orderSheet', { programDateId: d.programDateId }, session)).total).toBe(d.portions)
  })

  it('counts refunds pending, and failed ones nobody has retried or settled, a reversed success among them', async () => {
    const s = await summary()
    const model = new LedgerModel(raw())
    const pending = all<{ id: string; status: 'pending' | 'succeeded' | 'failed'; amount_cents: number }>('SELECT id, status, amount_cents FROM refunds').filter((r) => model.status(r) === 'pending')
    const failed = model.failedWaiting()
    const cents = (rs: ReadonlyArray<{ amount_cents: number }>) => rs.reduce((c, r) => c + r.amount_cents, 0)
    expect(s.refunds).toEqual({ pending: pending.length, pendingCents: cents(pending), failed: failed.length, failedCents: cents(failed) })
    expect(s.refunds.pending).toBe(3)
    expect(s.refunds.failed).toBe(3)
    // The failed ones are the list the Commandes screen shows.
    const list = await ok(t.core, 'refunds.failed', {}, session)
    expect(list.refunds.length).toBe(s.refunds.failed)
    expect(list.refunds.reduce((c, r) => c + r.amountCents, 0)).toBe(s.refunds.failedCents)
  })

  it('shows each outing as the Sorties screen counts it', async () => {
    const s = await summary()
    const overview = await ok(t.core, 'outings.overview', {}, session)
    expect(s.outings.length).toBeGreaterThan(0)
    for (const o of s.outings) {
      const row = overview.rows.find((r) => r.offeringId === o.offeringId)!
      expect(row, o.titleFr).toBeDefined()
      expect({ eligible: o.eligible, consented: o.consented, confirmed: o.confirmed, waitlisted: o.waitlisted, capacity: o.capacity }).toEqual({
        eligible: row.counts.eligible,
        consented: row.counts.consented,
        confirmed: row.counts.confirmed,
        waitlisted: row.counts.waitlisted,
        capacity: row.capacity,
      })
      // Consented now: students whose latest answer is a grant.
      const latest = new Map<string, string>()
      for (const c of all<{ student_id: string; decision: string }>('SELECT student_id, decision FROM consents WHERE offering_id = ? ORDER BY recorded_at, id', o.offeringId)) latest.set(c.student_id, c.decision)
      const eligible = new Set(eligibleOf(o.offeringId))
      expect(o.consented).toBe([...latest].filter(([sid, d]) => d === 'granted' && eligible.has(sid)).length)
      expect(o.eligible).toBe(eligible.size)
      const plan = all<{ bus_count: number; seats_per_bus: number; staff_count: number; venue_limit: number | null }>('SELECT * FROM outings WHERE offering_id = ?', o.offeringId)[0]!
      const chaperones = all<{ n: number }>('SELECT count(*) AS n FROM outing_chaperones WHERE offering_id = ? AND removed_at IS NULL', o.offeringId)[0]!.n
      const seats = plan.bus_count > 0 ? Math.max(0, plan.bus_count * plan.seats_per_bus - plan.staff_count - chaperones) : null
      expect(o.seats).toBe(seats)
      expect(o.capacity).toBe([seats, plan.venue_limit].filter((x): x is number => x !== null).reduce((a, b) => Math.min(a, b), Infinity))
    }
  })

  it('tells the sync state: waiting to send, blocked, the last pull', async () => {
    const s = await summary()
    const outbox = all<{ state: string }>('SELECT state FROM outbox')
    expect(s.sync).toEqual({
      waitingToSend: outbox.filter((o) => o.state === 'pending').length,
      blocked: outbox.filter((o) => o.state === 'conflict' || o.state === 'rejected').length,
      lastPullAt: '2026-11-02T12:00:00.000Z',
    })
    expect(s.sync.waitingToSend).toBeGreaterThanOrEqual(3)
  })

  it('narrows every figure to one school', async () => {
    const whole = await summary({ days: 31 })
    const parts = await Promise.all(schools.map((sc) => summary({ days: 31, schoolId: sc.id })))
    for (const [i, part] of parts.entries()) {
      for (const list of [part.deadlines, part.deliveries, part.outings]) for (const row of list) expect(row.schoolName).toBe(schools[i]!.name)
    }
    expect(parts.reduce((n, p) => n + p.deadlines.length, 0)).toBe(whole.deadlines.length)
    expect(parts.reduce((n, p) => n + p.deliveries.reduce((c, d) => c + d.portions, 0), 0)).toBe(whole.deliveries.reduce((c, d) => c + d.portions, 0))
    expect(parts.reduce((n, p) => n + p.refunds.pendingCents + p.refunds.failedCents, 0)).toBe(whole.refunds.pendingCents + whole.refunds.failedCents)
    expect(parts.reduce((n, p) => n + p.sync.waitingToSend + p.sync.blocked, 0)).toBe(whole.sync.waitingToSend + whole.sync.blocked)
    expect(parts.map((p) => p.sync.lastPullAt).sort()).toEqual(['2026-11-01T12:00:00.000Z', '2026-11-02T12:00:00.000Z'])
  })
})
