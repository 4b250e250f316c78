import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count } from '../fixtures'
import { APPROVED, DECLINED, kioskWorld, type KioskWorld } from './helpers'

let w: KioskWorld
beforeEach(async () => {
  w = await kioskWorld()
  // Refunds of any size by the secretary: the threshold is not what these tests are about.
  w.raw.prepare('UPDATE schools SET refund_approval_threshold_cents = 1000000').run()
})
afterEach(() => w.cleanup())

const card = (number: string) => ({ kind: 'test_card' as const, number })

/**
 * Annie's credit at school A: an online payment for Zoé's school photos, a refund of part of it
 * that failed (an expired card), settled as a credit of that amount, as staff do it.
 */
async function creditOf(cents: number): Promise<void> {
  const photos = w.board.offering(w.schoolA, 'product', 'Photos scolaires', [['school', w.schoolA]], { price: 3000 })
  const paid = w.board.order(w.schoolA, w.annie, [{ student: w.zoe, offering: photos, cents: 3000 }], true, 500)
  w.raw
    .prepare(`INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, requested_at, settled_at) VALUES ('failed-1', ?, ?, ?, 'Trop perçu', 'failed', 'k-failed-1', ?, ?)`)
    .run(paid.paymentId, paid.lineIds[0], cents, new Date(w.clock.ms).toISOString(), new Date(w.clock.ms).toISOString())
  await w.ok('refunds.settleAsCredit', { refundId: 'failed-1', reason: 'Carte expirée' }, w.staff)
}

const balance = () => w.one<{ n: number }>(`SELECT coalesce(sum(CASE kind WHEN 'granted' THEN amount_cents ELSE -amount_cents END), 0) AS n FROM family_credits WHERE guardian_id = ? AND school_id = ?`, w.annie, w.schoolA).n

