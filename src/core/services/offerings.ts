import type { Kysely } from 'kysely'
import type { OfferingDraftParsed } from '../../shared/contract/catalogue-schemas'
import { GuichetError } from '../../shared/errors'
import type { ChangeFacts, OfferingDraft, StoredOffering } from '../domain/catalogue'
import type { Target } from '../domain/eligibility'
import type { DB, OfferingsTable } from '../db/schema'
import { newId } from './ids'

export type OfferingRow = Omit<OfferingsTable, 'status' | 'version' | 'description_fr' | 'price_cents' | 'required' | 'reminder_days_before'> & {
  status: StoredOffering['status']
  version: number
  description_fr: string
  price_cents: number
  required: number
  reminder_days_before: number
}

export async function offeringRow(db: Kysely<DB>, id: string): Promise<OfferingRow> {
  const row = await db.selectFrom('offerings').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new GuichetError('NOT_FOUND', { what: 'offering' })
  return row
}

/** The item as the edit form holds it, children included. */
export async function loadDraft(db: Kysely<DB>, row: OfferingRow): Promise<StoredOffering> {
  const [targets, variants, dates, outing, questions] = await Promise.all([
    db.selectFrom('offering_targets').select(['kind', 'value']).where('offering_id', '=', row.id).orderBy('kind').orderBy('value').execute(),
    db.selectFrom('offering_variants').selectAll().where('offering_id', '=', row.id).orderBy('sort').orderBy('id').execute(),
    db.selectFrom('program_dates').selectAll().where('offering_id', '=', row.id).orderBy('date').execute(),
    db.selectFrom('outings').selectAll().where('offering_id', '=', row.id).executeTakeFirst(),
    db.selectFrom('offering_questions').selectAll().where('offering_id', '=', row.id).orderBy('sort').orderBy('id').execute(),
  ])
  return {
    status: row.status,
    kind: row.kind,
    titleFr: row.title_fr,
    titleEn: row.title_en,
    descriptionFr: row.description_fr,
    descriptionEn: row.description_en,
    opensAt: row.opens_at,
    deadlineAt: row.deadline_at,
    priceCents: row.price_cents,
    feePer: row.fee_per,
    required: row.required === 1,
    stockLimit: row.stock_limit,
    perStudentLimit: row.per_student_limit,
    reminderDaysBefore: row.reminder_days_before,
    targets: targets as Target[],
    variants: variants.map((v) => ({ id: v.id, labelFr: v.label_fr, labelEn: v.label_en, priceCents: v.price_cents, active: v.active === 1 })),
    dates: dates.map((d) => ({ id: d.id, date: d.date, cutoffAt: d.cutoff_at, supplier: d.supplier, status: d.status })),
    outing: outing
      ? {
          startsOn: outing.starts_on,
          endsOn: outing.ends_on,
          startTime: outing.start_time,
          endTime: outing.end_time,
          destination: outing.destination,
          venueLimit: outing.venue_limit,
          busCount: outing.bus_count,
          seatsPerBus: outing.seats_per_bus,
          staffCount: outing.staff_count,
          chaperoneRatio: outing.chaperone_ratio,
        }
      : null,
    questions: questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      labelFr: q.label_fr,
      labelEn: q.label_en,
      choices: q.choices ? (JSON.parse(q.choices) as Array<{ labelFr: string; labelEn: string | null }>) : [],
      required: q.required === 1,
    })),
  }
}

/** What families have done with an item: what makes parts of it final. */
export async function changeFacts(db: Kysely<DB>, offeringId: string): Promise<ChangeFacts> {
  const paid = await db
    .selectFrom('order_lines as ol')
    .select(['ol.variant_id', 'ol.program_date_id', 'ol.quantity'])
    .where('ol.offering_id', '=', offeringId)
    .where(({ exists, selectFrom }) => exists(selectFrom('live_payments as p').select('p.id').whereRef('p.order_id', '=', 'ol.order_id')))
    .execute()
  const answers = await db
    .selectFrom('consents')
    .select((eb) => eb.fn.count<number>('student_id').distinct().as('n'))
    .where('offering_id', '=', offeringId)
    .executeTakeFirstOrThrow()
  return {
    paidLines: paid.reduce((sum, l) => sum + l.quantity, 0),
    answers: Number(answers.n),
    paidDates: new Set(paid.flatMap((l) => (l.program_date_id ? [l.program_date_id] : []))),
    paidVariantIds: new Set(paid.flatMap((l) => (l.variant_id ? [l.variant_id] : []))),
  }
}

/** Active students of a school that targets reach, counted in SQL (a union of the targets). */
export async function countEligible(db: Kysely<DB>, schoolId: string, targets: readonly Target[]): Promise<number> {
  if (targets.length === 0) return 0
  const values = (kind: Target['kind']) => targets.filter((t) => t.kind === kind).map((t) => t.value)
  const wholeSchool = values('school').includes(schoolId)
  const row = await db
    .selectFrom('students')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('school_id', '=', schoolId)
    .where('status', '=', 'active')
    .$if(!wholeSchool, (q) =>
      q.where((eb) => {
        const any: Array<ReturnType<typeof eb<'id', 'in', string[]>>> = []
        const grades = values('grade')
        const classes = values('class')
        const students = values('student')
        if (grades.length) any.push(eb('grade', 'in', grades as never[]))
        if (classes.length) any.push(eb('class_id', 'in', classes))
        if (students.length) any.push(eb('id', 'in', students))
        return any.length ? eb.or(any) : eb.lit(false)
      }),
    )
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Writes the form's children. Targets and questions are rewritten whole (nothing refers to
 * them); variants and dates are matched by id, because order lines refer to them: one that is
 * no longer in the form is deleted when nothing refers to it, and otherwise kept (a variant
 * stops being sold; a date with lines can only be cancelled, which checkChanges enforces).
 */
