import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoBoard } from '../../src/core/demo/seed'
import { LedgerModel } from '../support/ledger-model'
import { pdfPages } from '../support/pdf-text'
import { FAST_SCRYPT, ok, testCore } from './fixtures'

let t: Awaited<ReturnType<typeof testCore>>
let secretary: string
let principal: string
const one = <T>(sql: string, ...args: unknown[]) => t.core.connection.raw.prepare(sql).get(...args) as T
const all = <T>(sql: string, ...args: unknown[]) => t.core.connection.raw.prepare(sql).all(...args) as T[]

beforeAll(async () => {
  t = await testCore()
  seedDemoBoard(t.core.connection.raw, { anchor: new Date('2026-11-20T15:00:00Z'), passwordParams: FAST_SCRYPT })
  secretary = (await ok(t.core, 'auth.signIn', { username: 'secretaire', password: 'guichet' })).token
  principal = (await ok(t.core, 'auth.signIn', { username: 'direction', password: 'guichet' })).token
})
afterAll(() => t.cleanup())

describe('orders.list', () => {
  it('totals the whole filter to the cent, as the ledger has it', async () => {
    const list = await ok(t.core, 'orders.list', {}, secretary)
    // Collected and given back over all time, voided payments left out (they took nothing).
    const ledger = new LedgerModel(t.core.connection.raw).money('0000', '9999')
    expect(list.total).toBe(one<{ n: number }>('SELECT count(*) AS n FROM orders').n)
    expect(list.totals).toEqual({ totalCents: ledger.paidCents, refundedCents: ledger.refundedCents, netCents: ledger.paidCents - ledger.refundedCents })
    expect(list.rows).toHaveLength(50)
    expect(list.rows.map((r) => r.createdAt)).toEqual([...list.rows.map((r) => r.createdAt)].sort().reverse())
  })

  it('filters by item, channel and status, and finds a family by a child’s name', async () => {
    const pizza = one<{ id: string }>(`SELECT id FROM offerings WHERE title_fr LIKE 'Pizza%' LIMIT 1`)
    const byItem = await ok(t.core, 'orders.list', { offeringId: pizza.id, limit: 200 }, secretary)
    expect(byItem.total).toBe(one<{ n: number }>(`SELECT count(DISTINCT order_id) AS n FROM order_lines WHERE offering_id = ?`, pizza.id).n)
    const kiosk = await ok(t.core, 'orders.list', { channel: 'kiosk', limit: 200 }, secretary)
    expect(kiosk.rows.every((r) => r.channel === 'kiosk')).toBe(true)
    const refunded = await ok(t.core, 'orders.list', { status: 'refunded', limit: 200 }, secretary)
    expect(refunded.total).toBeGreaterThan(0)
    expect(refunded.rows.every((r) => r.refundedCents >= r.totalCents)).toBe(true)

    const child = one<{ first_name: string; last_name: string; id: string }>(
      `SELECT s.first_name, s.last_name, s.id FROM order_lines l JOIN students s ON s.id = l.student_id ORDER BY l.id LIMIT 1`,
    )
    const found = await ok(t.core, 'orders.list', { query: `${child.first_name} ${child.last_name}`, limit: 200 }, secretary)
    expect(found.total).toBeGreaterThan(0)
    expect(found.rows.every((r) => r.students.includes(`${child.first_name} ${child.last_name}`) || r.guardianName.length > 0)).toBe(true)
  })
})

describe('receipts.pdf', () => {
  it('reprints a payment’s receipt with its refunds', async () => {
    const refund = one<{ payment_id: string; reason: string; receipt_number: number }>(
      `SELECT r.payment_id, r.reason, p.receipt_number FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.status = 'succeeded' LIMIT 1`,
    )
    const { fileName, base64 } = await ok(t.core, 'receipts.pdf', { paymentId: refund.payment_id }, secretary)
    expect(fileName).toMatch(new RegExp(`^recu-[A-Z]+-${refund.receipt_number}\\.pdf$`))
    const [page] = await pdfPages(Buffer.from(base64, 'base64'))
    expect(page).toContain(`Reçu no ${refund.receipt_number}`)
    expect(page).toContain(refund.reason)
  })
})

describe('families.history', () => {
  it('lists a family’s payments, refunds, waivers and consents, newest first, waiver reasons for the principal only', async () => {
    const waived = one<{ student_id: string; reason: string }>(`SELECT student_id, reason FROM waivers LIMIT 1`)
    const forSecretary = await ok(t.core, 'families.history', { studentId: waived.student_id }, secretary)
    const forPrincipal = await ok(t.core, 'families.history', { studentId: waived.student_id }, principal)
    const reasons = (events: typeof forSecretary.events) => events.filter((e) => e.kind === 'waiver').map((e) => e.reason)
    expect(reasons(forSecretary.events).every((r) => r === null)).toBe(true)
    expect(reasons(forPrincipal.events)).toContain(waived.reason)
    const ats = forSecretary.events.map((e) => e.at)
    expect(ats).toEqual([...ats].sort().reverse())
    const guardians = all<{ guardian_id: string }>(`SELECT guardian_id FROM student_guardians WHERE student_id = ?`, waived.student_id).map((g) => g.guardian_id)
    const payments = all<{ n: number }>(
      `SELECT count(*) AS n FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.guardian_id IN (${guardians.map(() => '?').join(',')})`,
      ...guardians,
    )[0]!.n
    expect(forSecretary.events.filter((e) => e.kind === 'payment')).toHaveLength(payments)
  })
})