describe('spending a family credit at the kiosk', () => {
  it('shows the credit with the school it belongs to, and pays the rest by card: one payment, one receipt, the card charged the rest', async () => {
    await creditOf(1000)
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.leo, offeringId: w.pizza, programDateId: w.dates[1]!, variantId: w.cheese }, kiosk)
    const cart = await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.fee }, kiosk)
    expect(cart.schools.map((s) => [s.schoolId, s.totalCents, s.creditCents]).sort()).toEqual([
      [w.schoolA, 2500, 1000],
      [w.schoolB, 300, 0],
    ])

    const started = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-credit-1', useCredit: true, card: card(APPROVED) }, kiosk)
    expect(started).toMatchObject({ status: 'processing', amountCents: 2500, creditCents: 1000 })
    const paid = await w.settle(kiosk, started.chargeId)
    expect(paid).toMatchObject({ status: 'approved', amountCents: 2500, creditCents: 1000, receiptSeries: 'office', cardBrand: 'visa' })
    // The processor was asked for the card's part only.
    expect(w.processor.calls.map((c) => c.amountCents)).toEqual([1500])
    expect(w.one(`SELECT processor, amount_cents, credit_cents, card_last4 FROM payments WHERE id = ?`, paid.paymentId)).toEqual({ processor: 'demo', amount_cents: 2500, credit_cents: 1000, card_last4: '4242' })
    expect(balance()).toBe(0)
    const order = w.one<{ order_id: string }>(`SELECT order_id FROM payments WHERE id = ?`, paid.paymentId).order_id
    expect(w.all(`SELECT kind, amount_cents, order_id FROM family_credits WHERE kind = 'used'`)).toEqual([{ kind: 'used', amount_cents: 1000, order_id: order }])
    // The board hears of the sale with both tenders.
    const sent = JSON.parse(w.one<{ data: string }>(`SELECT data FROM outbox WHERE type = 'order.record'`).data) as { payment: Record<string, unknown> }
    expect(sent.payment).toMatchObject({ processor: 'demo', amountCents: 2500, creditCents: 1000, cardBrand: 'visa', last4: '4242' })
    // School B had no credit: its card pays the whole, whatever the kiosk asked.
    const b = await w.settle(kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolB, requestId: 'request-credit-2', useCredit: true, card: card(APPROVED) }, kiosk)).chargeId)
    expect(b).toMatchObject({ status: 'approved', amountCents: 300, creditCents: 0 })
  })

  it('records a sale the credit pays whole at once, with no card and no processor; the same request again is the same sale', async () => {
    await creditOf(1000)
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.popcorn, variantId: w.butter, quantity: 2 }, kiosk)
    const paid = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-credit-only', useCredit: true, card: null }, kiosk)
    expect(paid).toMatchObject({ status: 'approved', chargeId: null, amountCents: 400, creditCents: 400, cardBrand: null, last4: null, receiptNumber: 1, receiptSeries: 'office' })
    expect(w.processor.calls).toEqual([])
    expect(count(w.raw, 'kiosk_charges')).toBe(0)
    expect(w.one(`SELECT processor, card_brand, card_last4, amount_cents, credit_cents FROM payments WHERE id = ?`, paid.paymentId)).toEqual({
      processor: 'credit',
      card_brand: null,
      card_last4: null,
      amount_cents: 400,
      credit_cents: 400,
    })
    expect(balance()).toBe(600)
    expect((await w.ok('kiosk.cart', {}, kiosk)).schools).toEqual([])
    // A double tap: the same sale, nothing spent twice.
    const again = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-credit-only', useCredit: true, card: null }, kiosk)
    expect(again).toMatchObject({ status: 'approved', paymentId: paid.paymentId, receiptNumber: 1 })
    expect(w.count(`SELECT count(*) AS n FROM payments WHERE processor = 'credit'`)).toBe(1)
    expect(balance()).toBe(600)
    // The receipt names no card.
    const pdf = await w.ok('kiosk.receipt', { paymentId: paid.paymentId! }, kiosk)
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
  })

  it('asks for a card when the credit does not cover the whole, and changes nothing', async () => {
    await creditOf(1000)
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.fee }, kiosk)
    const before = { orders: count(w.raw, 'orders'), credits: count(w.raw, 'family_credits'), audit: count(w.raw, 'audit_log') }
    const refused = await w.refused('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-no-card', useCredit: true, card: null }, kiosk)
    expect(refused.code).toBe('INVALID_INPUT')
    expect(refused.issues).toEqual([expect.objectContaining({ path: 'card', message: 'Le crédit ne couvre pas tout : il faut une carte pour le reste.' })])
    // Without the credit, there is nothing to pay with at all.
    expect((await w.refused('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-no-card-2', card: null }, kiosk)).code).toBe('INVALID_INPUT')
    expect({ orders: count(w.raw, 'orders'), credits: count(w.raw, 'family_credits'), audit: count(w.raw, 'audit_log') }).toEqual(before)
  })

  it('keeps the credit when the guardian does not use it, and when the card is declined', async () => {
    await creditOf(1000)
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.fee }, kiosk)
    const declined = await w.settle(kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-declined', useCredit: true, card: card(DECLINED) }, kiosk)).chargeId)
    expect(declined).toMatchObject({ status: 'declined', paymentId: null })
    expect(balance()).toBe(1000)
    const paid = await w.settle(kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-no-credit', useCredit: false, card: card(APPROVED) }, kiosk)).chargeId)
    expect(paid).toMatchObject({ status: 'approved', amountCents: 2500, creditCents: 0 })
    expect(w.processor.calls.map((c) => c.amountCents)).toEqual([1500, 2500])
    expect(balance()).toBe(1000)
    // One order for both attempts.
    expect(w.count(`SELECT count(*) AS n FROM orders WHERE channel = 'kiosk'`)).toBe(1)
  })
})

