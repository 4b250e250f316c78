import { z } from 'zod'
import { method } from './method'
import { Id, Instant } from './schemas'

const Kind = z.enum(['product', 'program', 'fee', 'outing', 'consent_form'])

export const DashboardSummary = z.object({
  today: z.string(),
  deadlines: z.array(z.object({ offeringId: Id, schoolName: z.string(), kind: Kind, titleFr: z.string(), titleEn: z.string().nullable(), deadlineAt: Instant, eligible: z.number().int(), answered: z.number().int() })),
  deliveries: z.array(z.object({ programDateId: Id, schoolName: z.string(), titleFr: z.string(), titleEn: z.string().nullable(), supplier: z.string().nullable(), portions: z.number().int(), cancelled: z.boolean() })),
  outings: z.array(z.object({ offeringId: Id, schoolName: z.string(), titleFr: z.string(), titleEn: z.string().nullable(), startsOn: z.string(), consented: z.number().int(), eligible: z.number().int(), seats: z.number().int().nullable() })),
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
