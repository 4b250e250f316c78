import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema'
import { familiesToRemind, itemReminders, reminderFate } from '../domain/catalogue'
import { studentAnswered } from './answered'
import { writeAudit } from './audit'
import { newId } from './ids'
import { enqueue } from './outbox'
import { getSetting, setSetting } from './settings'

const SYSTEM = { staffId: null, name: 'Guichet' }
/** When the scheduled work last ran: a deadline passed since then with its reminder unsent was missed. */
const LAST_RUN = 'scheduled.lastRunAt'

export interface ScheduledWorkResult {
  closed: number
  reminders: number
  /** Reminders whose deadline passed while this PC was off, recorded as missed. */
  missed: number
  /** Reminders due but waiting for a pull of the board's feed, to decide from complete data. */
  waiting: number
}

/**
 * What happens by itself as time passes, run every minute by the shell and once at start:
 * an item closes at its deadline (the screens already show it closed from that instant; this
 * makes the row say so and tells the board), and a reminder goes to the families who have not
 * answered, once, when its time comes (late if this PC was off, while its deadline is ahead;
 * recorded as missed otherwise). Each item is its own transaction.
 */
export async function runScheduledWork(db: Kysely<DB>, now: string): Promise<ScheduledWorkResult> {
  const result = { closed: 0, reminders: 0, missed: 0, waiting: 0 }
  const lastRunAt = (await getSetting(db, LAST_RUN)) ?? null

  // Reminders first: an item whose deadline passed while this PC was off is still published
  // here, so its reminder is recorded as missed before the item closes.
  await runReminders(db, now, lastRunAt, result)

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
  await setSetting(db, LAST_RUN, now)
  return result
}

/**
 * Each published item's reminders (a program's one per month of dates: domain/catalogue/
 * reminders.ts) that have come due, sent or recorded as missed, each in its own transaction.
 * The recipients are decided when it goes, from complete data: at a school this PC syncs with
 * the board, only once a pull of the board's feed has finished after the reminder's time, so a
 * payment made online by then counts; until then it waits.
 */
async function runReminders(db: Kysely<DB>, now: string, lastRunAt: string | null, result: ScheduledWorkResult): Promise<void> {
  const candidates = await db
    .selectFrom('offerings as o')
    .innerJoin('schools as s', 's.id', 'o.school_id')
    .leftJoin('sync_state as st', 'st.school_id', 'o.school_id')
    .select(['o.id', 'o.school_id', 'o.kind', 'o.opens_at', 'o.published_at', 'o.deadline_at', 'o.reminder_days_before', 's.time_zone', 'st.last_pull_at'])
    .where('o.status', '=', 'published')
    .where('o.reminder_days_before', '>', 0)
    .$if(lastRunAt !== null, (q) => q.where('o.deadline_at', '>', lastRunAt!))
    .execute()
  if (candidates.length === 0) return
  const synced = await syncedSchools(db)
  const done = await db
    .selectFrom('reminder_runs')
    .select(['offering_id', 'period'])
    .where(
      'offering_id',
      'in',
      candidates.map((c) => c.id),
    )
    .execute()
  const settled = new Set(done.map((r) => `${r.offering_id}|${r.period}`))

  for (const o of candidates) {
    const dates = o.kind === 'program' ? await db.selectFrom('program_dates').select(['date', 'cutoff_at as cutoffAt', 'status']).where('offering_id', '=', o.id).execute() : []
    const periods = itemReminders(
      { kind: o.kind, opensAt: o.opens_at, publishedAt: o.published_at, deadlineAt: o.deadline_at, reminderDaysBefore: o.reminder_days_before, dates },
      { timeZone: o.time_zone },
    )
    for (const p of periods) {
      if (settled.has(`${o.id}|${p.period}`)) continue
      const fate = reminderFate(p, now, lastRunAt)
      if (fate === 'wait' || fate === 'none') continue
      if (fate === 'send' && synced.has(o.school_id) && !(o.last_pull_at && o.last_pull_at >= p.at!)) {
        result.waiting++
        continue
      }
      await db.transaction().execute(async (trx) => {
        const run = { id: newId(), offering_id: o.id, period: p.period, due_at: p.at!, sent_at: now }
        if (fate === 'missed') {
          await trx.insertInto('reminder_runs').values({ ...run, outcome: 'missed', family_count: 0, outbox_id: null }).execute()
          await writeAudit(trx, now, SYSTEM, 'catalogue.reminderMissed', { entity: 'offering', entityId: o.id, detail: { period: p.period || null, dueAt: p.at, deadlineAt: p.deadlineAt } })
          result.missed++
          return
        }
        const guardians = await familiesNotAnswered(trx, o.id, p.period)
        // The board sends the emails; an empty reminder is still recorded, so it is not retried.
        const outboxId = guardians.length
          ? await enqueue(trx, now, {
              schoolId: o.school_id,
              type: 'notification.request',
              entityId: o.id,
              data: { offeringId: o.id, kind: 'reminder', guardianIds: guardians, ...(p.period ? { period: p.period } : {}) },
            })
          : null
        await trx.insertInto('reminder_runs').values({ ...run, family_count: guardians.length, outbox_id: outboxId }).execute()
        await writeAudit(trx, now, SYSTEM, 'catalogue.reminder', { entity: 'offering', entityId: o.id, detail: { families: guardians.length, ...(p.period ? { period: p.period } : {}) } })
        result.reminders++
      })
    }
  }
}

/** The schools this PC is enrolled to sync with the board. */
async function syncedSchools(db: Kysely<DB>): Promise<Set<string>> {
  const raw = await getSetting(db, 'sync.enrolment')
  if (!raw) return new Set()
  const enrolment = JSON.parse(raw) as { status?: string; schools?: Array<{ id: string }> }
  return new Set((enrolment.schools ?? []).map((s) => s.id))
}

/** The guardians of every eligible student who has not answered (services/answered.ts), each once. */
async function familiesNotAnswered(db: Kysely<DB>, offeringId: string, period: string): Promise<string[]> {
  const offering = await db.selectFrom('offerings').select('school_id').where('id', '=', offeringId).executeTakeFirstOrThrow()
  const eligible = await eligibleStudents(db, offeringId, offering.school_id)
  const answered = await db
    .selectFrom('offerings as o')
    .innerJoin('students as s', 's.school_id', 'o.school_id')
    .select('s.id')
    .where('o.id', '=', offeringId)
    .where(studentAnswered(sql<string>`${period}`))
    .execute()
  const links = await db.selectFrom('student_guardians').select(['student_id', 'guardian_id']).where('student_id', 'in', eligible.length ? eligible : ['']).orderBy('guardian_id').execute()
  const byStudent = new Map<string, string[]>()
  for (const l of links) byStudent.set(l.student_id, [...(byStudent.get(l.student_id) ?? []), l.guardian_id])
  return familiesToRemind(
    eligible,
    answered.map((a) => a.id),
    byStudent,
  )
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
