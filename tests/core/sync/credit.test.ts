import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KioskPaymentView } from '../../../src/shared/contract/kiosk'
import { ok } from '../fixtures'
import { enrolRig, startRig, type SyncRig } from './helpers'

/**
 * A family's credit spent at the kiosk and given back by a refund, through the real sync client
 * and the reference server: the sale and the refunds reach the board once, with their tenders, and
 * come back in the feed without touching the rows the office wrote.
 */

let rig: SyncRig
beforeEach(async () => {
  rig = await startRig()
})
afterEach(async () => {
  await rig.close()
})

type Row = Record<string, unknown>
const raw = () => rig.core.connection.raw
const one = <T = Row>(sql: string, ...args: unknown[]) => raw().prepare(sql).get(...args) as T
const all = <T = Row>(sql: string, ...args: unknown[]) => raw().prepare(sql).all(...args) as T[]

/**
 * A guardian of the school with a paid line, a child the kiosk can sell something to, and a
 * credit at that school: a refund of part of that line failed and staff settled it as credit.
 */
async function familyWithCredit() {
  const candidates = all<{ guardianId: string; paymentId: string; lineId: string; cents: number }>(
    `SELECT o.guardian_id AS guardianId, p.id AS paymentId, l.id AS lineId, l.amount_cents AS cents
     FROM payments p JOIN orders o ON o.id = p.order_id JOIN order_lines l ON l.order_id = o.id
     WHERE p.school_id = ? AND l.amount_cents >= 200 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id)
     ORDER BY p.created_at, l.id`,
    rig.school,
  )
  for (const c of candidates) {
    const kiosk = (await ok(rig.core, 'kiosk.start', { guardianId: c.guardianId, pin: null, idleSeconds: 900 }, rig.secretary)).token
    const family = await ok(rig.core, 'kiosk.family', {}, kiosk)
    for (const child of family.children.filter((x) => x.schoolId === rig.school)) {
      const item = child.items.find((i) => (i.kind === 'product' || i.kind === 'fee') && !i.settled && i.stockLeft !== 0 && (i.variants.length ? i.variants[0]!.priceCents : i.priceCents) >= 200)
      if (!item) continue
      const price = item.variants.length ? item.variants[0]!.priceCents : item.priceCents
      // Half the sale's price, at most the line it comes from: the card pays the rest.
      const credit = Math.min(c.cents, Math.floor(price / 2))
      const now = new Date(rig.clock.ms).toISOString()
      raw()
        .prepare(`INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, requested_at, settled_at) VALUES (?, ?, ?, ?, 'Trop perçu', 'failed', ?, ?, ?)`)
        .run(`failed-${c.lineId}`, c.paymentId, c.lineId, credit, `k-failed-${c.lineId}`, now, now)
      await ok(rig.core, 'refunds.settleAsCredit', { refundId: `failed-${c.lineId}`, reason: 'Carte expirée' }, rig.secretary)
      return { kiosk, guardianId: c.guardianId, child, item, price, credit }
    }
    await ok(rig.core, 'kiosk.end', { pin: 'guichet' }, kiosk)
  }
  throw new Error('no family of the demo board to sell to')
}

async function settle(kiosk: string, started: KioskPaymentView): Promise<KioskPaymentView> {
  if (started.chargeId === null) return started
  for (let i = 0; i < 400; i++) {
    const view = await ok(rig.core, 'kiosk.payment', { chargeId: started.chargeId }, kiosk)
    if (view.status !== 'processing') return view
    await new Promise((r) => setTimeout(r, 5))
  }
  throw new Error('the payment never settled')
}

