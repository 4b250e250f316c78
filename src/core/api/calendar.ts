import type { Kysely } from 'kysely'
import type { CalendarView } from '../../shared/contract/catalogue'
import { GuichetError } from '../../shared/errors'
import type { DB } from '../db/schema'
import { localDateOf, parseCalendarFile, type DayOff } from '../domain/catalogue'
import { translateCode } from '../i18n'
import { schoolYearFor, timeZoneOf } from '../services/school-calendar'
import { newId } from '../services/ids'
import type { Handlers } from './types'

async function view(db: Kysely<DB>, schoolId: string, today: string): Promise<CalendarView> {
  const timeZone = await timeZoneOf(db, schoolId)
  const year = await schoolYearFor(db, schoolId, today)
  const days = year
    ? await db
        .selectFrom('calendar_days')
        .selectAll()
        .where('school_id', '=', schoolId)
        .where('date', '>=', year.starts_on)
        .where('date', '<=', year.ends_on)
        .orderBy('date')
        .execute()
    : []
  return {
    schoolId,
    timeZone,
    year: year ? { label: year.label, startsOn: year.starts_on, endsOn: year.ends_on } : null,
    daysOff: days.map((d) => ({ date: d.date, kind: d.kind, labelFr: d.label_fr, labelEn: d.label_en })),
  }
}

/** What a calendar file would do to the stored days off of its school year. */
async function readFile(db: Kysely<DB>, schoolId: string, text: string, today: string) {
  const year = await schoolYearFor(db, schoolId, today)
  if (!year) throw new GuichetError('NO_SCHOOL_YEAR')
  const parsed = parseCalendarFile(text, { year: { startsOn: year.starts_on, endsOn: year.ends_on } })
  const stored = new Map(
    (await db.selectFrom('calendar_days').selectAll().where('school_id', '=', schoolId).execute()).map((d) => [d.date, d]),
  )
  let added = 0
  let changed = 0
  let unchanged = 0
  for (const day of parsed.days) {
    const before = stored.get(day.date)
    if (!before) added++
    else if (before.kind !== day.kind || before.label_fr !== day.labelFr || (before.label_en ?? null) !== (day.labelEn ?? null)) changed++
    else unchanged++
  }
  return { parsed, added, changed, unchanged }
}

async function upsertDay(db: Kysely<DB>, schoolId: string, day: DayOff): Promise<void> {
  const values = { kind: day.kind, label_fr: day.labelFr, label_en: day.labelEn ?? null }
  await db
    .insertInto('calendar_days')
    .values({ school_id: schoolId, date: day.date, ...values })
    .onConflict((oc) => oc.columns(['school_id', 'date']).doUpdateSet(values))
    .execute()
}

const today = (now: string) => localDateOf(now, 'America/Toronto')

export const calendarHandlers: Handlers<'calendar.get' | 'calendar.setYear' | 'calendar.setDay' | 'calendar.removeDay' | 'calendar.previewImport' | 'calendar.import'> = {
  async 'calendar.get'({ schoolId }, ctx) {
    return view(ctx.db, schoolId, today(ctx.now))
  },

  async 'calendar.setYear'({ schoolId, label, startsOn, endsOn }, ctx) {
    if (endsOn <= startsOn) throw new GuichetError('INVALID_INPUT', {}, [{ path: 'endsOn', key: 'calendar.yearEndsBeforeStart' }])
    const before = await ctx.db.selectFrom('school_years').selectAll().where('school_id', '=', schoolId).where('label', '=', label).executeTakeFirst()
    if (before) await ctx.db.updateTable('school_years').set({ starts_on: startsOn, ends_on: endsOn }).where('id', '=', before.id).execute()
    else await ctx.db.insertInto('school_years').values({ id: newId(), school_id: schoolId, label, starts_on: startsOn, ends_on: endsOn }).execute()
    ctx.audit({ entity: 'school_year', entityId: `${schoolId}/${label}`, before: before ?? null, after: { startsOn, endsOn } })
    return view(ctx.db, schoolId, startsOn)
  },

  async 'calendar.setDay'({ schoolId, day }, ctx) {
    await timeZoneOf(ctx.db, schoolId)
    const before = await ctx.db.selectFrom('calendar_days').selectAll().where('school_id', '=', schoolId).where('date', '=', day.date).executeTakeFirst()
    await upsertDay(ctx.db, schoolId, day)
    ctx.audit({ entity: 'calendar_day', entityId: `${schoolId}/${day.date}`, before: before ?? null, after: day })
    return view(ctx.db, schoolId, day.date)
  },

  async 'calendar.removeDay'({ schoolId, date }, ctx) {
    const before = await ctx.db.selectFrom('calendar_days').selectAll().where('school_id', '=', schoolId).where('date', '=', date).executeTakeFirst()
    if (!before) throw new GuichetError('NOT_FOUND', { what: 'calendarDay' })
    await ctx.db.deleteFrom('calendar_days').where('school_id', '=', schoolId).where('date', '=', date).execute()
    ctx.audit({ entity: 'calendar_day', entityId: `${schoolId}/${date}`, before, after: null })
    return view(ctx.db, schoolId, date)
  },

  async 'calendar.previewImport'({ schoolId, text }, ctx) {
    const { parsed, added, changed, unchanged } = await readFile(ctx.db, schoolId, text, today(ctx.now))
    return {
      ok: parsed.ok,
      added,
      changed,
      unchanged,
      errors: parsed.errors.map((e) => ({ line: e.line, fatal: e.fatal, message: translateCode(ctx.locale, e.code, e.values) })),
    }
  },

  async 'calendar.import'({ schoolId, text }, ctx) {
    const { parsed, added, changed } = await readFile(ctx.db, schoolId, text, today(ctx.now))
    if (!parsed.ok) {
      throw new GuichetError('IMPORT_FAILED', {}, parsed.errors.filter((e) => e.fatal).map((e) => ({ path: `line.${e.line}`, key: e.code, values: e.values })))
    }
    for (const day of parsed.days) await upsertDay(ctx.db, schoolId, day)
    ctx.audit({ entity: 'calendar', entityId: schoolId, detail: { imported: parsed.days.length, added, changed } })
    return view(ctx.db, schoolId, today(ctx.now))
  },
}
