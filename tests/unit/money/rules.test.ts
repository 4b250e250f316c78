import { describe, expect, it } from 'vitest'
import {
  allocate,
  checkRefund,
  checkWaiver,
  needsPrincipal,
  nextReceiptNumber,
  refundable,
  refundableOnLine,
  refundedCents,
  sumCents,
  waiverBudget,
  type RefundFact,
} from '../../../src/core/domain/money'

const r = (amountCents: number, status: RefundFact['status']): RefundFact => ({ amountCents, status })

describe('refundable', () => {
  it.each([
    ['no refund yet', 1500, [], 1500],
    ['a succeeded refund', 1500, [r(500, 'succeeded')], 1000],
    ['a pending refund counts', 1500, [r(500, 'pending')], 1000],
    ['a failed refund does not count', 1500, [r(500, 'failed')], 1500],
    ['a mix', 1500, [r(500, 'succeeded'), r(300, 'pending'), r(700, 'failed')], 700],
    ['fully refunded', 1500, [r(1000, 'succeeded'), r(500, 'succeeded')], 0],
    ['more refunded than paid (bad data) is 0, not negative', 1500, [r(2000, 'succeeded')], 0],
    ['a free line', 0, [], 0],
  ] as const)('%s', (_label, line, refunds, expected) => {
    expect(refundable(line, refunds)).toBe(expected)
  })

  it('sums what counts', () => {
    expect(refundedCents([r(100, 'succeeded'), r(200, 'pending'), r(400, 'failed')])).toBe(300)
  })

  it('refuses floats', () => {
    expect(() => refundable(10.5, [])).toThrow(RangeError)
    expect(() => refundable(100, [r(0.1, 'succeeded')])).toThrow(RangeError)
  })

  it('limits a line by what is left on the whole payment', () => {
    // Payment of 30 $ over three 10 $ lines; 25 $ refunded on the payment without naming a line.
    expect(
      refundableOnLine({
        lineAmountCents: 1000,
        lineRefunds: [],
        paymentAmountCents: 3000,
        paymentRefunds: [r(2500, 'succeeded')],
      }),
    ).toBe(500)
    expect(
      refundableOnLine({
        lineAmountCents: 1000,
        lineRefunds: [r(800, 'pending')],
        paymentAmountCents: 3000,
        paymentRefunds: [r(800, 'pending')],
      }),
    ).toBe(200)
  })
})

describe('checkRefund', () => {
  it.each([
    [{ amountCents: 500, remainingCents: 1500, paymentVoided: false }, { ok: true }],
    [{ amountCents: 1500, remainingCents: 1500, paymentVoided: false }, { ok: true }],
    [{ amountCents: 1501, remainingCents: 1500, paymentVoided: false }, { ok: false, code: 'refund.exceedsRemaining', values: { remainingCents: 1500 } }],
    [{ amountCents: 1, remainingCents: 0, paymentVoided: false }, { ok: false, code: 'refund.exceedsRemaining', values: { remainingCents: 0 } }],
    [{ amountCents: 0, remainingCents: 1500, paymentVoided: false }, { ok: false, code: 'refund.amountNotPositive' }],
    [{ amountCents: -100, remainingCents: 1500, paymentVoided: false }, { ok: false, code: 'refund.amountNotPositive' }],
    [{ amountCents: 10.5, remainingCents: 1500, paymentVoided: false }, { ok: false, code: 'refund.amountNotCents' }],
    [{ amountCents: Number.NaN, remainingCents: 1500, paymentVoided: false }, { ok: false, code: 'refund.amountNotCents' }],
    [{ amountCents: 500, remainingCents: 1500, paymentVoided: true }, { ok: false, code: 'refund.paymentVoided' }],
    [{ amountCents: 0, remainingCents: 0, paymentVoided: true }, { ok: false, code: 'refund.paymentVoided' }],
    [{ amountCents: 1, remainingCents: -50, paymentVoided: false }, { ok: false, code: 'refund.exceedsRemaining', values: { remainingCents: 0 } }],
  ])('%j → %j', (input, expected) => {
    expect(checkRefund(input)).toEqual(expected)
  })
})

describe('needsPrincipal', () => {
  it.each([
    [5000, 5000, false],
    [5001, 5000, true],
    [100, 5000, false],
    [1, 0, true],
  ])('%i ¢ with a threshold of %i ¢ → %s', (amount, threshold, expected) => {
    expect(needsPrincipal(amount, threshold)).toBe(expected)
  })

  it('refuses floats', () => {
    expect(() => needsPrincipal(50.01, 5000)).toThrow(RangeError)
  })
})

