import { z } from 'zod'
import { method } from './method'
import { OrdersListInput } from './money'
import { Grade, Id, Instant, IsoDate, Language } from './schemas'
import { StudentSearchInput } from './students'

export const DocumentFile = z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() })
export type DocumentFile = z.infer<typeof DocumentFile>

export const ProgramDateRow = z.object({
  programDateId: Id,
  offeringId: Id,
  schoolId: Id,
  schoolName: z.string(),
  date: IsoDate,
  cutoffAt: Instant,
  supplier: z.string().nullable(),
  dateStatus: z.enum(['scheduled', 'cancelled']),
  titleFr: z.string(),
  titleEn: z.string().nullable(),
  ordered: z.number().int(),
})

export const OrderSheetView = z.object({
  programDateId: Id,
  date: IsoDate,
  cutoffAt: Instant,
  supplier: z.string().nullable(),
  dateStatus: z.enum(['scheduled', 'cancelled']),
  titleFr: z.string(),
  titleEn: z.string().nullable(),
  schoolName: z.string(),
  variants: z.array(z.object({ variantId: Id.nullable(), labelFr: z.string(), labelEn: z.string().nullable(), total: z.number().int() })),
  classes: z.array(z.object({ classId: Id.nullable(), className: z.string().nullable(), counts: z.record(z.string(), z.number().int()), total: z.number().int() })),
  total: z.number().int(),
  students: z.number().int(),
})

const MoneyRow = z.object({
  key: z.string(),
  labelFr: z.string(),
  labelEn: z.string().nullable(),
  schoolName: z.string(),
  paidCents: z.number().int(),
  refundedCents: z.number().int(),
  waivedCents: z.number().int(),
  netCents: z.number().int(),
})
export const MoneyReport = z.object({
  from: IsoDate,
  to: IsoDate,
  byItem: z.array(MoneyRow),
  byDay: z.array(MoneyRow),
  byChannel: z.array(MoneyRow),
  bySchool: z.array(MoneyRow),
  totals: z.object({ paidCents: z.number().int(), refundedCents: z.number().int(), waivedCents: z.number().int(), netCents: z.number().int() }),
})
export type MoneyReport = z.infer<typeof MoneyReport>

const MoneyInput = z
  .object({ schoolId: Id.optional(), from: IsoDate, to: IsoDate })
  .strict()
  .refine((i) => i.from <= i.to, { path: ['to'], message: 'validation.periodReversed' })

const Kind = z.enum(['product', 'program', 'fee', 'outing', 'consent_form'])
const CallListChild = z.object({
  studentId: Id,
  firstName: z.string(),
  lastName: z.string(),
  grade: Grade,
  className: z.string().nullable(),
  schoolName: z.string(),
  /** The open items this child has no answer on, soonest deadline first. */
  offeringIds: z.array(Id),
})
export const CallList = z.object({
  items: z.array(
    z.object({
      offeringId: Id,
      kind: Kind,
      titleFr: z.string(),
      titleEn: z.string().nullable(),
      deadlineAt: Instant,
      schoolId: Id,
      schoolName: z.string(),
      eligible: z.number().int(),
      unanswered: z.number().int(),
    }),
  ),
  families: z.array(
    z.object({
      guardianId: Id,
      firstName: z.string(),
      lastName: z.string(),
      phone: z.string().nullable(),
      phoneAlt: z.string().nullable(),
      email: z.string().nullable(),
      language: Language,
      children: z.array(CallListChild),
    }),
  ),
  withoutGuardian: z.array(CallListChild),
})
export type CallList = z.infer<typeof CallList>
const CallListInput = z.object({ schoolId: Id.optional(), offeringId: Id.optional() }).strict()

/** A grid's filter and sort without its page: the export holds every row the filter matches. */
export const OrdersExportInput = OrdersListInput.omit({ offset: true, limit: true })
export type OrdersExportInput = z.input<typeof OrdersExportInput>
export const StudentsExportInput = StudentSearchInput.omit({ offset: true, limit: true })
export type StudentsExportInput = z.input<typeof StudentsExportInput>

export const reportMethods = {
  /** Sales by item, day, channel and school; refunds, waivers and net, from the ledger. */
  'reports.money': method({ kind: 'query', access: ['principal', 'admin', 'secretary'], input: MoneyInput, output: MoneyReport }),
  'reports.moneyFile': method({ kind: 'query', access: ['principal', 'admin', 'secretary'], input: MoneyInput, output: DocumentFile }),
  /** Program dates in a range, with how many portions are ordered: to pick a sheet to print. */
  'reports.programDates': method({
    kind: 'query',
    access: 'session',
    input: z.object({ schoolId: Id.optional(), from: IsoDate, to: IsoDate }).strict(),
    output: z.array(ProgramDateRow),
  }),
  'reports.orderSheet': method({
    kind: 'query',
    access: 'session',
    input: z.object({ programDateId: Id }).strict(),
    output: OrderSheetView,
  }),
  /** The supplier's sheets for one date or a week, as a PDF or a workbook. */
  'reports.orderSheetFile': method({
    kind: 'query',
    access: 'session',
    input: z.object({ programDateIds: z.array(Id).min(1).max(31), format: z.enum(['pdf', 'xlsx']) }).strict(),
    output: DocumentFile,
  }),
  /** One page per class: who gets what on a program date, allergies flagged. */
  'reports.deliveryLists': method({
    kind: 'query',
    access: 'session',
    input: z.object({ programDateId: Id }).strict(),
    output: DocumentFile,
  }),
  /** Families who have not answered an item still open, with their phones and language. */
  'reports.callList': method({ kind: 'query', access: 'session', input: CallListInput, output: CallList }),
  'reports.callListFile': method({
    kind: 'query',
    access: 'session',
    input: CallListInput.extend({ format: z.enum(['pdf', 'xlsx']) }).strict(),
    output: DocumentFile,
  }),
  /** The Commandes grid as filtered and sorted on screen, every row, as a workbook. */
  'reports.ordersXlsx': method({ kind: 'query', access: 'session', input: OrdersExportInput, output: DocumentFile }),
  /** The Élèves grid as filtered and sorted on screen, every row, as a workbook. */
  'reports.studentsXlsx': method({ kind: 'query', access: 'session', input: StudentsExportInput, output: DocumentFile }),
}
