import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count } from '../fixtures'
import { APPROVED, consentInput, DECLINED, kioskWorld, type KioskWorld } from './helpers'

let w: KioskWorld
beforeEach(async () => {
  w = await kioskWorld()
})
afterEach(() => w.cleanup())

const card = (number: string) => ({ kind: 'test_card' as const, number })

describe('paying at the kiosk', () => {
  it('pays each school separately: the outing at one, pizza dates at the other, a declined card then another', async () => {
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.answer', consentInput(w), kiosk)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.outing }, kiosk)
    await w.ok('kiosk.cartAdd', { studentId: w.leo, offeringId: w.pizza, programDateId: w.dates[1]!, variantId: w.cheese }, kiosk)
    const cart = await w.ok('kiosk.cartAdd', { studentId: w.leo, offeringId: w.pizza, programDateId: w.dates[2]!, variantId: w.cheese }, kiosk)
    expect(cart.schools.map((s) => [s.schoolId, s.totalCents, s.payable])).toEqual([
      [w.schoolA, 1800, true],
      [w.schoolB, 600, true],
    ])

    // School A: declined, kindly; nothing recorded but the attempt.
    const declined = await w.settle(kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-a-1', card: card(DECLINED) }, kiosk)).chargeId)
    expect(declined).toMatchObject({ status: 'declined', paymentId: null, receiptNumber: null })
    expect(declined.message).toMatch(/Aucun montant n’a été prélevé/)
    expect(count(w.raw, 'payments')).toBe(0)
    // Another card: the same order is paid, not a second one.
    const a = await w.settle(kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'request-a-2', card: card(APPROVED) }, kiosk)).chargeId)
    expect(a).toMatchObject({ status: 'approved', receiptNumber: 1, amountCents: 1800, cardBrand: 'visa', last4: '4242' })
    const b = await w.settle(kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolB, requestId: 'request-b-1', card: card(APPROVED) }, kiosk)).chargeId)
    expect(b).toMatchObject({ status: 'approved', receiptNumber: 1, amountCents: 600 })

    expect(w.all(`SELECT school_id, channel, created_by IS NOT NULL AS by_staff FROM orders ORDER BY created_at`)).toEqual([
      { school_id: w.schoolA, channel: 'kiosk', by_staff: 1 },
      { school_id: w.schoolB, channel: 'kiosk', by_staff: 1 },
    ])
    expect(w.all(`SELECT school_id, receipt_number, amount_cents, channel, processor FROM payments ORDER BY school_id`)).toEqual(
      expect.arrayContaining([
        { school_id: w.schoolA, receipt_number: 1, amount_cents: 1800, channel: 'kiosk', processor: 'demo' },
        { school_id: w.schoolB, receipt_number: 1, amount_cents: 600, channel: 'kiosk', processor: 'demo' },
      ]),
    )
    expect(count(w.raw, 'kiosk_charges')).toBe(3)
    expect((await w.ok('kiosk.cart', {}, kiosk)).schools).toEqual([])
    // The board hears of both sales and of the consent, in the same transactions.
    expect(w.all(`SELECT type FROM outbox ORDER BY seq`).map((r) => (r as { type: string }).type)).toEqual(['consent.record', 'order.record', 'order.record'])
    // The outing holds a seat for Zoé now.
    const family = await w.ok('kiosk.family', {}, kiosk)
    const museum = family.children.find((c) => c.id === w.zoe)!.items.find((i) => i.offeringId === w.outing)!
    expect(museum).toMatchObject({ settled: true, outing: { state: 'confirmed' } })

    // The receipt, through the office's receipt PDF, for this session's payments.
    const pdf = await w.ok('kiosk.receipt', { paymentId: a.paymentId! }, kiosk)
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    // An office receipt (numbered by this PC's kiosk, migration 0011) carries its series prefix.
    expect(pdf.fileName).toMatch(/-K-000001\.pdf$/)
    expect((await w.ok('kiosk.emailReceipt', { paymentId: b.paymentId! }, kiosk)).email).toBe('a•••@example.org')
  })

  it('charges once for a replayed request, whether the first is still under way or done', async () => {
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.fee }, kiosk)
    let release!: () => void
    w.processor.gate = new Promise((r) => (release = r))
    const first = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'req-fee-1', card: card(APPROVED) }, kiosk)
    // Sent again while the card is being charged: the same charge, nothing new.
    const again = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'req-fee-1', card: card(APPROVED) }, kiosk)
    expect(again.chargeId).toBe(first.chargeId)
    expect(again.status).toBe('processing')
    // Another press of Pay while one is out: refused, not a second charge.
    expect((await w.refused('kiosk.pay', { schoolId: w.schoolA, requestId: 'req-fee-2', card: card(APPROVED) }, kiosk)).code).toBe('KIOSK_PAYMENT_BUSY')
    release()
    w.processor.gate = null
    const paid = await w.settle(kiosk, first.chargeId)
    expect(paid.status).toBe('approved')
    const replay = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'req-fee-1', card: card(APPROVED) }, kiosk)
    expect(replay).toMatchObject({ chargeId: first.chargeId, status: 'approved', receiptNumber: paid.receiptNumber })
    expect(w.processor.calls.length).toBe(1)
    expect(count(w.raw, 'payments')).toBe(1)
    expect(count(w.raw, 'orders')).toBe(1)
  })

  it('asks again with the same key when the answer was lost, and the processor does not charge twice', async () => {
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.fee }, kiosk)
    w.processor.loseNextAnswer = true
    const started = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'req-lost', card: card(APPROVED) }, kiosk)
    const paid = await w.settle(kiosk, started.chargeId)
    expect(paid.status).toBe('approved')
    expect(w.processor.calls.length).toBe(2)
    expect(new Set(w.processor.calls.map((c) => c.idempotencyKey)).size).toBe(1)
    expect(w.processor.takenPayments()).toBe(1)
    expect(count(w.raw, 'payments')).toBe(1)
  })

  it('finishes a payment cut off by a restart from the office, with the same key', async () => {
    const kiosk = await w.startKiosk(w.annie)
    await w.ok('kiosk.cartAdd', { studentId: w.zoe, offeringId: w.fee }, kiosk)
    w.processor.gate = new Promise(() => undefined) // the app stops before the answer comes back
    const started = await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: 'req-restart', card: card(APPROVED) }, kiosk)
    // The key was written and committed before the processor was asked.
    const key = w.one<{ idempotency_key: string }>('SELECT idempotency_key FROM kiosk_charges WHERE id = ?', started.chargeId).idempotency_key
    expect(w.processor.calls.map((c) => c.idempotencyKey)).toEqual([key])

    const staff = await w.restart()
    w.processor.gate = null
    expect((await w.refused('kiosk.family', {}, kiosk)).code).toBe('NOT_SIGNED_IN')
    // The office looks: the payment is asked again with its key, then recorded with its receipt.
    let pending = (await w.ok('kiosk.checkPending', {}, staff)).pending
    expect(pending).toEqual([expect.objectContaining({ chargeId: started.chargeId, guardianName: 'Annie Lalonde', status: 'processing' })])
    for (let i = 0; i < 100 && pending.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 5))
      pending = (await w.ok('kiosk.checkPending', {}, staff)).pending.filter((p) => p.status === 'processing')
    }
    expect(w.all('SELECT receipt_number, amount_cents FROM payments')).toEqual([{ receipt_number: 1, amount_cents: 2500 }])
    expect((await w.ok('kiosk.checkPending', {}, staff)).pending).toEqual([])
    expect(new Set(w.processor.calls.map((c) => c.idempotencyKey))).toEqual(new Set([key]))
    expect(w.processor.takenPayments()).toBe(1)
  })

  it('numbers receipts per school in sequence, without gap or duplicate, under concurrent checkouts', async () => {
    // Earlier online payments at school A are the board's series: the kiosk numbers its own
    // ('office', migration 0011) from 1, whatever the board is at.
    w.board.order(w.schoolA, w.marc, [{ student: w.emma, offering: w.fee, cents: 2500 }], true, 41)
    const families = [] as Array<{ kiosk: string; student: string; card: string }>
    for (let i = 0; i < 8; i++) {
      const student = w.board.student(w.schoolA, `Enfant${i}`, `Famille${i}`, '5')
      const guardian = w.board.guardian(`Parent${i}`, `Famille${i}`, [student])
      const kiosk = await w.startKiosk(guardian)
      await w.ok('kiosk.cartAdd', { studentId: student, offeringId: w.fee }, kiosk)
      families.push({ kiosk, student, card: i % 3 === 1 ? DECLINED : APPROVED })
    }
    const results = await Promise.all(
      families.map(async (f, i) => w.settle(f.kiosk, (await w.ok('kiosk.pay', { schoolId: w.schoolA, requestId: `req-concurrent-${i}`, card: card(f.card) }, f.kiosk)).chargeId)),
    )
    const approved = results.filter((r) => r.status === 'approved').map((r) => r.receiptNumber!)
    expect(results.filter((r) => r.status === 'declined')).toHaveLength(families.filter((f) => f.card === DECLINED).length)
    expect([...approved].sort((a, b) => a - b)).toEqual(Array.from({ length: approved.length }, (_, i) => 1 + i))
    const numbers = w.all<{ n: number }>(`SELECT receipt_number AS n FROM payments WHERE school_id = ? AND receipt_series = 'office' ORDER BY n`, w.schoolA).map((r) => r.n)
    expect(numbers).toEqual(Array.from({ length: approved.length }, (_, i) => 1 + i))
    expect(w.all(`SELECT receipt_number AS n FROM payments WHERE school_id = ? AND receipt_series = 'board'`, w.schoolA)).toEqual([{ n: 41 }])
  })
})