export async function saveChildren(db: Kysely<DB>, offeringId: string, draft: OfferingDraftParsed | OfferingDraft): Promise<void> {
  await db.deleteFrom('offering_targets').where('offering_id', '=', offeringId).execute()
  if (draft.targets.length) {
    await db.insertInto('offering_targets').values(draft.targets.map((t) => ({ offering_id: offeringId, kind: t.kind, value: t.value }))).execute()
  }

  const existingVariants = await db.selectFrom('offering_variants').select('id').where('offering_id', '=', offeringId).execute()
  const keptVariants = new Set<string>()
  for (const [sort, v] of draft.variants.entries()) {
    const values = { label_fr: v.labelFr, label_en: v.labelEn, price_cents: v.priceCents ?? 0, sort, active: v.active === false ? 0 : 1 }
    if (v.id && existingVariants.some((e) => e.id === v.id)) {
      keptVariants.add(v.id)
      await db.updateTable('offering_variants').set(values).where('id', '=', v.id).execute()
    } else {
      await db.insertInto('offering_variants').values({ id: newId(), offering_id: offeringId, ...values }).execute()
    }
  }
  for (const { id } of existingVariants) {
    if (keptVariants.has(id)) continue
    const used = await db.selectFrom('order_lines').select('id').where('variant_id', '=', id).limit(1).executeTakeFirst()
    if (used) await db.updateTable('offering_variants').set({ active: 0 }).where('id', '=', id).execute()
    else await db.deleteFrom('offering_variants').where('id', '=', id).execute()
  }

  const existingDates = await db.selectFrom('program_dates').select(['id', 'date']).where('offering_id', '=', offeringId).execute()
  const keptDates = new Set<string>()
  for (const d of draft.dates) {
    const match = existingDates.find((e) => (d.id ? e.id === d.id : e.date === d.date))
    const values = { date: d.date, cutoff_at: d.cutoffAt ?? d.date, supplier: d.supplier }
    if (match) {
      keptDates.add(match.id)
      await db.updateTable('program_dates').set(values).where('id', '=', match.id).execute()
    } else {
      await db.insertInto('program_dates').values({ id: newId(), offering_id: offeringId, ...values }).execute()
    }
  }
  for (const { id, date } of existingDates) {
    if (keptDates.has(id)) continue
    const used = await db.selectFrom('order_lines').select('id').where('program_date_id', '=', id).limit(1).executeTakeFirst()
    if (used) throw new GuichetError('CHANGE_BLOCKED', {}, [{ path: 'dates', key: 'change.paidDateRemoved', values: { date } }])
    await db.deleteFrom('program_dates').where('id', '=', id).execute()
  }

  await db.deleteFrom('outings').where('offering_id', '=', offeringId).execute()
  if (draft.outing) {
    const o = draft.outing
    await db
      .insertInto('outings')
      .values({
        offering_id: offeringId,
        starts_on: o.startsOn ?? '',
        ends_on: o.endsOn ?? o.startsOn ?? '',
        start_time: o.startTime,
        end_time: o.endTime,
        destination: o.destination,
        venue_limit: o.venueLimit,
        bus_count: o.busCount,
        seats_per_bus: o.seatsPerBus,
        staff_count: o.staffCount,
        chaperone_ratio: o.chaperoneRatio ?? null,
      })
      .execute()
  }

  await db.deleteFrom('offering_questions').where('offering_id', '=', offeringId).execute()
  if (draft.questions.length) {
    await db
      .insertInto('offering_questions')
      .values(
        draft.questions.map((q, sort) => ({
          id: q.id ?? newId(),
          offering_id: offeringId,
          sort,
          kind: q.kind,
          label_fr: q.labelFr,
          label_en: q.labelEn,
          choices: q.kind === 'choice' ? JSON.stringify(q.choices) : null,
          required: q.required ? 1 : 0,
        })),
      )
      .execute()
  }
}

/** The offering's own columns from a form. */
export function offeringColumns(draft: OfferingDraftParsed) {
  return {
    kind: draft.kind,
    title_fr: draft.titleFr.trim(),
    title_en: draft.titleEn?.trim() ?? null,
    description_fr: draft.descriptionFr,
    description_en: draft.descriptionEn,
    opens_at: draft.opensAt,
    deadline_at: draft.deadlineAt,
    price_cents: draft.priceCents,
    fee_per: draft.feePer,
    required: draft.required ? 1 : 0,
    stock_limit: draft.stockLimit,
    per_student_limit: draft.perStudentLimit,
    reminder_days_before: draft.reminderDaysBefore,
  }
}
