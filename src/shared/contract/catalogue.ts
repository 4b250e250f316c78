import { z } from 'zod'
import {
  CancelReasonSchema,
  CutoffRuleSchema,
  DayOffSchema,
  OfferingDraftSchema,
  OfferingKindSchema,
  OfferingStatusSchema,
  ProgramDatesRequestSchema,
  SchoolDate,
  TargetSchema,
} from './catalogue-schemas'
import { method } from './method'
import { Id, Instant } from './schemas'

const STAFF = 'session' as const

export const Problem = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  field: z.string(),
  message: z.string(),
})
export type Problem = z.infer<typeof Problem>

export const EditLock = z.object({ field: z.string(), code: z.string(), remedy: z.string(), message: z.string() })
export type EditLock = z.infer<typeof EditLock>

export const CatalogueRow = z.object({
  id: Id,
  schoolId: Id,
  schoolName: z.string(),
  kind: OfferingKindSchema,
  /** The status as families see it now: a published item past its deadline is closed. */
  status: OfferingStatusSchema,
  titleFr: z.string(),
  titleEn: z.string().nullable(),
  opensAt: Instant,
  deadlineAt: Instant,
  eligible: z.number().int(),
  answered: z.number().int(),
  paid: z.number().int(),
  /** Mutations about this item still in the outbox ("en attente d’envoi"). */
  waitingToSend: z.number().int(),
})
export type CatalogueRow = z.infer<typeof CatalogueRow>

export const CATALOGUE_SORT_FIELDS = ['deadlineAt', 'titleFr', 'kind', 'status', 'opensAt'] as const

export const OfferingDetail = z.object({
  id: Id,
  schoolId: Id,
  schoolYear: z.string(),
  status: OfferingStatusSchema,
  storedStatus: OfferingStatusSchema,
  version: z.number().int(),
  cancelReason: z.string().nullable(),
  publishedAt: Instant.nullable(),
  programRule: ProgramDatesRequestSchema.nullable(),
  draft: OfferingDraftSchema,
  facts: z.object({ paidLines: z.number().int(), answers: z.number().int(), eligible: z.number().int() }),
  locks: z.array(EditLock),
  problems: z.array(Problem),
  reminder: z.object({
    at: Instant.nullable(),
    /** A program reminds once per month of dates (period 'YYYY-MM'; '' for other items); 'missed': its deadline passed while the PC was off. */
    runs: z.array(z.object({ sentAt: Instant, familyCount: z.number().int(), period: z.string(), outcome: z.enum(['sent', 'missed']) })),
  }),
  outbox: z.array(z.object({ type: z.string(), state: z.string(), createdAt: Instant })),
})
export type OfferingDetail = z.infer<typeof OfferingDetail>

export const ProposedDates = z.object({
  dates: z.array(z.object({ date: SchoolDate, cutoffAt: Instant, supplier: z.string().nullable() })),
  skipped: z.array(z.object({ date: SchoolDate, reason: z.string(), label: z.string().nullable() })),
})

export const CalendarView = z.object({
  schoolId: Id,
  timeZone: z.string(),
  year: z.object({ label: z.string(), startsOn: SchoolDate, endsOn: SchoolDate }).nullable(),
  daysOff: z.array(z.object({ date: SchoolDate, kind: z.enum(['holiday', 'pd_day', 'closure']), labelFr: z.string(), labelEn: z.string().nullable() })),
})
export type CalendarView = z.infer<typeof CalendarView>

export const MonthEntry = z.object({
  date: SchoolDate,
  offeringId: Id,
  schoolId: Id,
  kind: OfferingKindSchema,
  status: OfferingStatusSchema,
  titleFr: z.string(),
  titleEn: z.string().nullable(),
  dateStatus: z.enum(['scheduled', 'cancelled']),
})

export const TEMPLATE_IDS = ['photos', 'internet', 'walks'] as const

const versioned = { id: Id, version: z.number().int().positive() }