describe('a kiosk sale paid partly with the family’s credit, and its refund, through sync', () => {
  it('reaches the board once with both tenders, comes back unchanged, and its refund to credit says so', async () => {
    await enrolRig(rig)
    const f = await familyWithCredit()
    await ok(rig.core, 'kiosk.cartAdd', { studentId: f.child.id, offeringId: f.item.offeringId, variantId: f.item.variants[0]?.id ?? null }, f.kiosk)
    const started = await ok(rig.core, 'kiosk.pay', { schoolId: rig.school, requestId: `request-${randomUUID()}`, useCredit: true, card: { kind: 'test_card', number: '4242 4242 4242 4242' } }, f.kiosk)
    const paid = await settle(f.kiosk, started)
    expect(paid).toMatchObject({ status: 'approved', amountCents: f.price, creditCents: f.credit })
    const paymentId = paid.paymentId!
    const localPayment = one(`SELECT * FROM payments WHERE id = ?`, paymentId)
    expect(localPayment).toMatchObject({ processor: 'demo', amount_cents: f.price, credit_cents: f.credit, card_last4: '4242', receipt_series: 'office' })
    const orderId = localPayment.order_id as string
    const localOrder = { order: one(`SELECT * FROM orders WHERE id = ?`, orderId), lines: all(`SELECT * FROM order_lines WHERE order_id = ? ORDER BY id`, orderId) }

    // The board commits the sale and its answer is lost: the replay is a duplicate, nothing twice.
    const mutationsBefore = rig.central.store.mutationCount()
    const waiting = all<{ type: string }>(`SELECT type FROM outbox WHERE state = 'pending' AND school_id = ?`, rig.school)
    expect(waiting.map((w) => w.type)).toContain('order.record')
    rig.central.faults.inject('drop_response', { endpoint: 'mutations', times: 1 })
    const run = await rig.core.sync.kick()
    expect(run).toMatchObject({ ok: true, error: null })
    expect(rig.central.store.mutationCount() - mutationsBefore).toBe(waiting.length)
    const sent = one<{ state: string; data: string }>(`SELECT state, data FROM outbox WHERE type = 'order.record' AND entity_id = ?`, orderId)
    expect(sent.state).toBe('duplicate')
    expect(JSON.parse(sent.data)).toMatchObject({ payment: { id: paymentId, creditCents: f.credit, amountCents: f.price } })

    expect(rig.central.store.record('payment', paymentId)).toMatchObject({ orderId, processor: 'demo', cardBrand: 'visa', last4: '4242', amountCents: f.price, creditCents: f.credit, channel: 'kiosk' })
    expect(rig.central.store.db.prepare('SELECT count(*) FROM payments WHERE id = ?').pluck().get(paymentId)).toBe(1)
    expect(rig.central.store.db.prepare('SELECT count(*) FROM lines WHERE order_id = ?').pluck().get(orderId)).toBe(localOrder.lines.length)
    const feed = rig.central.store.feed(rig.school).filter((c) => c.id === paymentId || c.id === orderId)
    expect(feed.map((c) => c.entity)).toEqual(['order', 'payment'])

    // The same run pulled the sale back: the office's rows are as the kiosk wrote them.
    expect(one(`SELECT last_seq FROM sync_state WHERE school_id = ?`, rig.school)).toEqual({ last_seq: rig.central.store.headSeq(rig.school) })
    expect(one(`SELECT * FROM payments WHERE id = ?`, paymentId)).toEqual(localPayment)
    expect({ order: one(`SELECT * FROM orders WHERE id = ?`, orderId), lines: all(`SELECT * FROM order_lines WHERE order_id = ? ORDER BY id`, orderId) }).toEqual(localOrder)
    // And once more from the start of the feed: still nothing changes.
    raw().prepare('UPDATE sync_state SET last_seq = 0 WHERE school_id = ?').run(rig.school)
    await rig.core.sync.kick()
    expect(one(`SELECT * FROM payments WHERE id = ?`, paymentId)).toEqual(localPayment)
    expect(one<{ n: number }>(`SELECT count(*) AS n FROM payments WHERE order_id = ?`, orderId).n).toBe(1)

    // Refunded whole: the card's part through the processor, the credit's part back to the credit.
    await ok(rig.core, 'refunds.refundOrder', { orderId, reason: 'Erreur de commande' }, rig.principal)
    await rig.core.refunds.drain()
    const localRefunds = all(`SELECT * FROM refunds WHERE payment_id = ? ORDER BY tender`, paymentId)
    expect(localRefunds.map((r) => [r.tender, r.amount_cents, r.status])).toEqual([
      ['card', f.price - f.credit, 'succeeded'],
      ['credit', f.credit, 'succeeded'],
    ])
    const told = all<{ data: string }>(`SELECT data FROM outbox WHERE type = 'refund.record' AND state = 'pending'`).map((r) => JSON.parse(r.data) as { tender: string; amountCents: number })
    expect(told.map((t) => [t.tender, t.amountCents]).sort()).toEqual([
      ['card', f.price - f.credit],
      ['credit', f.credit],
    ])
    expect((await rig.core.sync.kick()).error).toBeNull()
    expect(all<{ state: string }>(`SELECT state FROM outbox WHERE type = 'refund.record'`).map((r) => r.state)).toEqual(['applied', 'applied'])
    const board = rig.central.store.records('refund', rig.school).filter((r) => r.paymentId === paymentId)
    expect(board.map((r) => [r.tender, r.amountCents, r.status]).sort()).toEqual([
      ['card', f.price - f.credit, 'succeeded'],
      ['credit', f.credit, 'succeeded'],
    ])
    // Pulled back, the refunds are the office's rows, tender and all.
    expect(all(`SELECT * FROM refunds WHERE payment_id = ? ORDER BY tender`, paymentId)).toEqual(localRefunds)
  })
})

