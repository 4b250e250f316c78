import { z } from 'zod'
import { method } from './method'
import { Id, Instant } from './schemas'

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
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
}
