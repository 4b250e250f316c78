import { z } from 'zod'
import { method } from './method'
import { Grade, Id, Instant, IsoDate } from './schemas'

const SchoolDate = IsoDate
const Issue = z.object({ code: z.string(), severity: z.enum(['error', 'warning']), field: z.string(), message: z.string() })
const StudentState = z.enum(['no_answer', 'declined', 'consented_unpaid', 'confirmed', 'waitlisted'])
const Named = z.object({ studentId: Id, name: z.string(), className: z.string().nullable() })

/**
 * What the office plans for an outing. Shapes only: the values (a ratio of 0, negative seats)
 * are the outing rules' to refuse, with a message per field (core/domain/outings/validation.ts).
 */
export const OutingPlanInput = z
  .object({
    busCount: z.number().int().max(50),
    seatsPerBus: z.number().int().max(100),
    staffCount: z.number().int().max(500),
    venueLimit: z.number().int().max(100_000).nullable(),
    /** Students per adult, one band of grades each; empty uses the outing's single ratio for every grade. */
    bands: z.array(z.object({ grades: z.array(Grade).max(14), studentsPerAdult: z.number().int().max(1000) })).max(14),
    chaperoneRatio: z.number().int().max(1000).nullable(),
  })
  .strict()
export type OutingPlanInput = z.infer<typeof OutingPlanInput>

const Counts = z.object({
  eligible: z.number().int(),
  consented: z.number().int(),
  declined: z.number().int(),
  noAnswer: z.number().int(),
  paid: z.number().int(),
  waived: z.number().int(),
  consentedUnpaid: z.number().int(),
  confirmed: z.number().int(),
  waitlisted: z.number().int(),
})

export const OutingOverviewRow = z.object({
  offeringId: Id,
  schoolName: z.string(),
  titleFr: z.string(),
  titleEn: z.string().nullable(),
  status: z.string(),
  startsOn: SchoolDate,
  deadlineAt: Instant,
  counts: Counts,
  capacity: z.number().int().nullable(),
  chaperonesNeeded: z.number().int().nullable(),
  chaperonesCovering: z.number().int(),
  busesNeededForConsented: z.number().int().nullable(),
  busCount: z.number().int(),
})
export type OutingOverviewRow = z.infer<typeof OutingOverviewRow>

export const OutingDetail = z.object({
  offeringId: Id,
  schoolId: Id,
  schoolName: z.string(),
  titleFr: z.string(),
  titleEn: z.string().nullable(),
  status: z.string(),
  startsOn: SchoolDate,
  endsOn: SchoolDate,
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  destination: z.string(),
  deadlineAt: Instant,
  deadlinePassed: z.boolean(),
  priceCents: z.number().int(),
  plan: OutingPlanInput,
  capacity: z.number().int().nullable(),
  limitedBy: z.enum(['seats', 'venue']).nullable(),
  seats: z.object({ total: z.number().int(), adults: z.number().int(), forStudents: z.number().int() }).nullable(),
  seatsLeft: z.number().int().nullable(),
  busesNeededForConsented: z.number().int().nullable(),
  chaperones: z.object({
    needed: z.number().int().nullable(),
    neededForConsented: z.number().int().nullable(),
    covering: z.number().int(),
    shortBy: z.number().int(),
    list: z.array(z.object({ id: Id, name: z.string(), phone: z.string().nullable(), expiresOn: SchoolDate.nullable(), covers: z.boolean(), reason: z.string().nullable() })),
  }),
  totals: Counts,
  classes: z.array(Counts.extend({ classId: Id.nullable(), className: z.string().nullable() })),
  waitlist: z.array(Named.extend({ position: z.number().int() })),
  students: z.array(Named.extend({ grade: Grade, state: StudentState, payment: z.enum(['paid', 'waived', 'unpaid', 'free']), withdrawn: z.boolean() })),
  issues: z.array(Issue),
})
export type OutingDetail = z.infer<typeof OutingDetail>

const Moves = z.object({ promoted: z.array(Named), movedToWaitlist: z.array(Named), capacityBefore: z.number().int().nullable(), capacityAfter: z.number().int().nullable() })

export const OUTING_DOCUMENTS = ['roster', 'signSheet', 'chaperones', 'breakdown'] as const

export const outingMethods = {
  /** The principal's view: every upcoming outing at a glance. */
  'outings.overview': method({
    kind: 'query',
    access: 'session',
    input: z.object({ schoolId: Id.optional(), includePast: z.boolean().default(false) }).strict(),
    output: z.object({ rows: z.array(OutingOverviewRow) }),
  }),
  'outings.get': method({
    kind: 'query',
    access: 'session',
    input: z.object({ id: Id }).strict(),
    output: OutingDetail,
  }),
  /** What a plan change would do (who gets a seat, who loses one), before it is saved. */
  'outings.previewPlan': method({
    kind: 'query',
    access: 'session',
    input: z.object({ id: Id, plan: OutingPlanInput }).strict(),
    output: Moves.extend({ issues: z.array(Issue) }),
  }),
  /** Saves the plan; when anyone would lose a seat, only with `confirmMoves` (never silent). */
  'outings.setPlan': method({
    kind: 'command',
    access: 'session',
    input: z.object({ id: Id, plan: OutingPlanInput, confirmMoves: z.boolean().default(false) }).strict(),
    output: Moves,
  }),
  'outings.addChaperone': method({
    kind: 'command',
    access: 'session',
    input: z
      .object({
        id: Id,
        name: z.string().trim().min(1, { error: 'outing.chaperoneNameRequired' }).max(200),
        phone: z.string().trim().max(40).nullable(),
        policeCheckExpiresOn: SchoolDate.nullable(),
      })
      .strict(),
    output: z.object({ chaperoneId: Id, covers: z.boolean(), reason: z.string().nullable() }),
  }),
  'outings.removeChaperone': method({
    kind: 'command',
    access: 'session',
    input: z.object({ id: Id, chaperoneId: Id }).strict(),
    output: z.object({ removed: z.boolean() }),
  }),
  /**
   * After the deadline a family can no longer withdraw online or at the kiosk: the principal
   * records the withdrawal as an exception, with the reason, in the audit log.
   */
  'outings.withdrawException': method({
    kind: 'command',
    access: ['principal', 'admin'],
    input: z.object({ id: Id, studentId: Id, reason: z.string().trim().min(1, { error: 'outing.reasonRequired' }).max(500) }).strict(),
    output: z.object({ promoted: z.array(Named) }),
  }),
  /** The families who have not answered, with their phone numbers and language. */
  'outings.callList': method({
    kind: 'query',
    access: 'session',
    input: z.object({ id: Id }).strict(),
    output: z.object({
      rows: z.array(
        z.object({ guardianName: z.string(), phone: z.string().nullable(), phoneAlt: z.string().nullable(), language: z.enum(['fr', 'en']), students: z.array(z.string()) }),
      ),
    }),
  }),
  'outings.document': method({
    kind: 'query',
    access: 'session',
    input: z.object({ id: Id, document: z.enum(OUTING_DOCUMENTS) }).strict(),
    output: z.object({ fileName: z.string(), base64: z.string(), mimeType: z.string() }),
  }),
}
