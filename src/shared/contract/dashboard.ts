import { z } from 'zod'
import { method } from './method'
import { Id, Instant } from './schemas'

const Kind = z.enum(['product', 'program', 'fee', 'outing', 'consent_form'])

/** A roster change the office should know about (migration 0012 raises them). */
export const RosterAlert = z.object({
  id: z.number().int(),
  kind: z.enum(['withdrawn_with_money', 'email_bounced', 'class_changed']),
  createdAt: Instant,
  schoolName: z.string().nullable(),
  /** The student whose family the alert opens: the student, or a child of the guardian. */
  studentId: Id.nullable(),
  studentName: z.string().nullable(),
  guardianName: z.string().nullable(),
  /** withdrawn_with_money: paid lines still to come, and required fees unpaid. */
  futurePaid: z.number().int(),
  unpaidFees: z.number().int(),
  /** class_changed: the classes' names (null: no class). */
  fromClass: z.string().nullable(),
  toClass: z.string().nullable(),
})
export type RosterAlert = z.infer<typeof RosterAlert>

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
  /** Roster changes that matter to the office (sync or OneRoster import), not yet seen; newest first. */
  rosterAlerts: z.array(RosterAlert),
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
  /** "Vu": a roster alert seen by staff (append-only, audited); seeing it twice changes nothing. */
  'dashboard.acknowledgeRosterAlert': method({
    kind: 'command',
    access: 'session',
    input: z.object({ alertId: z.number().int().positive() }).strict(),
    output: z.object({ acknowledged: z.boolean() }),
  }),
}
