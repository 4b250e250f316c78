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

/** A month (YYYY-MM) for display: « décembre 2026 », "December 2026". */
export function formatMonth(yearMonth: string, locale: Locale): string {
  const [y, m] = yearMonth.split('-').map(Number) as [number, number]
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(Date.UTC(y, m - 1, 15)))
}

/** An instant (ISO-8601 UTC) shown in the school's time zone. */
export function formatInstant(iso: string, locale: Locale, timeZone = 'America/Toronto'): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}

/** Who numbered a receipt: the board (online, and everything pulled), or this PC's kiosk. */
export type ReceiptSeries = 'board' | 'office'
export const RECEIPT_SERIES = ['board', 'office'] as const satisfies readonly ReceiptSeries[]

/**
 * A receipt number as shown everywhere (grid, history, refunds, reconciliation, PDF, file names):
 * the board's as is (« 123 »), the office's with its prefix (« K-000123 »). Each series is
 * gapless and unique per school; the prefix keeps two receipts with the same number apart.
 */
export function formatReceiptNumber(number: number, series: ReceiptSeries = 'board'): string {
  return series === 'office' ? `K-${String(number).padStart(6, '0')}` : String(number)
}

/** A receipt number in a spreadsheet cell: the board's stays a number (sortable), the office's is its label. */
export function receiptCell(number: number, series: ReceiptSeries = 'board'): number | string {
  return series === 'office' ? formatReceiptNumber(number, series) : number
}