describe('allocate', () => {
  it.each([
    ['even', 1000, [500, 500], [500, 500]],
    ['a cent to the largest remainder', 100, [1, 1, 1], [34, 33, 33]],
    ['proportional', 1000, [200, 300, 500], [200, 300, 500]],
    ['partial, proportional', 500, [200, 300, 500], [100, 150, 250]],
    ['remainders', 1000, [333, 333, 334], [333, 333, 334]],
    ['odd cents', 1001, [1, 1], [501, 500]],
    ['a free line gets nothing', 900, [0, 450, 450], [0, 450, 450]],
    ['nothing to split', 0, [100, 200], [0, 0]],
    ['no lines weigh anything, nothing to split', 0, [0, 0], [0, 0]],
    ['one line', 1234, [9999], [1234]],
    ['no line', 0, [], []],
  ] as const)('%s', (_label, total, weights, expected) => {
    expect(allocate(total, weights)).toEqual(expected)
  })

  it('keeps big amounts exact (no float products)', () => {
    const parts = allocate(99_999_999, [99_999_999, 99_999_998, 1])
    expect(parts.reduce((a, b) => a + b, 0)).toBe(99_999_999)
    expect(parts.every((p) => Number.isSafeInteger(p))).toBe(true)
  })

  it('refuses what cannot be split', () => {
    expect(() => allocate(100, [0, 0])).toThrow(RangeError)
    expect(() => allocate(100, [])).toThrow(RangeError)
    expect(() => allocate(-1, [1])).toThrow(RangeError)
    expect(() => allocate(10.5, [1])).toThrow(RangeError)
    expect(() => allocate(10, [-1, 2])).toThrow(RangeError)
  })
})

describe('nextReceiptNumber', () => {
  it.each([
    [null, undefined, 1],
    [undefined, undefined, 1],
    [0, undefined, 1],
    [41, undefined, 42],
    [null, 1000, 1000],
    [41, 1000, 1000],
    [1500, 1000, 1501],
  ])('after %s (start at %s) → %i', (max, startAt, expected) => {
    expect(nextReceiptNumber(max, startAt)).toBe(expected)
  })

  it('refuses nonsense', () => {
    expect(() => nextReceiptNumber(-1)).toThrow(RangeError)
    expect(() => nextReceiptNumber(1.5)).toThrow(RangeError)
    expect(() => nextReceiptNumber(1, 0)).toThrow(RangeError)
  })
})

describe('waivers', () => {
  it('keeps the budget', () => {
    expect(waiverBudget({ budgetCents: 50_000, waivers: [] })).toBe(50_000)
    expect(waiverBudget({ budgetCents: 50_000, waivers: [{ amountCents: 2500 }, { amountCents: 1500 }] })).toBe(46_000)
    // the budget was lowered after the waivers: the overspending shows
    expect(waiverBudget({ budgetCents: 1000, waivers: [{ amountCents: 2500 }] })).toBe(-1500)
  })

  const base = { amountCents: 2500, priceCents: 2500, alreadyWaivedCents: 0, remainingBudgetCents: 10_000 }
  it.each([
    ['the whole price', base, { ok: true }],
    ['part of it', { ...base, amountCents: 1000 }, { ok: true }],
    ['the rest after a first waiver', { ...base, amountCents: 1500, alreadyWaivedCents: 1000 }, { ok: true }],
    ['zero', { ...base, amountCents: 0 }, { ok: false, code: 'waiver.amountNotPositive' }],
    ['negative', { ...base, amountCents: -5 }, { ok: false, code: 'waiver.amountNotPositive' }],
    ['a float', { ...base, amountCents: 12.5 }, { ok: false, code: 'waiver.amountNotCents' }],
    ['above the price', { ...base, amountCents: 2501 }, { ok: false, code: 'waiver.exceedsPrice', values: { maxCents: 2500 } }],
    ['above what is left of the price', { ...base, amountCents: 1600, alreadyWaivedCents: 1000 }, { ok: false, code: 'waiver.exceedsPrice', values: { maxCents: 1500 } }],
    ['already fully waived', { ...base, amountCents: 1, alreadyWaivedCents: 2500 }, { ok: false, code: 'waiver.exceedsPrice', values: { maxCents: 0 } }],
    ['above the budget', { ...base, remainingBudgetCents: 2000 }, { ok: false, code: 'waiver.exceedsBudget', values: { remainingBudgetCents: 2000 } }],
    ['an overspent budget', { ...base, remainingBudgetCents: -300 }, { ok: false, code: 'waiver.exceedsBudget', values: { remainingBudgetCents: 0 } }],
    ['the budget exactly', { ...base, remainingBudgetCents: 2500 }, { ok: true }],
  ])('%s', (_label, input, expected) => {
    expect(checkWaiver(input)).toEqual(expected)
  })
})

describe('sumCents', () => {
  it('adds whole cents and refuses floats', () => {
    expect(sumCents([1, 2, 3])).toBe(6)
    expect(sumCents([])).toBe(0)
    expect(() => sumCents([0.1, 0.2])).toThrow(RangeError)
  })
})