export const catalogueMethods = {
  'catalogue.list': method({
    kind: 'query',
    access: STAFF,
    input: z
      .object({
        schoolId: Id.optional(),
        kind: OfferingKindSchema.optional(),
        status: OfferingStatusSchema.optional(),
        query: z.string().trim().max(100).default(''),
        sort: z.object({ field: z.enum(CATALOGUE_SORT_FIELDS), direction: z.enum(['asc', 'desc']) }).default({ field: 'deadlineAt', direction: 'desc' }),
        offset: z.number().int().min(0).max(100_000).default(0),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    output: z.object({ rows: z.array(CatalogueRow), total: z.number().int() }),
  }),
  'catalogue.get': method({
    kind: 'query',
    access: STAFF,
    input: z.object({ id: Id }).strict(),
    output: OfferingDetail,
  }),
  /** The pre-publish checker on a form as it is, saved or not. */
  'catalogue.check': method({
    kind: 'query',
    access: STAFF,
    input: z.object({ schoolId: Id, id: Id.optional(), draft: OfferingDraftSchema }).strict(),
    output: z.object({ problems: z.array(Problem), eligible: z.number().int() }),
  }),
  'catalogue.eligibleCount': method({
    kind: 'query',
    access: STAFF,
    input: z.object({ schoolId: Id, targets: z.array(TargetSchema).max(2000) }).strict(),
    output: z.object({ eligible: z.number().int() }),
  }),
  'catalogue.proposeDates': method({
    kind: 'query',
    access: STAFF,
    input: z.object({ schoolId: Id, request: ProgramDatesRequestSchema }).strict(),
    output: ProposedDates,
  }),
  'catalogue.create': method({
    kind: 'command',
    access: STAFF,
    input: z.object({ schoolId: Id, draft: OfferingDraftSchema, programRule: ProgramDatesRequestSchema.nullable().default(null) }).strict(),
    output: z.object({ id: Id, version: z.number().int() }),
  }),
  'catalogue.update': method({
    kind: 'command',
    access: STAFF,
    input: z
      .object({
        ...versioned,
        draft: OfferingDraftSchema,
        programRule: ProgramDatesRequestSchema.nullable().default(null),
        /** Published: a later deadline or cutoff is the principal's exception, with this reason. */
        exceptionReason: z.string().trim().max(500).optional(),
      })
      .strict(),
    output: z.object({ id: Id, version: z.number().int() }),
  }),
  'catalogue.publish': method({
    kind: 'command',
    access: STAFF,
    /** Reopening a published item that closed is the principal's exception, with this reason. */
    input: z.object({ ...versioned, confirmWarnings: z.boolean().default(false), exceptionReason: z.string().trim().max(500).optional() }).strict(),
    output: z.object({ id: Id, version: z.number().int(), status: OfferingStatusSchema }),
  }),
  'catalogue.close': method({
    kind: 'command',
    access: STAFF,
    input: z.object(versioned).strict(),
    output: z.object({ id: Id, version: z.number().int(), status: OfferingStatusSchema }),
  }),
  'catalogue.archive': method({
    kind: 'command',
    access: STAFF,
    input: z.object(versioned).strict(),
    output: z.object({ id: Id, version: z.number().int(), status: OfferingStatusSchema }),
  }),
  /** Cancelling an item families paid for starts refunds: the principal's call. */
  'catalogue.cancel': method({
    kind: 'command',
    access: STAFF,
    input: z.object({ ...versioned, reason: CancelReasonSchema }).strict(),
    output: z.object({ id: Id, version: z.number().int(), status: OfferingStatusSchema }),
  }),
  /**
   * One date of a program called off (a snow day, the supplier closed): families are told, and
   * the paid lines of that date are refunded by refunds.startBulk. Families paid: the principal's call.
   */
  'catalogue.cancelDate': method({
    kind: 'command',
    access: STAFF,
    input: z.object({ ...versioned, programDateId: Id, reason: CancelReasonSchema }).strict(),
    output: z.object({ id: Id, version: z.number().int(), paidLines: z.number().int() }),
  }),
  /** A copy as a new draft; `nextYear` moves its dates by 52 weeks (same weekday). */
  'catalogue.duplicate': method({
    kind: 'command',
    access: STAFF,
    input: z.object({ id: Id, nextYear: z.boolean().default(false) }).strict(),
    output: z.object({ id: Id, version: z.number().int() }),
  }),
  'catalogue.fromTemplate': method({
    kind: 'command',
    access: STAFF,
    input: z.object({ schoolId: Id, template: z.enum(TEMPLATE_IDS) }).strict(),
    output: z.object({ id: Id, version: z.number().int() }),
  }),
  /** Program dates and outings of a month, with the days off, for the calendar view. */
  'catalogue.month': method({
    kind: 'query',
    access: STAFF,
    input: z.object({ schoolId: Id.optional(), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) }).strict(),
    output: z.object({
      entries: z.array(MonthEntry),
      daysOff: z.array(z.object({ schoolId: Id, date: SchoolDate, kind: z.enum(['holiday', 'pd_day', 'closure']), labelFr: z.string(), labelEn: z.string().nullable() })),
    }),
  }),

  'calendar.get': method({
    kind: 'query',
    access: STAFF,
    input: z.object({ schoolId: Id }).strict(),
    output: CalendarView,
  }),
  'calendar.setYear': method({
    kind: 'command',
    access: ['principal', 'admin'],
    input: z.object({ schoolId: Id, label: z.string().regex(/^\d{4}-\d{4}$/), startsOn: SchoolDate, endsOn: SchoolDate }).strict(),
    output: CalendarView,
  }),
  'calendar.setDay': method({
    kind: 'command',
    access: STAFF,
    input: z.object({ schoolId: Id, day: DayOffSchema }).strict(),
    output: CalendarView,
  }),
  'calendar.removeDay': method({
    kind: 'command',
    access: STAFF,
    input: z.object({ schoolId: Id, date: SchoolDate }).strict(),
    output: CalendarView,
  }),
  /** Reads a calendar file: what would change, and each bad line. Nothing is written. */
  'calendar.previewImport': method({
    kind: 'query',
    access: STAFF,
    input: z.object({ schoolId: Id, text: z.string().max(500_000) }).strict(),
    output: z.object({
      ok: z.boolean(),
      added: z.number().int(),
      changed: z.number().int(),
      unchanged: z.number().int(),
      errors: z.array(z.object({ line: z.number().int(), fatal: z.boolean(), message: z.string() })),
    }),
  }),
  /** Applies a calendar file whole, or nothing when it has a fatal error. */
  'calendar.import': method({
    kind: 'command',
    access: STAFF,
    input: z.object({ schoolId: Id, text: z.string().max(500_000) }).strict(),
    output: CalendarView,
  }),
}

export { CutoffRuleSchema }
