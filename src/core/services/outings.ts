import { sql, type Kysely } from 'kysely'
import type { DB, Grade } from '../db/schema'
import { localDateOf } from '../domain/catalogue'
import type { Bus, CapacityInput, ConsentRow, OutingPlan, OutingStudent, PaymentState, RatioBand } from '../domain/outings'
import { GuichetError } from '../../shared/errors'
import { timeZoneOf } from './school-calendar'
import { LINE_HELD } from './held-lines'

export interface OutingRecord {
  offeringId: string
  schoolId: string
  schoolName: string
  status: string
  titleFr: string
  titleEn: string | null
  deadlineAt: string
  startsOn: string
  endsOn: string
  startTime: string | null
  endTime: string | null
  destination: string
  priceCents: number
  busCount: number
  seatsPerBus: number
  staffCount: number
  venueLimit: number | null
  chaperoneRatio: number | null
  bands: { grades: Grade[]; studentsPerAdult: number }[]
  chaperones: { id: string; name: string; phone: string | null; policeCheckExpiresOn: string | null }[]
  timeZone: string
}

export interface StudentInfo extends OutingStudent {
  firstName: string
  lastName: string
  className: string | null
  medicalAlert: string | null
}

/** An outing as the capacity engine and the screens need it, read in the caller's transaction. */
export interface LoadedOuting {
  outing: OutingRecord
  students: StudentInfo[]
  input: CapacityInput
}

export async function outingRecord(db: Kysely<DB>, offeringId: string): Promise<OutingRecord> {
  const row = await db
    .selectFrom('offerings as o')
    .innerJoin('outings as t', 't.offering_id', 'o.id')
    .innerJoin('schools as s', 's.id', 'o.school_id')
    .select([
      'o.id',
      'o.school_id',
      's.name as school_name',
      'o.status',
      'o.title_fr',
      'o.title_en',
      'o.deadline_at',
      'o.price_cents',
      't.starts_on',
      't.ends_on',
      't.start_time',
      't.end_time',
      't.destination',
      't.bus_count',
      't.seats_per_bus',
      't.staff_count',
      't.venue_limit',
      't.chaperone_ratio',
    ])
    .where('o.id', '=', offeringId)
    .executeTakeFirst()
  if (!row) throw new GuichetError('NOT_FOUND', { what: 'outing' })
  const [bands, chaperones, timeZone] = await Promise.all([
    db.selectFrom('outing_ratio_bands').selectAll().where('offering_id', '=', offeringId).orderBy('sort').execute(),
    db.selectFrom('outing_chaperones').selectAll().where('offering_id', '=', offeringId).where('removed_at', 'is', null).orderBy('added_at').orderBy('id').execute(),
    timeZoneOf(db, row.school_id),
  ])
  return {
    offeringId: row.id,
    schoolId: row.school_id,
    schoolName: row.school_name,
    status: row.status,
    titleFr: row.title_fr,
    titleEn: row.title_en,
    deadlineAt: row.deadline_at,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    startTime: row.start_time,
    endTime: row.end_time,
    destination: row.destination,
    priceCents: row.price_cents,
    busCount: row.bus_count,
    seatsPerBus: row.seats_per_bus,
    staffCount: row.staff_count,
    venueLimit: row.venue_limit,
    chaperoneRatio: row.chaperone_ratio,
    bands: bands.map((b) => ({ grades: b.grades.split(',') as Grade[], studentsPerAdult: b.students_per_adult })),
    chaperones: chaperones.map((c) => ({ id: c.id, name: c.name, phone: c.phone, policeCheckExpiresOn: c.police_check_expires_on })),
    timeZone,
  }
}

/** The buses of a plan: `count` buses of the same size, named in order. */
export function busesOf(count: number, seats: number): Bus[] {
  return Array.from({ length: count }, (_, i) => ({ id: `bus-${i + 1}`, seats, label: String(i + 1) }))
}

/**
 * The ratio bands: the outing's own, or one band of every grade present among the eligible
 * students at the outing's single ratio (none when no ratio is set: the engine says so).
 */
