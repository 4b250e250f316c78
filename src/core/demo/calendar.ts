/**
 * School dates for the demo board: 'YYYY-MM-DD' strings in the school's zone (America/Toronto),
 * instants as epoch milliseconds, and the Ontario school year with its holidays and PD days.
 * No date library: local dates are counted as UTC days, and the zone's offset comes from Intl.
 */

export const TIME_ZONE = 'America/Toronto'
export const DAY_MS = 86_400_000

export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)))
}

export function fromDayNumber(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days * DAY_MS)
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(dayNumber(date)).getUTCDay()
}

export function ymd(year: number, month: number, day: number): string {
  return fromDayNumber(Date.UTC(year, month - 1, day))
}

export function daysBetween(from: string, to: string): number {
  return Math.round((dayNumber(to) - dayNumber(from)) / DAY_MS)
}

/** The n-th given weekday (0 = Sunday) of a month; n = 1 is the first. */
export function nthWeekday(year: number, month: number, wd: number, n: number): string {
  const first = ymd(year, month, 1)
  const shift = (wd - weekday(first) + 7) % 7
  return addDays(first, shift + (n - 1) * 7)
}

export function lastWeekdayOnOrBefore(date: string, wd: number): string {
  return addDays(date, -((weekday(date) - wd + 7) % 7))
}

export function firstWeekdayOnOrAfter(date: string, wd: number): string {
  return addDays(date, (wd - weekday(date) + 7) % 7)
}

/** Easter Sunday (Gregorian), by the anonymous algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return ymd(year, month, day)
}

// ---- the zone ---------------------------------------------------------------------------

const zoneFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

interface LocalParts {
  date: string
  hour: number
  minute: number
}

function localParts(ms: number): LocalParts & { second: number } {
  const p: Record<string, string> = {}
  for (const part of zoneFormat.formatToParts(new Date(ms))) p[part.type] = part.value
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  }
}

/** The zone's offset from UTC at an instant, in ms (Toronto: -4 h in summer, -5 h in winter). */
export function zoneOffsetMs(ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000
  const l = localParts(whole)
  const asUtc = dayNumber(l.date) + ((l.hour * 60 + l.minute) * 60 + l.second) * 1000
  return asUtc - whole
}

const offsetByDate = new Map<string, number>()

/**
 * The instant of a local wall-clock time in Toronto. The offset is taken at 04:00 and checked
 * again at the result, which is right on both sides of a DST change (changes happen at 02:00).
 */
export function localToUtc(date: string, hour: number, minute = 0, second = 0): number {
  const wall = dayNumber(date) + ((hour * 60 + minute) * 60 + second) * 1000
  let off = offsetByDate.get(date)
  if (off === undefined) {
    off = zoneOffsetMs(dayNumber(date) + 9 * 3_600_000)
    offsetByDate.set(date, off)
  }
  if (hour >= 4) return wall - off
  const first = wall - zoneOffsetMs(wall)
  return wall - zoneOffsetMs(first)
}

/** The local (Toronto) date of an instant. */
export function localDate(ms: number): string {
  return localParts(ms).date
}

export function localTime(ms: number): LocalParts {
  const { date, hour, minute } = localParts(ms)
  return { date, hour, minute }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString()
}

// ---- the Ontario school year ------------------------------------------------------------------

export interface DayOff {
  date: string
  kind: 'holiday' | 'pd_day'
  labelFr: string
  labelEn: string
}

export interface SchoolYear {
  label: string
  startYear: number
  /** The first school day: the Tuesday after Labour Day. */
  startsOn: string
  /** The last school day: the last weekday on or before June 26. */
  endsOn: string
  daysOff: DayOff[]
  /** The weekdays of the year that are not in daysOff, in order. */
  schoolDays: string[]
}

/** The school year that contains a local date; in July and August, the coming one. */
export function schoolYearOf(date: string): SchoolYear {
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  return schoolYear(month >= 7 ? year : year - 1)
}

export function schoolYear(startYear: number): SchoolYear {
  const next = startYear + 1
  const labourDay = nthWeekday(startYear, 9, 1, 1)
  const startsOn = addDays(labourDay, 1)
  let endsOn = ymd(next, 6, 26)
  while (weekday(endsOn) === 0 || weekday(endsOn) === 6) endsOn = addDays(endsOn, -1)

  const off = new Map<string, DayOff>()
  const add = (date: string, kind: DayOff['kind'], labelFr: string, labelEn: string): void => {
    if (date < startsOn || date > endsOn || off.has(date) || weekday(date) === 0 || weekday(date) === 6) return
    off.set(date, { date, kind, labelFr, labelEn })
  }
  const holiday = (date: string, fr: string, en: string): void => add(date, 'holiday', fr, en)
  const week = (monday: string, fr: string, en: string): void => {
    for (let i = 0; i < 5; i++) holiday(addDays(monday, i), fr, en)
  }

  const thanksgiving = nthWeekday(startYear, 10, 1, 2)
  holiday(thanksgiving, 'Action de grâce', 'Thanksgiving')
  const winterBreak = firstWeekdayOnOrAfter(ymd(startYear, 12, 19), 1)
  week(winterBreak, 'Vacances des Fêtes', 'Winter break')
  week(addDays(winterBreak, 7), 'Vacances des Fêtes', 'Winter break')
  holiday(nthWeekday(next, 2, 1, 3), 'Jour de la Famille', 'Family Day')
  const marchBreak = addDays(nthWeekday(next, 3, 5, 2), 3)
  week(marchBreak, 'Congé de mars', 'March Break')
  const easter = easterSunday(next)
  holiday(addDays(easter, -2), 'Vendredi saint', 'Good Friday')
  holiday(addDays(easter, 1), 'Lundi de Pâques', 'Easter Monday')
  holiday(lastWeekdayOnOrBefore(ymd(next, 5, 24), 1), 'Fête de Victoria', 'Victoria Day')

  // Journées pédagogiques: the board's usual pattern, moved a week when a holiday is taken.
  const pd = (date: string, fr = 'Journée pédagogique (congé pour les élèves)', en = 'PD Day (no school for students)'): void => {
    let d = date
    while (off.has(d)) d = addDays(d, 7)
    add(d, 'pd_day', fr, en)
  }
  pd(lastWeekdayOnOrBefore(ymd(startYear, 9, 30), 5))
  pd(addDays(thanksgiving, -3))
  pd(nthWeekday(startYear, 11, 5, 3), 'Journée pédagogique — bulletins de progrès', 'PD Day — progress reports')
  pd(lastWeekdayOnOrBefore(ymd(next, 1, 31), 5), 'Journée pédagogique — fin de la première étape', 'PD Day — end of first term')
  pd(nthWeekday(next, 4, 1, 4))
  pd(nthWeekday(next, 6, 5, 1))

  const daysOff = [...off.values()].sort((a, b) => (a.date < b.date ? -1 : 1))
  const schoolDays: string[] = []
  for (let d = startsOn; d <= endsOn; d = addDays(d, 1)) {
    const wd = weekday(d)
    if (wd !== 0 && wd !== 6 && !off.has(d)) schoolDays.push(d)
  }
  return { label: `${startYear}-${next}`, startYear, startsOn, endsOn, daysOff, schoolDays }
}
