import type { Kysely } from 'kysely'
import { GuichetError } from '../../shared/errors'
import { createSchoolCalendar, type SchoolCalendar } from '../domain/catalogue'
import type { DB } from '../db/schema'

export interface SchoolYearRow {
  id: string
  label: string
  starts_on: string
  ends_on: string
}

/** The school year a date falls in; the latest year before it otherwise; else the first. */
export async function schoolYearFor(db: Kysely<DB>, schoolId: string, date?: string): Promise<SchoolYearRow | undefined> {
  const years = await db.selectFrom('school_years').select(['id', 'label', 'starts_on', 'ends_on']).where('school_id', '=', schoolId).orderBy('starts_on').execute()
  if (!date) return years.at(-1)
  return years.find((y) => y.starts_on <= date && date <= y.ends_on) ?? years.filter((y) => y.starts_on <= date).at(-1) ?? years[0]
}

export async function timeZoneOf(db: Kysely<DB>, schoolId: string): Promise<string> {
  const school = await db.selectFrom('schools').select('time_zone').where('id', '=', schoolId).executeTakeFirst()
  if (!school) throw new GuichetError('NOT_FOUND', { what: 'school' })
  return school.time_zone
}

/** The school's calendar for the year around `date` (today's by default), days off included. */
export async function loadCalendar(db: Kysely<DB>, schoolId: string, date: string): Promise<SchoolCalendar & { label: string }> {
  const timeZone = await timeZoneOf(db, schoolId)
  const year = await schoolYearFor(db, schoolId, date)
  if (!year) throw new GuichetError('NO_SCHOOL_YEAR')
  const days = await db
    .selectFrom('calendar_days')
    .select(['date', 'kind', 'label_fr', 'label_en'])
    .where('school_id', '=', schoolId)
    .where('date', '>=', year.starts_on)
    .where('date', '<=', year.ends_on)
    .execute()
  return {
    ...createSchoolCalendar(
      timeZone,
      { startsOn: year.starts_on, endsOn: year.ends_on },
      days.map((d) => ({ date: d.date, kind: d.kind, labelFr: d.label_fr, labelEn: d.label_en ?? undefined })),
    ),
    label: year.label,
  }
}
