import type { Locale } from './i18n'

/** Money is integer cents, CAD. 1250 → "12,50 $" (fr-CA) or "$12.50" (en-CA). */
export function formatMoney(cents: number, locale: Locale): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`cents must be an integer, got ${cents}`)
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'CAD' }).format(cents / 100)
}

/** A school date (YYYY-MM-DD, a day in the school's time zone) for display. */
export function formatSchoolDate(isoDate: string, locale: Locale, style: 'long' | 'short' = 'long'): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number]
  // Noon UTC keeps the calendar day whatever the viewer's time zone.
  const date = new Date(Date.UTC(y, m - 1, d, 12))
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    ...(style === 'long' ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } : { dateStyle: 'medium' }),
  }).format(date)
}

/** An instant (ISO-8601 UTC) shown in the school's time zone. */
export function formatInstant(iso: string, locale: Locale, timeZone = 'America/Toronto'): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}
