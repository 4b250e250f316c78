import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema'
import { familiesToRemind, reminderAt } from '../domain/catalogue'
import { writeAudit } from './audit'
import { newId } from './ids'
import { enqueue } from './outbox'

const SYSTEM = { staffId: null, name: 'Guichet' }

export interface ScheduledWorkResult {
  closed: number
  reminders: number
}

/**
 * What happens by itself as time passes, run every minute by the shell and once at start:
 * an item closes at its deadline (the screens already show it closed from that instant; this
 * makes the row say so and tells the board), and a reminder goes to the families who have not
 * answered, once, when its time comes. Each item is its own transaction.
 */
export async function runScheduledWork(db: Kysely<DB>, now: string): Promise<ScheduledWorkResult> {
  const result = { closed: 0, reminders: 0 }

  const due = await db.selectFrom('offerings').select(['id', 'school_id', 'version', 'published_at']).where('status', '=', 'published').where('deadline_at', '<=', now).execute()
  for (const o of due) {
    await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('offerings')
        .set({ status: 'closed', version: o.version + 1, updated_at: now })
        .where('id', '=', o.id)
        .where('version', '=', o.version)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) === 0) return
      if (o.published_at) await enqueue(trx, now, { schoolId: o.school_id, type: 'offering.close', entityId: o.id, baseVersion: o.version, data: { id: o.id } })
      await writeAudit(trx, now, SYSTEM, 'catalogue.autoClose', { entity: 'offering', entityId: o.id, before: { status: 'published' }, after: { status: 'closed' } })
      result.closed++
    })
  }

  const open = await db
    .selectFrom('offerings as o')
    .innerJoin('schools as s', 's.id', 'o.school_id')
    .select(['o.id', 'o.school_id', 'o.kind', 'o.opens_at', 'o.deadline_at', 'o.reminder_days_before', 's.time_zone'])
    .where('o.status', '=', 'published')
    .where('o.deadline_at', '>', now)
    .where('o.reminder_days_before', '>', 0)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('reminder_runs as r').select('r.id').whereRef('r.offering_id', '=', 'o.id'))))
    .execute()
  for (const o of open) {
    const at = reminderAt(o.deadline_at, o.reminder_days_before, { timeZone: o.time_zone }, o.opens_at)
    if (!at || at > now) continue
    await db.transaction().execute(async (trx) => {
      const eligible = await eligibleStudents(trx, o.id, o.school_id)
      const answered = await answeredStudents(trx, o.id, o.kind)
      const links = await trx.selectFrom('student_guardians').select(['student_id', 'guardian_id']).where('student_id', 'in', eligible.length ? eligible : ['']).execute()
      const byStudent = new Map<string, string[]>()
      for (const l of links) byStudent.set(l.student_id, [...(byStudent.get(l.student_id) ?? []), l.guardian_id])
      const guardians = familiesToRemind(eligible, answered, byStudent)
      // The board sends the emails; an empty reminder is still recorded, so it is not retried.
      const outboxId = guardians.length
        ? await enqueue(trx, now, { schoolId: o.school_id, type: 'notification.request', entityId: o.id, data: { offeringId: o.id, kind: 'reminder', guardianIds: guardians } })
        : null
      await trx.insertInto('reminder_runs').values({ id: newId(), offering_id: o.id, sent_at: now, family_count: guardians.length, outbox_id: outboxId }).execute()
      await writeAudit(trx, now, SYSTEM, 'catalogue.reminder', { entity: 'offering', entityId: o.id, detail: { families: guardians.length } })
      result.reminders++
    })
  }
  return result
}

async function eligibleStudents(db: Kysely<DB>, offeringId: string, schoolId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('students as s')
    .select('s.id')
    .where('s.school_id', '=', schoolId)
    .where('s.status', '=', 'active')
    .where(
      sql<boolean>`EXISTS (SELECT 1 FROM offering_targets t WHERE t.offering_id = ${offeringId} AND (
        (t.kind = 'school' AND t.value = s.school_id) OR (t.kind = 'grade' AND t.value = s.grade)
        OR (t.kind = 'class' AND t.value = s.class_id) OR (t.kind = 'student' AND t.value = s.id)))`,
    )
    .orderBy('s.id')
    .execute()
  return rows.map((r) => r.id)
}

/** Answered: a current consent decision for outings and forms; anything ordered otherwise. */
async function answeredStudents(db: Kysely<DB>, offeringId: string, kind: string): Promise<Set<string>> {
  const rows =
    kind === 'outing' || kind === 'consent_form'
      ? await db.selectFrom('consents').select('student_id').distinct().where('offering_id', '=', offeringId).execute()
      : await db.selectFrom('order_lines').select('student_id').distinct().where('offering_id', '=', offeringId).execute()
  return new Set(rows.map((r) => r.student_id))
}