export function ratiosOf(outing: Pick<OutingRecord, 'bands' | 'chaperoneRatio'>, students: readonly OutingStudent[]): RatioBand[] {
  if (outing.bands.length) return outing.bands
  if (outing.chaperoneRatio === null) return []
  const grades = [...new Set(students.map((s) => s.grade))]
  return grades.length ? [{ grades, studentsPerAdult: outing.chaperoneRatio }] : []
}

export function planOf(outing: OutingRecord, students: readonly OutingStudent[]): OutingPlan {
  return {
    date: outing.startsOn,
    endDate: outing.endsOn,
    buses: busesOf(outing.busCount, outing.seatsPerBus),
    staffCount: outing.staffCount,
    chaperones: outing.chaperones.map((c) => ({ id: c.id, name: c.name, policeCheckExpiresOn: c.policeCheckExpiresOn })),
    ratios: ratiosOf(outing, students),
    venueLimit: outing.venueLimit,
    costCents: outing.priceCents,
  }
}

export async function eligibleStudents(db: Kysely<DB>, offeringId: string, schoolId: string): Promise<StudentInfo[]> {
  const rows = await db
    .selectFrom('students as s')
    .leftJoin('classes as c', 'c.id', 's.class_id')
    .select(['s.id', 's.first_name', 's.last_name', 's.grade', 's.class_id', 'c.name as class_name', 's.medical_alert'])
    .where('s.school_id', '=', schoolId)
    .where('s.status', '=', 'active')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('offering_targets as t')
          .select(sql`1`.as('one'))
          .where('t.offering_id', '=', offeringId)
          .where(
            sql<boolean>`((t.kind = 'school' AND t.value = s.school_id) OR (t.kind = 'grade' AND t.value = s.grade) OR (t.kind = 'class' AND t.value = s.class_id) OR (t.kind = 'student' AND t.value = s.id))`,
          ),
      ),
    )
    .orderBy('c.name')
    .orderBy(sql`fold(s.last_name)`)
    .orderBy(sql`fold(s.first_name)`)
    .execute()
  return rows.map((r) => ({ id: r.id, firstName: r.first_name, lastName: r.last_name, grade: r.grade, classId: r.class_id, className: r.class_name, medicalAlert: r.medical_alert }))
}

/** Per student: paid by card (a paid line not refunded, its payment not voided), waived (waivers cover the cost), or unpaid. */
export async function paymentStates(db: Kysely<DB>, offeringId: string, priceCents: number): Promise<Record<string, PaymentState>> {
  const [paid, waived] = await Promise.all([
    db
      .selectFrom('order_lines as l')
      .select('l.student_id')
      .distinct()
      .where('l.offering_id', '=', offeringId)
      .where(LINE_HELD)
      .execute(),
    db
      .selectFrom('waivers')
      .select((eb) => ['student_id', eb.fn.sum<number>('amount_cents').as('cents')])
      .where('offering_id', '=', offeringId)
      .groupBy('student_id')
      .execute(),
  ])
  const states: Record<string, PaymentState> = {}
  for (const w of waived) if (Number(w.cents) >= priceCents) states[w.student_id] = 'waived'
  for (const p of paid) if (p.student_id) states[p.student_id] = 'paid'
  return states
}

export async function consentRows(db: Kysely<DB>, offeringId: string): Promise<ConsentRow[]> {
  const rows = await db.selectFrom('consents').select(['id', 'student_id', 'decision', 'recorded_at']).where('offering_id', '=', offeringId).execute()
  return rows.map((r) => ({ id: r.id, studentId: r.student_id, decision: r.decision, recordedAt: r.recorded_at }))
}

export async function loadOuting(db: Kysely<DB>, offeringId: string, now: string): Promise<LoadedOuting> {
  const outing = await outingRecord(db, offeringId)
  const [students, consents, payments] = await Promise.all([
    eligibleStudents(db, offeringId, outing.schoolId),
    consentRows(db, offeringId),
    paymentStates(db, offeringId, outing.priceCents),
  ])
  const eligible = new Set(students.map((s) => s.id))
  return {
    outing,
    students,
    input: {
      plan: planOf(outing, students),
      students: students.map(({ id, grade, classId }) => ({ id, grade, classId })),
      // A consent of a student who is no longer eligible (changed school) holds no seat.
      consents: consents.filter((c) => eligible.has(c.studentId)),
      payments,
      today: localDateOf(now, outing.timeZone),
    },
  }
}