describe('what the board sends about credit tenders', () => {
  it('stores a payment wholly by credit with no card, and keeps a refund of it to credit whatever tender the record names', async () => {
    await enrolRig(rig)
    const s = rig.central.store
    const student = s.records('student', rig.school).find((x) => x.status === 'active' && x.guardians.length > 0)!
    const offering = s.records('offering', rig.school).find((o) => o.status === 'published' && o.kind === 'product')!
    const orderId = randomUUID()
    const paymentId = randomUUID()
    const createdAt = new Date(rig.clock.ms).toISOString()
    s.put('order', { id: orderId, schoolId: rig.school, guardianId: student.guardians[0]!.guardianId, channel: 'online', createdAt, lines: [{ id: randomUUID(), studentId: student.id, offeringId: offering.id, variantId: null, programDateId: null, quantity: 1, unitPriceCents: 900, amountCents: 900 }] })
    s.put('payment', { id: paymentId, schoolId: rig.school, orderId, processor: 'credit', processorRef: `credit-${paymentId}`, cardBrand: null, last4: null, amountCents: 900, creditCents: 900, channel: 'online', receiptNumber: s.nextReceiptNumber(rig.school), createdAt })
    // An older board's refund names no tender (read as card): a payment wholly by credit cannot take it.
    const refundId = randomUUID()
    const { tender: _t, ...untendered } = { id: refundId, schoolId: rig.school, paymentId, orderLineId: null, amountCents: 400, reason: 'Annulé', status: 'succeeded' as const, reversed: false, processorRef: `credit-${refundId}`, failureCode: null, requestedAt: createdAt, settledAt: createdAt, tender: 'card' as const }
    s.put('refund', untendered as typeof untendered & { tender: 'card' })

    const run = await rig.core.sync.kick()
    expect(run).toMatchObject({ ok: true, error: null })
    expect(one(`SELECT processor, card_brand, card_last4, amount_cents, credit_cents, receipt_series FROM payments WHERE id = ?`, paymentId)).toEqual({
      processor: 'credit',
      card_brand: null,
      card_last4: null,
      amount_cents: 900,
      credit_cents: 900,
      receipt_series: 'board',
    })
    expect(one(`SELECT tender, amount_cents, status FROM refunds WHERE id = ?`, refundId)).toEqual({ tender: 'credit', amount_cents: 400, status: 'succeeded' })
    expect(one(`SELECT last_seq FROM sync_state WHERE school_id = ?`, rig.school)).toEqual({ last_seq: s.headSeq(rig.school) })
  })
})
