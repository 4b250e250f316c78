import { z } from 'zod'
import { method } from './method'
import { Id, Instant } from './schemas'

const Kind = z.enum(['product', 'program', 'fee', 'outing', 'consent_form'])

export const DashboardSummary = z.object({
  /** The school date the figures are for, in the board's time zone. */
  today: z.string(),
  /** Published items whose deadline falls in the coming days: the catalogue's eligible and answered. */
  deadlines: z.array(z.object({ offeringId: Id, schoolName: z.string(), kind: Kind, titleFr: z.string(), titleEn: z.string().nullable(), deadlineAt: Instant, eligible: z.number().int(), answered: z.number().int() })),
  /** Today's program dates: the portions the supplier delivers (the order sheet's total). */
  deliveries: z.array(z.object({ programDateId: Id, schoolName: z.string(), titleFr: z.string(), titleEn: z.string().nullable(), supplier: z.string().nullable(), portions: z.number().int(), cancelled: z.boolean() })),
  /** Outings from today on, counted by the outings engine as the Sorties screen counts them. */
  outings: z.array(
    z.object({
      offeringId: Id,
      schoolName: z.string(),
      titleFr: z.string(),
      titleEn: z.string().nullable(),
      startsOn: z.string(),
      eligible: z.number().int(),
      /** Consented now (confirmed, unpaid or waitlisted). */
      consented: z.number().int(),
      /** Consented and paid, free or waived, within capacity: they hold a seat. */
      confirmed: z.number().int(),
      waitlisted: z.number().int(),
      /** Seats on the buses for students (buses × seats − adults); null when no bus is planned. */
      seats: z.number().int().nullable(),
      /** The smallest of the seats and the venue's limit; null when nothing limits it. */
      capacity: z.number().int().nullable(),
    }),
  ),
  /** Refunds waiting on the processor, and failed ones nobody has retried or settled yet. */
  refunds: z.object({ pending: z.number().int(), pendingCents: z.number().int(), failed: z.number().int(), failedCents: z.number().int() }),
  sync: z.object({ waitingToSend: z.number().int(), blocked: z.number().int(), lastPullAt: Instant.nullable() }),
})
export type DashboardSummary = z.infer<typeof DashboardSummary>

export const dashboardMethods = {
  /** The day at a glance: each figure is the one the screen it links to shows. */
  'dashboard.summary': method({
    kind: 'query',
    access: 'session',
    input: z.object({ schoolId: Id.optional(), days: z.number().int().min(1).max(31).default(7) }).strict(),
    output: DashboardSummary,
  }),
}
