import { sql, type ExpressionBuilder, type Kysely } from 'kysely'
import type { ChildItem, FamilyView, StudentRow } from '../../shared/contract/students'
import { GuichetError } from '../../shared/errors'
import type { DB } from '../db/schema'
import { isEligible, type Target } from '../domain/eligibility'
import { queryTerms } from '../domain/search-key'
import type { Handlers } from './types'

const SORT_COLUMNS = {
  lastName: sql<string>`fold(s.last_name)`,
  firstName: sql<string>`fold(s.first_name)`,
  grade: sql<number>`s.grade_rank`,
  className: sql<string>`fold(c.name)`,
  schoolName: sql<string>`fold(sc.name)`,
} as const

function studentsBase(db: Kysely<DB>) {
  return db
    .selectFrom('students as s')
    .innerJoin('schools as sc', 'sc.id', 's.school_id')
    .leftJoin('classes as c', 'c.id', 's.class_id')
}

const rowColumns = [
  's.id',
  's.first_name',
  's.last_name',
  's.grade',
  's.status',
  's.school_id',
  'sc.name as school_name',
  's.class_id',
  'c.name as class_name',
  's.medical_alert',
] as const

type RawRow = {
  id: string
  first_name: string
  last_name: string
  grade: StudentRow['grade']
  status: 'active' | 'withdrawn'
  school_id: string
  school_name: string
  class_id: string | null
  class_name: string | null
  medical_alert: string | null
}

function toRow(r: RawRow): StudentRow {
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    grade: r.grade,
    status: r.status,
    schoolId: r.school_id,
    schoolName: r.school_name,
    classId: r.class_id,
    className: r.class_name,
    hasMedicalAlert: r.medical_alert !== null,
  }
}

export const studentHandlers: Handlers<'students.search' | 'families.ofStudent'> = {
  /** Filtered, sorted and paged in SQL: the renderer only ever holds one page. */
  async 'students.search'(input, ctx) {
    const terms = queryTerms(input.query)
    let q = studentsBase(ctx.db)
    if (input.status !== 'all') q = q.where('s.status', '=', input.status)
    if (input.schoolId) q = q.where('s.school_id', '=', input.schoolId)
    if (input.grade) q = q.where('s.grade', '=', input.grade)
    if (input.classId) q = q.where('s.class_id', '=', input.classId)
    for (const term of terms) {
      // A term matches the start of any word of the folded name ("bel" finds "Bélanger").
      q = q.where((eb) => eb.or([eb('s.search_key', 'like', `${term}%`), eb('s.search_key', 'like', `% ${term}%`)]))
    }
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
    const column = SORT_COLUMNS[input.sort.field]
    const rows = await q
      .select(rowColumns)
      .orderBy(column, input.sort.direction)
      .orderBy(sql`fold(s.last_name)`)
      .orderBy(sql`fold(s.first_name)`)
      .orderBy('s.id')
      .limit(input.limit)
      .offset(input.offset)
      .execute()
    return { rows: rows.map(toRow), total: Number(total) }
  },

  async 'families.ofStudent'({ studentId }, ctx) {
    const student = await ctx.db.selectFrom('students').select('id').where('id', '=', studentId).executeTakeFirst()
    if (!student) throw new GuichetError('NOT_FOUND', { what: 'student' })
    return loadFamily(ctx.db, studentId)
  },
}

async function loadFamily(db: Kysely<DB>, studentId: string): Promise<FamilyView> {
  const guardianIds = (
    await db.selectFrom('student_guardians').select('guardian_id').where('student_id', '=', studentId).execute()
  ).map((r) => r.guardian_id)

  // Every child of these guardians, in every school of the board; the student at least.
  const childIds = guardianIds.length
    ? (
        await db
          .selectFrom('student_guardians')
          .select('student_id')
          .distinct()
          .where('guardian_id', 'in', guardianIds)
          .execute()
      ).map((r) => r.student_id)
    : [studentId]

  const [guardians, links, children] = await Promise.all([
    guardianIds.length ? db.selectFrom('guardians').selectAll().where('id', 'in', guardianIds).orderBy('last_name').orderBy('first_name').execute() : [],
    guardianIds.length ? db.selectFrom('student_guardians').selectAll().where('guardian_id', 'in', guardianIds).execute() : [],
    studentsBase(db).select(rowColumns).where('s.id', 'in', childIds).orderBy('sc.name').orderBy('s.grade_rank').orderBy('s.first_name').execute(),
  ])

  const items = await childItems(db, children)
  return {
    guardians: guardians.map((g) => ({
      id: g.id,
      firstName: g.first_name,
      lastName: g.last_name,
      email: g.email,
      phone: g.phone,
      phoneAlt: g.phone_alt,
      preferredLanguage: g.preferred_language,
      emailBounced: g.email_bounced_at !== null,
      relationships: links
        .filter((l) => l.guardian_id === g.id)
        .map((l) => ({ studentId: l.student_id, relationship: l.relationship })),
    })),
    children: children.map((c) => ({
      student: { ...toRow(c), medicalAlert: c.medical_alert },
      items: items.get(c.id) ?? [],
    })),
  }
}

/**
 * For each child, the items that concern them: those published to them (eligible now) and
 * those they have any money or consent on, even if they are no longer eligible.
 */
