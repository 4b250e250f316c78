import { describe, expect, it } from 'vitest'
import {
  checkRefund,
  checkWaiver,
  needsPrincipal,
  nextReceiptNumber,
  sumCents,
  waiverBudget,
} from '../../../src/core/domain/money'

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
