import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkRefund, checkWaiver, waiverBudget } from '../../../src/core/domain/money'

const cents = (max = 1_000_000) => fc.integer({ min: 0, max })

describe('refund properties', () => {
  it('never refunds a voided payment', () => {
    fc.assert(
      fc.property(fc.integer(), cents(), (amountCents, remainingCents) => {
        expect(checkRefund({ amountCents, remainingCents, paymentVoided: true })).toEqual({ ok: false, code: 'refund.paymentVoided' })
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
