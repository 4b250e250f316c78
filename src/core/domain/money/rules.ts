/**
 * The money rules: whether a refund may be asked for, the principal's threshold, receipt numbers,
 * waivers and the assistance budget. Integer cents, CAD; never a float. Pure: the services read
 * the facts from the database and ask these functions. What is left to refund on a line or a
 * payment is the ledger's, in SQL (view line_refundable, services/refunds/ledger.ts), one
 * definition property-tested against a model in tests/core/refundable-ledger.test.ts.
 *
 * Codes, not sentences: the catalogues hold the French and English.
 */

/** Every code these rules give. The comment says what `values` holds. */
export const MONEY_CODES = {
  'refund.paymentVoided': 'error', // the payment was voided: nothing to refund
  'refund.amountNotCents': 'error', // not a whole number of cents
  'refund.amountNotPositive': 'error', // zero or negative
  'refund.exceedsRemaining': 'error', // {remainingCents}: more than what is left to refund
  'waiver.amountNotCents': 'error', // not a whole number of cents
  'waiver.amountNotPositive': 'error', // zero or negative
  'waiver.exceedsPrice': 'error', // {maxCents}: more than the item's price for the student minus what was already waived
  'waiver.exceedsBudget': 'error', // {remainingBudgetCents}: more than what is left of the school's assistance budget
} as const
export type MoneyCode = keyof typeof MONEY_CODES

export type MoneyCheck = { ok: true } | { ok: false; code: MoneyCode; values?: Record<string, number> }

const OK: MoneyCheck = { ok: true }
const fail = (code: MoneyCode, values?: Record<string, number>): MoneyCheck => (values ? { ok: false, code, values } : { ok: false, code })

export function isCents(value: number): boolean {
  return Number.isSafeInteger(value)
}

function assertCents(value: number, name: string): void {
  if (!isCents(value)) throw new RangeError(`${name} must be whole cents`)
}

export function sumCents(values: readonly number[]): number {
  let total = 0
  for (const v of values) {
    assertCents(v, 'amount')
    total += v
  }
  assertCents(total, 'total')
  return total
}

// ---------------------------------------------------------------------------------------------
// Refunds

/** Whether a refund of `amountCents` may be asked for. The first problem found, in this order. */
export function checkRefund(input: { amountCents: number; remainingCents: number; paymentVoided: boolean }): MoneyCheck {
  if (input.paymentVoided) return fail('refund.paymentVoided')
  if (!isCents(input.amountCents)) return fail('refund.amountNotCents')
  if (input.amountCents <= 0) return fail('refund.amountNotPositive')
  const remainingCents = Math.max(0, input.remainingCents)
  if (input.amountCents > remainingCents) return fail('refund.exceedsRemaining', { remainingCents })
  return OK
}

/** Above the school's threshold a refund needs the principal's role; at the threshold it does not. */
export function needsPrincipal(amountCents: number, thresholdCents: number): boolean {
  assertCents(amountCents, 'amountCents')
  assertCents(thresholdCents, 'thresholdCents')
  return amountCents > thresholdCents
}

// ---------------------------------------------------------------------------------------------
// Receipts

/**
 * Receipt numbers are sequential per school, from 1 (or from `startAt`, for a school that carries
 * on from an earlier system). `maxSoFar` is the school's highest number, or null for none yet.
 */
export function nextReceiptNumber(maxSoFar: number | null | undefined, startAt = 1): number {
  if (!Number.isSafeInteger(startAt) || startAt < 1) throw new RangeError('startAt must be a whole number from 1')
  if (maxSoFar === null || maxSoFar === undefined) return startAt
  if (!Number.isSafeInteger(maxSoFar) || maxSoFar < 0) throw new RangeError('maxSoFar must be a whole number')
  return Math.max(maxSoFar + 1, startAt)
}

// ---------------------------------------------------------------------------------------------
// Waivers and the assistance budget

/**
 * What is left of the school's assistance budget after the waivers given. It can be negative
 * when the budget was lowered after the waivers: the principal sees the overspending.
 */
export function waiverBudget(input: { budgetCents: number; waivers: readonly { amountCents: number }[] }): number {
  assertCents(input.budgetCents, 'budgetCents')
  return input.budgetCents - sumCents(input.waivers.map((w) => w.amountCents))
}

/**
 * Whether the principal may waive `amountCents` of an item for one student: more than zero, no
 * more than the item's price for that student minus what was already waived for it, and no more
 * than what is left of the budget. The first problem found, in this order.
 */
export function checkWaiver(input: { amountCents: number; priceCents: number; alreadyWaivedCents: number; remainingBudgetCents: number }): MoneyCheck {
  if (!isCents(input.amountCents)) return fail('waiver.amountNotCents')
  if (input.amountCents <= 0) return fail('waiver.amountNotPositive')
  const maxCents = Math.max(0, input.priceCents - Math.max(0, input.alreadyWaivedCents))
  if (input.amountCents > maxCents) return fail('waiver.exceedsPrice', { maxCents })
  const remainingBudgetCents = Math.max(0, input.remainingBudgetCents)
  if (input.amountCents > remainingBudgetCents) return fail('waiver.exceedsBudget', { remainingBudgetCents })
  return OK
}
