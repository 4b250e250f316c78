import { z } from 'zod'
import { RECEIPT_SERIES } from '../format'

/** Building blocks shared by several methods. */
export const Id = z.string().min(1).max(64)
export const Language = z.enum(['fr', 'en'])
export const Role = z.enum(['secretary', 'principal', 'admin'])
export const Grade = z.enum(['JK', 'SK', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'])
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
export const Instant = z.string().datetime({ offset: true })
/** Money: integer cents, never a float. */
export const Cents = z.number().int().safe()
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