describe('the orders grid and the family history', () => {
  it('count a failed refund settled as credit as given back, a refund to credit as such, and a voided payment as unpaid', async () => {
    await creditOf(1000)
    const photos = (await w.ok('orders.list', { query: 'Lalonde' }, w.staff)).rows
    expect(photos.map((r) => [r.totalCents, r.refundedCents, r.status])).toEqual([[3000, 1000, 'partially_refunded']])

    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.popcorn, variantId: w.butter }, kiosk)
    const paid = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-history', useCredit: true, card: null }, kiosk)
    const order = w.one<{ order_id: string }>(`SELECT order_id FROM payments WHERE id = ?`, paid.paymentId).order_id
    await w.ok('refunds.refundOrder', { orderId: order, reason: 'Rupture de stock' }, w.staff)
    await w.core.refunds.drain()
    const history = await w.ok('families.history', { studentId: w.zoe }, w.staff)
    expect(history.events.filter((e) => e.kind === 'refund').map((e) => [e.amountCents, e.detail]).sort()).toEqual([
      [1000, 'failed'],
      [200, 'toCredit'],
    ])
    const rows = (await w.ok('orders.list', { query: 'Lalonde' }, w.staff)).rows
    expect(rows.find((r) => r.orderId === order)).toMatchObject({ processor: 'credit', creditCents: 200, refundedCents: 200, status: 'refunded' })

    // A voided payment took nothing: its order is unpaid and out of the totals.
    const before = await w.ok('orders.list', {}, w.staff)
    const photoPayment = w.one<{ id: string }>(`SELECT id FROM payments WHERE amount_cents = 3000`).id
    w.raw.prepare(`INSERT INTO payment_voids (payment_id, source, reason, voided_at) VALUES (?, 'office', 'Doublon', ?)`).run(photoPayment, new Date(w.clock.ms).toISOString())
    const after = await w.ok('orders.list', {}, w.staff)
    expect(after.rows.find((r) => r.paymentId === photoPayment)).toMatchObject({ status: 'unpaid' })
    expect(after.totals.totalCents).toBe(before.totals.totalCents - 3000)
    expect(after.totals.refundedCents).toBe(before.totals.refundedCents - 1000)
  })
})

describe('a line given back as credit', () => {
  it('no longer holds its seat or counts as paid, and may be bought again', async () => {
    const paid = w.board.order(w.schoolA, w.annie, [{ student: w.zoe, offering: w.outing, cents: 1800 }], true, 600)
    w.board.consent(w.outing, w.zoe, w.annie, 'granted', new Date(w.clock.ms - 60_000).toISOString())
    const state = async () => (await w.ok('outings.get', { id: w.outing }, w.staff)).students.find((s) => s.studentId === w.zoe)!.payment
    expect(await state()).toBe('paid')
    w.raw
      .prepare(`INSERT INTO refunds (id, payment_id, order_line_id, amount_cents, reason, status, idempotency_key, requested_at, settled_at) VALUES ('failed-outing', ?, ?, 1800, 'Retrait', 'failed', 'k-fo', ?, ?)`)
      .run(paid.paymentId, paid.lineIds[0], new Date(w.clock.ms).toISOString(), new Date(w.clock.ms).toISOString())
    // A failed refund alone gave nothing back: still paid.
    expect(await state()).toBe('paid')
    await w.ok('refunds.settleAsCredit', { refundId: 'failed-outing', reason: 'Carte expirée' }, w.staff)
    expect(await state()).toBe('unpaid')
    // At the kiosk, the outing is Zoé's to buy again, and the credit pays it.
    const kiosk = await w.startKiosk(w.annie)
    const cart = await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.outing }, kiosk)
    expect(cart.schools.find((s) => s.schoolId === w.schoolA)).toMatchObject({ totalCents: 1800, creditCents: 1800, payable: true })
    await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-outing-again', useCredit: true, card: null }, kiosk)
    expect(await state()).toBe('paid')
  })
})

describe('the money report', () => {
  it('counts a credit given for a failed refund as given back, and what the credit paid as paid: the net is the money kept', async () => {
    await creditOf(1000)
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.fee }, kiosk)
    await w.settle(kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-money', useCredit: true, card: card(APPROVED) }, kiosk)).chargeId)
    const report = await w.ok('reports.money', { schoolId: w.schoolA, from: '2026-08-01', to: '2027-07-31' }, w.staff)
    // Photos 30 $ by card, 10 $ of it given back as credit; the fee 25 $: 15 $ by card, 10 $ by that credit.
    expect(report.totals).toEqual({ paidCents: 5500, refundedCents: 1000, waivedCents: 0, netCents: 4500 })
    expect(report.totals.netCents).toBe(3000 + 1500)
  })
})

