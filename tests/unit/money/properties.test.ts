import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  allocate,
  checkRefund,
  checkWaiver,
  refundable,
  refundableOnLine,
  refundedCents,
  waiverBudget,
  type RefundFact,
} from '../../../src/core/domain/money'

const cents = (max = 1_000_000) => fc.integer({ min: 0, max })

describe('refund properties', () => {
  it('never lets refunds go above what was paid, whatever the requests and their outcomes', () => {
    fc.assert(
      fc.property(
        cents(100_000),
        fc.array(
          fc.record({
            amountCents: fc.oneof(fc.integer({ min: -500, max: 120_000 }), fc.double({ min: -10, max: 1000, noNaN: true })),
            outcome: fc.constantFrom<RefundFact['status']>('pending', 'succeeded', 'failed'),
            /** A pending refund that settles later, or not. */
            settlesTo: fc.option(fc.constantFrom<'succeeded' | 'failed'>('succeeded', 'failed'), { nil: undefined }),
          }),
          { maxLength: 40 },
        ),
        (paid, requests) => {
          const refunds: RefundFact[] = []
          for (const request of requests) {
            const check = checkRefund({ amountCents: request.amountCents, remainingCents: refundable(paid, refunds), paymentVoided: false })
            if (check.ok) refunds.push({ amountCents: request.amountCents, status: request.outcome })
            // Meanwhile an earlier pending refund may settle.
            const pending = refunds.find((r) => r.status === 'pending')
            if (pending && request.settlesTo) pending.status = request.settlesTo
            expect(refundedCents(refunds)).toBeLessThanOrEqual(paid)
            expect(refundable(paid, refunds)).toBeGreaterThanOrEqual(0)
            expect(refundable(paid, refunds) + refundedCents(refunds)).toBe(paid)
          }
          // Every accepted refund is whole positive cents.
          expect(refunds.every((r) => Number.isSafeInteger(r.amountCents) && r.amountCents > 0)).toBe(true)
        },
      ),
    )
  })

  it('never refunds a voided payment', () => {
    fc.assert(
      fc.property(fc.integer(), cents(), (amountCents, remainingCents) => {
        expect(checkRefund({ amountCents, remainingCents, paymentVoided: true })).toEqual({ ok: false, code: 'refund.paymentVoided' })
      }),
    )
  })

  it('keeps line refunds within the line and the payment, whatever the order', () => {
    fc.assert(
      fc.property(
        fc.array(cents(20_000), { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ line: fc.nat(), amountCents: fc.integer({ min: 1, max: 25_000 }), failed: fc.boolean() }), { maxLength: 30 }),
        (lines, requests) => {
          const payment = lines.reduce((a, b) => a + b, 0)
          const byLine: RefundFact[][] = lines.map(() => [])
          for (const request of requests) {
            const i = request.line % lines.length
            const all = byLine.flat()
            const remainingCents = refundableOnLine({ lineAmountCents: lines[i]!, lineRefunds: byLine[i]!, paymentAmountCents: payment, paymentRefunds: all })
            if (checkRefund({ amountCents: request.amountCents, remainingCents, paymentVoided: false }).ok) {
              byLine[i]!.push({ amountCents: request.amountCents, status: request.failed ? 'failed' : 'succeeded' })
            }
          }
          byLine.forEach((refunds, i) => expect(refundedCents(refunds)).toBeLessThanOrEqual(lines[i]!))
          expect(refundedCents(byLine.flat())).toBeLessThanOrEqual(payment)
        },
      ),
    )
  })
})

describe('allocate properties', () => {
  const weights = fc.array(cents(10_000_000), { minLength: 1, maxLength: 30 }).filter((w) => w.some((x) => x > 0))

  it('sums exactly to the total, in whole non-negative cents', () => {
    fc.assert(
      fc.property(cents(100_000_000), weights, (total, ws) => {
        const parts = allocate(total, ws)
        expect(parts).toHaveLength(ws.length)
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total)
        for (const p of parts) expect(Number.isSafeInteger(p) && p >= 0).toBe(true)
      }),
    )
  })

  it('gives no line more than its weight when the total is not above the sum, and nothing to a free line', () => {
    fc.assert(
      fc.property(weights, fc.double({ min: 0, max: 1, noNaN: true }), (ws, fraction) => {
        const sum = ws.reduce((a, b) => a + b, 0)
        const total = Math.floor(sum * fraction)
        const parts = allocate(total, ws)
        parts.forEach((p, i) => {
          expect(p).toBeLessThanOrEqual(ws[i]!)
          if (ws[i] === 0) expect(p).toBe(0)
        })
        // Each part is within one cent of its exact share.
        parts.forEach((p, i) => expect(Math.abs(p - (total * ws[i]!) / sum)).toBeLessThan(1 + 1e-6))
      }),
    )
  })

  it('gives back the weights when the total is their sum', () => {
    fc.assert(
      fc.property(weights, (ws) => {
        expect(allocate(ws.reduce((a, b) => a + b, 0), ws)).toEqual(ws)
      }),
    )
  })
})

describe('waiver properties', () => {
  it('never waives above the price or the budget, whatever the requests', () => {
    fc.assert(
      fc.property(
        cents(200_000),
        fc.array(fc.record({ student: fc.nat({ max: 4 }), amountCents: fc.integer({ min: -100, max: 10_000 }) }), { maxLength: 40 }),
        cents(5_000),
        (budgetCents, requests, priceCents) => {
          const waivers: { student: number; amountCents: number }[] = []
          for (const request of requests) {
            const alreadyWaivedCents = waivers.filter((w) => w.student === request.student).reduce((a, w) => a + w.amountCents, 0)
            const check = checkWaiver({ amountCents: request.amountCents, priceCents, alreadyWaivedCents, remainingBudgetCents: waiverBudget({ budgetCents, waivers }) })
            if (check.ok) waivers.push(request)
          }
          expect(waiverBudget({ budgetCents, waivers })).toBeGreaterThanOrEqual(0)
          for (let s = 0; s <= 4; s++) {
            expect(waivers.filter((w) => w.student === s).reduce((a, w) => a + w.amountCents, 0)).toBeLessThanOrEqual(priceCents)
          }
        },
      ),
    )
  })
})
