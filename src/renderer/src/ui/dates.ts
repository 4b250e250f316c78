import type { Locale } from '../../../shared/i18n'

/** The school's time zone: deadlines are shown as the office lives them. */
const SCHOOL_TIME_ZONE = 'America/Toronto'

/** An instant split in two for narrow columns: the day ("8 déc. 2026") and the time ("23 h 59"). */
export function dayAndTime(iso: string, locale: Locale): { day: string; time: string } {
  const date = new Date(iso)
  return {
    day: new Intl.DateTimeFormat(locale, { timeZone: SCHOOL_TIME_ZONE, dateStyle: 'medium' }).format(date),
    time: new Intl.DateTimeFormat(locale, { timeZone: SCHOOL_TIME_ZONE, timeStyle: 'short' }).format(date),
  }
}
