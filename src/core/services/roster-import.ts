import type { Kysely } from 'kysely'
import type { DB } from '../db/schema'
import { gradeRank } from '../domain/grades'
import type { RosterBundle } from '../domain/roster/oneroster'
import { searchKey } from '../domain/search-key'
import { newId } from './ids'

export interface Tally {
  added: number
  updated: number
  unchanged: number
}
export interface RosterImportSummary {
  schools: Tally
  classes: Tally
  students: Tally & { withdrawn: number }
  guardians: Tally
  links: { added: number; removed: number }
}

const tally = (): Tally => ({ added: 0, updated: 0, unchanged: 0 })

/**
 * Brings the local roster in line with a bundle, matching rows by the board's ids
 * (`source_id`). Nothing is deleted: a student missing from a bulk bundle of their school is
 * withdrawn (money and consents may point at them). `apply: false` counts without writing,
 * which is the preview; the caller runs both inside one transaction. Applying raises the roster
 * alerts (migration 0012's triggers on students and guardians); a preview writes none.
 */
export async function importRoster(db: Kysely<DB>, bundle: RosterBundle, now: string, apply: boolean): Promise<RosterImportSummary> {
  const summary: RosterImportSummary = { schools: tally(), classes: tally(), students: { ...tally(), withdrawn: 0 }, guardians: tally(), links: { added: 0, removed: 0 } }

  const schoolId = new Map<string, string>()
  for (const s of bundle.schools) {
    const existing =
      (await db.selectFrom('schools').selectAll().where('source_id', '=', s.sourceId).executeTakeFirst()) ??
      (await db.selectFrom('schools').selectAll().where('code', '=', s.code).executeTakeFirst())
    if (!existing) {
      const id = newId()
      schoolId.set(s.sourceId, id)
      summary.schools.added++
      if (apply) await db.insertInto('schools').values({ id, source_id: s.sourceId, code: s.code, name: s.name, phone: null, address: null }).execute()
    } else {
      schoolId.set(s.sourceId, existing.id)
      const same = existing.name === s.name && existing.source_id === s.sourceId
      summary.schools[same ? 'unchanged' : 'updated']++
      if (apply && !same) await db.updateTable('schools').set({ name: s.name, source_id: s.sourceId }).where('id', '=', existing.id).execute()
    }
  }

  const classId = new Map<string, string>()
  for (const c of bundle.classes) {
    const school = schoolId.get(c.schoolSourceId)!
    const existing =
      (await db.selectFrom('classes').selectAll().where('source_id', '=', c.sourceId).executeTakeFirst()) ??
      (await db.selectFrom('classes').selectAll().where('school_id', '=', school).where('code', '=', c.code).executeTakeFirst())
    const values = { school_id: school, code: c.code, name: c.name, teacher: c.teacher, source_id: c.sourceId }
    if (!existing) {
      const id = newId()
      classId.set(c.sourceId, id)
      summary.classes.added++
      if (apply) await db.insertInto('classes').values({ id, ...values }).execute()
    } else {
      classId.set(c.sourceId, existing.id)
      const same = existing.name === c.name && existing.teacher === c.teacher && existing.code === c.code && existing.source_id === c.sourceId
      summary.classes[same ? 'unchanged' : 'updated']++
      if (apply && !same) await db.updateTable('classes').set(values).where('id', '=', existing.id).execute()
    }
  }

  const studentId = new Map<string, string>()
  for (const s of bundle.students) {
    const existing = await db.selectFrom('students').selectAll().where('source_id', '=', s.sourceId).executeTakeFirst()
    const values = {
      school_id: schoolId.get(s.schoolSourceId)!,
      class_id: s.classSourceId ? (classId.get(s.classSourceId) ?? null) : null,
      first_name: s.firstName,
      last_name: s.lastName,
      search_key: searchKey(s.firstName, s.lastName),
      grade: s.grade,
      grade_rank: gradeRank(s.grade),
      status: s.active ? ('active' as const) : ('withdrawn' as const),
      birth_date: s.birthDate,
    }
    if (!existing) {
      const id = newId()
      studentId.set(s.sourceId, id)
      summary.students.added++
      if (apply) await db.insertInto('students').values({ id, source_id: s.sourceId, ...values, updated_at: now }).execute()
    } else {
      studentId.set(s.sourceId, existing.id)
      const same = (Object.keys(values) as Array<keyof typeof values>).every((k) => existing[k] === values[k])
      summary.students[same ? 'unchanged' : 'updated']++
      if (apply && !same) await db.updateTable('students').set({ ...values, version: existing.version + 1, updated_at: now }).where('id', '=', existing.id).execute()
    }
  }

  if (bundle.mode === 'bulk') {
    const inBundle = new Set(bundle.students.map((s) => s.sourceId))
    const schools = [...new Set(bundle.students.map((s) => schoolId.get(s.schoolSourceId)!))]
    const gone = schools.length
      ? (await db.selectFrom('students').select(['id', 'source_id', 'version']).where('school_id', 'in', schools).where('status', '=', 'active').where('source_id', 'is not', null).execute()).filter(
          (s) => !inBundle.has(s.source_id!),
        )
      : []
    summary.students.withdrawn = gone.length
    if (apply) for (const s of gone) await db.updateTable('students').set({ status: 'withdrawn', version: s.version + 1, updated_at: now }).where('id', '=', s.id).execute()
  }

  const guardianId = new Map<string, string>()
  for (const g of bundle.guardians) {
    const existing = await db.selectFrom('guardians').selectAll().where('source_id', '=', g.sourceId).executeTakeFirst()
    const values = { first_name: g.firstName, last_name: g.lastName, search_key: searchKey(g.firstName, g.lastName), email: g.email, phone: g.phone, phone_alt: g.phoneAlt }
    if (!existing) {
      const id = newId()
      guardianId.set(g.sourceId, id)
      summary.guardians.added++
      if (apply) await db.insertInto('guardians').values({ id, source_id: g.sourceId, ...values, updated_at: now }).execute()
    } else {
      guardianId.set(g.sourceId, existing.id)
      const same = (Object.keys(values) as Array<keyof typeof values>).every((k) => existing[k] === values[k])
      summary.guardians[same ? 'unchanged' : 'updated']++
      // A new email address is a fresh start: a past bounce no longer applies.
      const bounce = existing.email !== g.email ? { email_bounced_at: null } : {}
      if (apply && !same) await db.updateTable('guardians').set({ ...values, ...bounce, version: existing.version + 1, updated_at: now }).where('id', '=', existing.id).execute()
    }
  }

  // Links of the students in the bundle follow the bundle; others are left as they are.
  for (const s of bundle.students) {
    const sid = studentId.get(s.sourceId)!
    const wanted = bundle.links.filter((l) => l.studentSourceId === s.sourceId)
    const current = await db.selectFrom('student_guardians').select('guardian_id').where('student_id', '=', sid).execute()
    const currentIds = new Set(current.map((c) => c.guardian_id))
    const wantedIds = new Set(wanted.map((l) => guardianId.get(l.guardianSourceId)!))
    for (const l of wanted) {
      const gid = guardianId.get(l.guardianSourceId)!
      if (currentIds.has(gid)) continue
      summary.links.added++
      if (apply) await db.insertInto('student_guardians').values({ student_id: sid, guardian_id: gid, relationship: l.relationship }).execute()
    }
    if (bundle.mode === 'bulk') {
      for (const gid of currentIds) {
        if (wantedIds.has(gid)) continue
        summary.links.removed++
        if (apply) await db.deleteFrom('student_guardians').where('student_id', '=', sid).where('guardian_id', '=', gid).execute()
      }
    }
  }
  return summary
}
