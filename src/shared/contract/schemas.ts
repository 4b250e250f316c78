import { z } from 'zod'
import { RECEIPT_SERIES } from '../format'

/** Building blocks shared by several methods. */
export const Id = z.string().min(1).max(64)
export const Language = z.enum(['fr', 'en'])
export const Role = z.enum(['secretary', 'principal', 'admin'])
export const Grade = z.enum(['JK', 'SK', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'])
/** Shared cannot load Temporal; a leap-year test is all a calendar date needs. */
export function isRealCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return false
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  if (month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  return day <= lengths[month - 1]!
}

/**
 * A calendar date, YYYY-MM-DD, that exists (not 2025-02-30): every date of the contract is this
 * one schema, so an impossible date is refused here, on its field, never deeper in a handler.
 */
export const IsoDate = z.string().refine(isRealCalendarDate, { error: 'validation.badDate' })
export const Instant = z.string().datetime({ offset: true })
/** Money: integer cents, never a float. */
export const Cents = z.number().int().safe()

/** The most any one amount a person enters may be: $1,000,000, far above what a school means. */
export const MAX_AMOUNT_CENTS = 100_000_000
/** Every amount a person enters: whole cents, from $0 to MAX_AMOUNT_CENTS (outputs are Cents). */
export const AmountCents = z
  .number({ error: 'issue.invalidType' })
  .int({ error: 'validation.amountNotCents' })
  .min(0, { error: 'validation.amountNegative' })
  .max(MAX_AMOUNT_CENTS, { error: 'validation.amountTooHigh' })
/** A correction, which may take away: the same bounds either side of 0, and never 0. */
export const AdjustmentCents = z
  .number({ error: 'issue.invalidType' })
  .int({ error: 'validation.amountNotCents' })
  .min(-MAX_AMOUNT_CENTS, { error: 'validation.amountTooHigh' })
  .max(MAX_AMOUNT_CENTS, { error: 'validation.amountTooHigh' })
  .refine((n) => n !== 0, { error: 'validation.amountZero' })
/** Who numbered a receipt: the board, or this PC's kiosk ('office'); see shared/format. */
export const ReceiptSeries = z.enum(RECEIPT_SERIES)

export const StaffView = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: Role,
  language: Language,
})
export type StaffView = z.infer<typeof StaffView>

export const SessionView = z.object({
  token: z.string(),
  staff: StaffView,
  locked: z.boolean(),
  lockAfterSeconds: z.number().int().positive(),
  /** Signed in with a one-time password (issue 14): only changing it is allowed until it is changed. */
  mustChangePassword: z.boolean().default(false),
})
export type SessionView = z.infer<typeof SessionView>