describe('refunding what a credit paid', () => {
  it('sends the card its part first and the rest back to the credit, at once, never twice', async () => {
    await creditOf(1000)
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.fee }, kiosk)
    const paid = await w.settle(kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-split', useCredit: true, card: card(APPROVED) }, kiosk)).chargeId)
    const line = w.one<{ id: string }>(`SELECT l.id FROM order_lines l JOIN payments p ON p.order_id = l.order_id WHERE p.id = ?`, paid.paymentId).id

    // 2000 of the 2500: the card's 1500, then 500 of the credit's 1000.
    await w.ok('refunds.refundLines', { lines: [{ orderLineId: line, amountCents: 2000 }], reason: 'Cotisation réduite' }, w.staff)
    expect(w.all(`SELECT tender, amount_cents, status FROM refunds WHERE payment_id = ? ORDER BY tender`, paid.paymentId)).toEqual([
      { tender: 'card', amount_cents: 1500, status: 'pending' },
      { tender: 'credit', amount_cents: 500, status: 'pending' },
    ])
    await w.core.refunds.drain()
    expect(w.all(`SELECT tender, amount_cents, status FROM refunds WHERE payment_id = ? ORDER BY tender`, paid.paymentId)).toEqual([
      { tender: 'card', amount_cents: 1500, status: 'succeeded' },
      { tender: 'credit', amount_cents: 500, status: 'succeeded' },
    ])
    expect(balance()).toBe(500)
    // The processor was asked for the card's part only.
    const refundsAtProcessor = Object.entries(w.processor.store.dump()).filter(([k]) => k.startsWith('refund:'))
    expect(refundsAtProcessor.map(([, v]) => (JSON.parse(v) as { amountCents: number }).amountCents)).toEqual([1500])
    // What is left is the credit's 500; more is refused and changes nothing.
    const left = await w.ok('refunds.refundable', { orderId: w.one<{ order_id: string }>(`SELECT order_id FROM payments WHERE id = ?`, paid.paymentId).order_id }, w.staff)
    expect(left.lines.map((l) => l.refundableCents)).toEqual([500])
    const refusals = count(w.raw, 'refunds')
    expect((await w.refused('refunds.refundLines', { lines: [{ orderLineId: line, amountCents: 600 }], reason: 'Trop' }, w.staff)).code).toBe('REFUND_REFUSED')
    expect(count(w.raw, 'refunds')).toBe(refusals)
    await w.ok('refunds.refundLines', { lines: [{ orderLineId: line }], reason: 'Le reste' }, w.staff)
    await w.core.refunds.drain()
    await w.core.refunds.drain()
    expect(balance()).toBe(1000)
    expect(w.one(`SELECT refundable_cents FROM line_refundable WHERE order_line_id = ?`, line)).toEqual({ refundable_cents: 0 })
    // Each refund told the board once, with its tender; the credit ones never reach a follow-up.
    const told = w.all<{ data: string }>(`SELECT data FROM outbox WHERE type = 'refund.record'`).map((r) => JSON.parse(r.data) as { tender: string; amountCents: number; status: string })
    expect(told.map((t) => [t.tender, t.amountCents, t.status]).sort()).toEqual([
      ['card', 1500, 'succeeded'],
      ['credit', 500, 'succeeded'],
      ['credit', 500, 'succeeded'],
    ])
    expect(await w.core.refunds.followUp()).toBe(0)
  })

  it('refunds a sale the credit paid whole back to the credit only, with no processor', async () => {
    await creditOf(1000)
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.popcorn, variantId: w.caramel, quantity: 2 }, kiosk)
    const paid = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-credit-refund', useCredit: true, card: null }, kiosk)
    expect(balance()).toBe(500)
    const order = w.one<{ order_id: string }>(`SELECT order_id FROM payments WHERE id = ?`, paid.paymentId).order_id
    await w.ok('refunds.refundOrder', { orderId: order, reason: 'Rupture de stock' }, w.staff)
    await w.core.refunds.drain()
    expect(w.all(`SELECT tender, amount_cents, status, processor_ref FROM refunds WHERE payment_id = ?`, paid.paymentId)).toEqual([
      { tender: 'credit', amount_cents: 500, status: 'succeeded', processor_ref: expect.stringMatching(/^credit-/) },
    ])
    expect(Object.keys(w.processor.store.dump()).filter((k) => k.startsWith('refund:'))).toEqual([])
    expect(balance()).toBe(1000)
    // The family's history shows the credit granted back, naming the refund.
    const credits = await w.ok('credits.ofFamily', { studentId: w.zoe }, w.staff)
    expect(credits.balances).toEqual([expect.objectContaining({ schoolId: w.schoolA, guardianId: w.annie, balanceCents: 1000 })])
    expect(credits.entries.filter((e) => e.kind === 'granted').map((e) => e.amountCents).sort((a, b) => a - b)).toEqual([500, 1000])
  })
})