async function childItems(db: Kysely<DB>, children: readonly RawRow[]): Promise<Map<string, ChildItem[]>> {
  const result = new Map<string, ChildItem[]>()
  if (children.length === 0) return result
  const ids = children.map((c) => c.id)
  const schoolIds = [...new Set(children.map((c) => c.school_id))]
  const classOf = new Map(
    (await db.selectFrom('students').select(['id', 'class_id']).where('id', 'in', ids).execute()).map((r) => [r.id, r.class_id]),
  )

  const paidLine = (eb: ExpressionBuilder<DB & { ol: DB['order_lines'] }, 'ol'>) =>
    eb.exists(eb.selectFrom('live_payments as p').select('p.id').whereRef('p.order_id', '=', 'ol.order_id'))

  const [offerings, targets, lines, refunds, waivers, consents] = await Promise.all([
    db.selectFrom('offerings').selectAll().where('school_id', 'in', schoolIds).where('status', '<>', 'draft').execute(),
    db
      .selectFrom('offering_targets as t')
      .innerJoin('offerings as o', 'o.id', 't.offering_id')
      .select(['t.offering_id', 't.kind', 't.value'])
      .where('o.school_id', 'in', schoolIds)
      .where('o.status', '<>', 'draft')
      .execute(),
    db
      .selectFrom('order_lines as ol')
      .select((eb) => [
        'ol.student_id',
        'ol.offering_id',
        eb.fn.sum<number>('ol.amount_cents').as('ordered'),
        eb.fn.sum<number>(eb.case().when(paidLine(eb)).then(eb.ref('ol.amount_cents')).else(0).end()).as('paid'),
        eb.fn.countAll<number>().as('lines'),
      ])
      .where('ol.student_id', 'in', ids)
      .groupBy(['ol.student_id', 'ol.offering_id'])
      .execute(),
    // A voided payment took nothing: it shows neither as paid nor as refunded.
    db
      .selectFrom('refund_states as r')
      .innerJoin('live_payments as p', 'p.id', 'r.payment_id')
      .innerJoin('order_lines as ol', 'ol.id', 'r.order_line_id')
      .select((eb) => ['ol.student_id', 'ol.offering_id', eb.fn.sum<number>('r.amount_cents').as('refunded')])
      .where('ol.student_id', 'in', ids)
      .where('r.status', '=', 'succeeded')
      .groupBy(['ol.student_id', 'ol.offering_id'])
      .execute(),
    db
      .selectFrom('waivers')
      .select((eb) => ['student_id', 'offering_id', eb.fn.sum<number>('amount_cents').as('waived')])
      .where('student_id', 'in', ids)
      .groupBy(['student_id', 'offering_id'])
      .execute(),
    // The latest consent row per student and item is the current answer.
    db
      .selectFrom('consents as c')
      .select(['c.student_id', 'c.offering_id', 'c.decision'])
      .where('c.student_id', 'in', ids)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('consents as later')
              .select('later.id')
              .whereRef('later.student_id', '=', 'c.student_id')
              .whereRef('later.offering_id', '=', 'c.offering_id')
              .where((eb) =>
                eb.or([
                  eb('later.recorded_at', '>', eb.ref('c.recorded_at')),
                  eb.and([eb('later.recorded_at', '=', eb.ref('c.recorded_at')), eb('later.id', '>', eb.ref('c.id'))]),
                ]),
              ),
          ),
        ),
      )
      .execute(),
  ])

  const key = (studentId: string, offeringId: string) => `${studentId}|${offeringId}`
  const targetsOf = new Map<string, Target[]>()
  for (const t of targets) targetsOf.set(t.offering_id, [...(targetsOf.get(t.offering_id) ?? []), { kind: t.kind, value: t.value }])
  const lineBy = new Map(lines.map((l) => [key(l.student_id, l.offering_id), l]))
  const refundBy = new Map(refunds.map((r) => [key(r.student_id, r.offering_id), Number(r.refunded)]))
  const waiverBy = new Map(waivers.map((w) => [key(w.student_id, w.offering_id), Number(w.waived)]))
  const consentBy = new Map(consents.map((c) => [key(c.student_id, c.offering_id), c.decision]))

  for (const child of children) {
    const list: ChildItem[] = []
    for (const o of offerings) {
      if (o.school_id !== child.school_id) continue
      const k = key(child.id, o.id)
      const line = lineBy.get(k)
      const touched = line || refundBy.has(k) || waiverBy.has(k) || consentBy.has(k)
      const eligible = isEligible(
        { id: child.id, schoolId: child.school_id, grade: child.grade, classId: classOf.get(child.id) ?? null, status: child.status },
        o.school_id,
        targetsOf.get(o.id) ?? [],
      )
      if (!touched && !eligible) continue
      list.push({
        offeringId: o.id,
        kind: o.kind,
        status: o.status,
        titleFr: o.title_fr,
        titleEn: o.title_en,
        deadlineAt: o.deadline_at,
        orderedCents: Number(line?.ordered ?? 0),
        paidCents: Number(line?.paid ?? 0),
        refundedCents: refundBy.get(k) ?? 0,
        waivedCents: waiverBy.get(k) ?? 0,
        lineCount: Number(line?.lines ?? 0),
        consent: consentBy.get(k) ?? null,
        needsConsent: o.kind === 'outing' || o.kind === 'consent_form',
      })
    }
    list.sort((a, b) => a.deadlineAt.localeCompare(b.deadlineAt))
    result.set(child.id, list)
  }
  return result
}
