import { sql, type Kysely } from 'kysely'
import { GuichetError } from '../../../shared/errors'
import type { DB } from '../../db/schema'
import { LINE_HELD } from '../held-lines'

export interface OrderSheetVariant {
  variantId: string | null
  labelFr: string
  labelEn: string | null
  total: number
}

export interface OrderSheetClass {
  classId: string | null
  className: string | null
  counts: Record<string, number>
  total: number
}

export interface OrderSheet {
  programDateId: string
  date: string
  cutoffAt: string
  supplier: string | null
  dateStatus: 'scheduled' | 'cancelled'
  offeringId: string
  titleFr: string
  titleEn: string | null
  schoolId: string
  schoolName: string
  variants: OrderSheetVariant[]
  classes: OrderSheetClass[]
  total: number
  students: number
}

export interface DeliveryLine {
  studentId: string
  firstName: string
  lastName: string
  medicalAlert: string | null
  variantFr: string | null
  variantEn: string | null
  quantity: number
}

export interface DeliveryClass {
  classId: string | null
  className: string | null
  teacher: string | null
  lines: DeliveryLine[]
}

/** The key of a line without a variant in `counts`. */
export const NO_VARIANT = '-'

/**
 * The lines to deliver on a program date: paid (a voided payment took nothing, so it does not
 * count), and not refunded in full (a refunded line was cancelled for that family). A line's quantity counts whole: refunds are per line.
 */
function deliverable(db: Kysely<DB>, programDateId: string) {
  return db
    .selectFrom('order_lines as l')
    .innerJoin('students as s', 's.id', 'l.student_id')
    .leftJoin('classes as c', 'c.id', 's.class_id')
    .leftJoin('offering_variants as v', 'v.id', 'l.variant_id')
    // The date's offering first: the lines' index (offering, program date) then finds them directly.
    .where('l.offering_id', '=', (eb) => eb.selectFrom('program_dates as pd').select('pd.offering_id').where('pd.id', '=', programDateId))
    .where('l.program_date_id', '=', programDateId)
    .where(LINE_HELD)
}

async function programDate(db: Kysely<DB>, programDateId: string) {
  const d = await db
    .selectFrom('program_dates as d')
    .innerJoin('offerings as o', 'o.id', 'd.offering_id')
    .innerJoin('schools as sc', 'sc.id', 'o.school_id')
    .select(['d.id', 'd.date', 'd.cutoff_at', 'd.supplier', 'd.status', 'o.id as offering_id', 'o.title_fr', 'o.title_en', 'o.school_id', 'sc.name as school_name'])
    .where('d.id', '=', programDateId)
    .executeTakeFirst()
  if (!d) throw new GuichetError('NOT_FOUND', { what: 'programDate' })
  return d
}

/** What to order from the supplier for one program date: counts by variant and by class. */
export async function orderSheet(db: Kysely<DB>, programDateId: string): Promise<OrderSheet> {
  const d = await programDate(db, programDateId)
  const [variants, rows] = await Promise.all([
    db.selectFrom('offering_variants').select(['id', 'label_fr', 'label_en']).where('offering_id', '=', d.offering_id).orderBy('sort').orderBy('id').execute(),
    deliverable(db, programDateId)
      .select((eb) => ['s.class_id', 'c.name as class_name', 'l.variant_id', eb.fn.sum<number>('l.quantity').as('quantity'), eb.fn.count<number>('l.student_id').distinct().as('students')])
      .groupBy(['s.class_id', 'c.name', 'l.variant_id'])
      .execute(),
  ])
  const classes = new Map<string, OrderSheetClass>()
  const byVariant = new Map<string, number>()
  for (const r of rows) {
    const key = r.class_id ?? NO_VARIANT
    const cls = classes.get(key) ?? { classId: r.class_id, className: r.class_name, counts: {}, total: 0 }
    const variant = r.variant_id ?? NO_VARIANT
    const quantity = Number(r.quantity)
    cls.counts[variant] = (cls.counts[variant] ?? 0) + quantity
    cls.total += quantity
    classes.set(key, cls)
    byVariant.set(variant, (byVariant.get(variant) ?? 0) + quantity)
  }
  const students = await deliverable(db, programDateId)
    .select((eb) => eb.fn.count<number>('l.student_id').distinct().as('n'))
    .executeTakeFirstOrThrow()
  const variantRows: OrderSheetVariant[] = variants.map((v) => ({ variantId: v.id, labelFr: v.label_fr, labelEn: v.label_en, total: byVariant.get(v.id) ?? 0 }))
  if (byVariant.has(NO_VARIANT)) variantRows.push({ variantId: null, labelFr: d.title_fr, labelEn: d.title_en, total: byVariant.get(NO_VARIANT)! })
  return {
    programDateId,
    date: d.date,
    cutoffAt: d.cutoff_at,
    supplier: d.supplier,
    dateStatus: d.status,
    offeringId: d.offering_id,
    titleFr: d.title_fr,
    titleEn: d.title_en,
    schoolId: d.school_id,
    schoolName: d.school_name,
    variants: variantRows,
    classes: [...classes.values()].sort((a, b) => (a.className ?? '').localeCompare(b.className ?? '', 'fr-CA')),
    total: [...byVariant.values()].reduce((a, b) => a + b, 0),
    students: Number(students.n),
  }
}

/** Who gets what, class by class, for the volunteers who hand it out. */
export async function deliveryLists(db: Kysely<DB>, programDateId: string): Promise<{ sheet: Awaited<ReturnType<typeof programDate>>; classes: DeliveryClass[] }> {
  const sheet = await programDate(db, programDateId)
  const rows = await deliverable(db, programDateId)
    .select(['s.id as student_id', 's.first_name', 's.last_name', 's.medical_alert', 's.class_id', 'c.name as class_name', 'c.teacher', 'v.label_fr', 'v.label_en', 'l.quantity'])
    .orderBy(sql`fold(c.name)`)
    .orderBy(sql`fold(s.last_name)`)
    .orderBy(sql`fold(s.first_name)`)
    .execute()
  const classes = new Map<string, DeliveryClass>()
  for (const r of rows) {
    const key = r.class_id ?? NO_VARIANT
    const cls = classes.get(key) ?? { classId: r.class_id, className: r.class_name, teacher: r.teacher, lines: [] }
    cls.lines.push({ studentId: r.student_id, firstName: r.first_name, lastName: r.last_name, medicalAlert: r.medical_alert, variantFr: r.label_fr, variantEn: r.label_en, quantity: r.quantity })
    classes.set(key, cls)
  }
  return { sheet, classes: [...classes.values()] }
}
