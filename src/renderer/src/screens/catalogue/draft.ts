import { Temporal } from 'temporal-polyfill'
import type { Input, Output } from '../../../../shared/contract'
import type { FieldIssue } from '../../../../shared/errors'

export type Draft = Input<'catalogue.create'>['draft']
export type ProgramRule = NonNullable<Input<'catalogue.create'>['programRule']>
export type Kind = Draft['kind']
export type Detail = Output<'catalogue.get'>
export type Problem = Detail['problems'][number]

export const KINDS: readonly Kind[] = ['program', 'product', 'fee', 'outing', 'consent_form']
export const STATUSES = ['draft', 'published', 'closed', 'archived', 'cancelled'] as const
export const GRADES = ['JK', 'SK', '1', '2', '3', '4', '5', '6', '7', '8'] as const
export const SCHOOL_TZ = 'America/Toronto'

export function isKind(value: string | undefined): value is Kind {
  return (KINDS as readonly string[]).includes(value ?? '')
}

/**
 * The form shows opening and deadline as the school's wall time ('2026-12-16T12:00'); the
 * contract carries instants. An unreadable value goes as '' so the core names the field.
 */
export function instantOf(wall: string, timeZone = SCHOOL_TZ): string {
  try {
    return Temporal.PlainDateTime.from(wall).toZonedDateTime(timeZone).toInstant().toString()
  } catch {
    return ''
  }
}

export function wallOf(instant: string, timeZone = SCHOOL_TZ): string {
  try {
    return Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone).toPlainDateTime().toString({ smallestUnit: 'minute' })
  } catch {
    return ''
  }
}

export function todayInSchool(timeZone = SCHOOL_TZ): string {
  return Temporal.Now.plainDateISO(timeZone).toString()
}

/** "12,50" or "12.50" or "12" → 1250; anything else → null (the field says so). */
export function centsOf(text: string): number | null {
  const t = text.trim().replace(/\s|\$/g, '').replace(',', '.')
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) return null
  return Math.round(Number(t) * 100)
}

export function amountText(cents: number | null | undefined, locale: string): string {
  if (cents == null || !Number.isFinite(cents)) return ''
  return (cents / 100).toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false })
}

/** A new item: opens now, closes in two weeks at noon, reminder three days before. */
export function emptyDraft(kind: Kind, now = Temporal.Now.zonedDateTimeISO(SCHOOL_TZ)): Draft {
  const opens = now.round({ smallestUnit: 'minute', roundingMode: 'ceil' })
  const deadline = opens.add({ days: 14 }).with({ hour: 12, minute: 0 })
  const today = opens.toPlainDate()
  return {
    kind,
    titleFr: '',
    titleEn: null,
    descriptionFr: '',
    descriptionEn: null,
    opensAt: opens.toInstant().toString(),
    deadlineAt: deadline.toInstant().toString(),
    priceCents: 0,
    feePer: kind === 'fee' ? 'student' : null,
    required: false,
    stockLimit: null,
    perStudentLimit: null,
    reminderDaysBefore: 3,
    targets: [],
    variants: [],
    dates: [],
    outing:
      kind === 'outing'
        ? {
            startsOn: today.add({ days: 21 }).toString(),
            endsOn: today.add({ days: 21 }).toString(),
            startTime: '09:00',
            endTime: '14:30',
            destination: '',
            venueLimit: null,
            busCount: 1,
            seatsPerBus: 48,
            staffCount: 2,
            chaperoneRatio: 10,
          }
        : null,
    questions: [],
  }
}

export function emptyRule(today = todayInSchool()): ProgramRule {
  return { from: today, to: today, weekdays: [5], add: [], remove: [], cutoff: { schoolDaysBefore: 2, time: '12:00' }, supplier: null }
}

/** A field's path ('variants.0.priceCents') is also the data-field of its input. */
export function issuesAt(issues: readonly FieldIssue[], field: string): FieldIssue[] {
  return issues.filter((i) => i.path === field || i.path === `draft.${field}`)
}

/** The form field a problem or an issue is about: the deepest input that exists. */
export function focusField(field: string): void {
  const path = field.replace(/^draft\./, '').split('.')
  for (let n = path.length; n > 0; n--) {
    const el = document.querySelector<HTMLElement>(`[data-field="${CSS.escape(path.slice(0, n).join('.'))}"]`)
    if (el) {
      el.scrollIntoView({ block: 'center' })
      const target = el.matches('input, select, textarea, button') ? el : el.querySelector<HTMLElement>('input, select, textarea, button')
      ;(target ?? el).focus()
      return
    }
  }
}
