import { sql, type Kysely } from 'kysely'
import type { DB, Grade, Language, OfferingKind } from '../../db/schema'
import { openPeriod, studentAnswered } from '../answered'

export interface CallListItem {
  offeringId: string
  kind: OfferingKind
  titleFr: string
  titleEn: string | null
  deadlineAt: string
  schoolId: string
  schoolName: string
  eligible: number
  /** Eligible students without an answer. */
  unanswered: number
}

export interface CallListChild {
  studentId: string
  firstName: string
  lastName: string
  grade: Grade
  className: string | null
  schoolName: string
  /** The open items this child has no answer on, soonest deadline first. */
  offeringIds: string[]
}

export interface CallListFamily {
  guardianId: string
  firstName: string
  lastName: string
  phone: string | null
  phoneAlt: string | null
  email: string | null
  language: Language
  children: CallListChild[]
}

export interface CallList {
  items: CallListItem[]
  families: CallListFamily[]
  /** Children without an answer and without a guardian on file: nobody to call. */
  withoutGuardian: CallListChild[]
}

export interface CallListFilter {
  schoolId?: string
  offeringId?: string
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
const byName = (a: { lastName: string; firstName: string }, b: { lastName: string; firstName: string }) =>
  fold(a.lastName).localeCompare(fold(b.lastName), 'fr-CA') || fold(a.firstName).localeCompare(fold(b.firstName), 'fr-CA')

/**
 * The families to call: the guardians of every eligible student who has not answered an item
 * still open (published, opened, deadline not reached). Answered means what the reminders count
 * (services/answered.ts): paid or waived, a consent decided (and settled, for a paid outing), a
 * program's current month ordered. Each family comes once, with the children concerned and, for
 * each, the items without an answer.
 */
export async function callList(db: Kysely<DB>, now: string, filter: CallListFilter = {}): Promise<CallList> {
  const items = await db
    .selectFrom('offerings as o')
    .innerJoin('schools as sc', 'sc.id', 'o.school_id')
    .select(['o.id', 'o.kind', 'o.title_fr', 'o.title_en', 'o.deadline_at', 'o.school_id', 'sc.name as school_name'])
    .where('o.status', '=', 'published')
    .where('o.opens_at', '<=', now)
    .where('o.deadline_at', '>', now)
    .$if(filter.schoolId !== undefined, (q) => q.where('o.school_id', '=', filter.schoolId!))
    .$if(filter.offeringId !== undefined, (q) => q.where('o.id', '=', filter.offeringId!))
    .orderBy('o.deadline_at')
    .orderBy('o.title_fr')
    .execute()
  if (items.length === 0) return { items: [], families: [], withoutGuardian: [] }

  // Every eligible student of each open item, and whether they answered it.
  const pairs = await db
    .selectFrom('offerings as o')
    .innerJoin('students as s', (join) => join.onRef('s.school_id', '=', 'o.school_id').on('s.status', '=', 'active'))
    .select([
      'o.id as offering_id',
      's.id as student_id',
      sql<number>`${studentAnswered(openPeriod(now))}`.as('answered'),
    ])
    .where(
      'o.id',
      'in',
      items.map((i) => i.id),
    )
    .where(
      sql<boolean>`(EXISTS (SELECT 1 FROM offering_targets t WHERE t.offering_id = o.id AND (
        (t.kind = 'school' AND t.value = s.school_id) OR (t.kind = 'grade' AND t.value = s.grade)
        OR (t.kind = 'class' AND t.value = s.class_id) OR (t.kind = 'student' AND t.value = s.id))))`,
    )
    .execute()

  const eligible = new Map<string, number>()
  const open = new Map<string, Set<string>>() // student → items without an answer
  for (const p of pairs) {
    eligible.set(p.offering_id, (eligible.get(p.offering_id) ?? 0) + 1)
    if (Number(p.answered)) continue
    const set = open.get(p.student_id) ?? new Set<string>()
    set.add(p.offering_id)
    open.set(p.student_id, set)
  }
  const unanswered = new Map<string, number>()
  for (const set of open.values()) for (const o of set) unanswered.set(o, (unanswered.get(o) ?? 0) + 1)

  const studentIds = [...open.keys()]
  const order = new Map(items.map((i, n) => [i.id, n]))
  const children = new Map<string, CallListChild>()
  const links: Array<{ student_id: string; guardian_id: string }> = []
  const guardians = new Map<string, CallListFamily>()
  // SQLite limits the variables of one statement: ask in slices.
  for (let i = 0; i < studentIds.length; i += 500) {
    const slice = studentIds.slice(i, i + 500)
    const [students, rows] = await Promise.all([
      db
        .selectFrom('students as s')
        .innerJoin('schools as sc', 'sc.id', 's.school_id')
        .leftJoin('classes as c', 'c.id', 's.class_id')
        .select(['s.id', 's.first_name', 's.last_name', 's.grade', 'c.name as class_name', 'sc.name as school_name'])
        .where('s.id', 'in', slice)
        .execute(),
      db
        .selectFrom('student_guardians as sg')
        .innerJoin('guardians as g', 'g.id', 'sg.guardian_id')
        .select(['sg.student_id', 'g.id', 'g.first_name', 'g.last_name', 'g.phone', 'g.phone_alt', 'g.email', 'g.preferred_language'])
        .where('sg.student_id', 'in', slice)
        .execute(),
    ])
    for (const s of students) {
      const offeringIds = [...open.get(s.id)!].sort((a, b) => order.get(a)! - order.get(b)!)
      children.set(s.id, { studentId: s.id, firstName: s.first_name, lastName: s.last_name, grade: s.grade, className: s.class_name, schoolName: s.school_name, offeringIds })
    }
    for (const g of rows) {
      links.push({ student_id: g.student_id, guardian_id: g.id })
      if (!guardians.has(g.id)) {
        guardians.set(g.id, { guardianId: g.id, firstName: g.first_name, lastName: g.last_name, phone: g.phone, phoneAlt: g.phone_alt, email: g.email, language: g.preferred_language, children: [] })
      }
    }
  }
  const linked = new Set<string>()
  for (const l of links) {
    guardians.get(l.guardian_id)!.children.push(children.get(l.student_id)!)
    linked.add(l.student_id)
  }
  const families = [...guardians.values()].sort(byName)
  for (const f of families) f.children.sort((a, b) => fold(a.firstName).localeCompare(fold(b.firstName), 'fr-CA') || a.studentId.localeCompare(b.studentId))

  return {
    items: items.map((i) => ({
      offeringId: i.id,
      kind: i.kind,
      titleFr: i.title_fr,
      titleEn: i.title_en,
      deadlineAt: i.deadline_at,
      schoolId: i.school_id,
      schoolName: i.school_name,
      eligible: eligible.get(i.id) ?? 0,
      unanswered: unanswered.get(i.id) ?? 0,
    })),
    families,
    withoutGuardian: [...children.values()].filter((c) => !linked.has(c.studentId)).sort(byName),
  }
}
