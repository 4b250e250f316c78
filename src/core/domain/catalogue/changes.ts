import type { Target } from '../eligibility'
import { toEpochMs } from './dates'
import type { OfferingDraft, OfferingStatus, QuestionDraft } from './types'

/**
 * What may change once families have paid or answered. The promise to a family is that what
 * they paid for and consented to stays what it was: same price, same date, same place, still
 * meant for their child, and no less time than announced. Everything else (a typo, an added
 * date, a later deadline, a new variant, the reminder) may still change. A blocked change says
 * what to do instead: keep the old value, cancel the one date (with refunds), stop selling a
 * variant, or make a new item.
 */

export interface StoredOffering extends OfferingDraft {
  status: OfferingStatus
}

export interface ChangeFacts {
  /** Paid order lines on the item (units sold, when the caller knows them). */
  paidLines: number
  /** Consents or form answers given for the item. */
  answers: number
  /** program_dates ids with at least one paid line. */
  paidDates: ReadonlySet<string>
  /** offering_variants ids with at least one paid line. */
  paidVariantIds: ReadonlySet<string>
}

export type ChangeBlockCode =
  | 'change.itemFinal' // archived or cancelled: nothing changes
  | 'change.needsNewItem' // kind changed
  | 'change.priceAfterPayment' // offering price, fee basis or a variant's price; values.before/after for prices
  | 'change.priceAfterConsent' // an outing's cost, once guardians consented to it at that cost
  | 'change.paidVariantRemoved' // values.label
  | 'change.targetNarrowed' // values.kind, values.value: a target taken out
  | 'change.paidDateRemoved' // values.date
  | 'change.paidDateMoved' // values.date, values.newDate
  | 'change.earlierCutoff' // values.date
  | 'change.earlierDeadline'
  | 'change.laterOpening'
  | 'change.questionsAfterAnswers'
  | 'change.outingTermsAfterConsent' // date or destination of an outing
  | 'change.stockBelowSold' // values.sold

/** What the UI offers instead of the blocked change. */
export type ChangeRemedy = 'revert' | 'newItem' | 'cancelDate' | 'deactivateVariant'

export interface BlockedChange {
  /** Path into the edit form, as in checks.ts: 'priceCents', 'variants.2.priceCents', 'dates'. */
  field: string
  code: ChangeBlockCode
  remedy: ChangeRemedy
  values: Record<string, string | number>
}

export interface ChangeVerdict {
  allowed: boolean
  blocked: BlockedChange[]
}

/** Fields a secretary may always fix, whatever families did. */
export const ALWAYS_EDITABLE_FIELDS = [
  'titleFr',
  'titleEn',
  'descriptionFr',
  'descriptionEn',
  'reminderDaysBefore',
  'perStudentLimit',
  'required',
  'outing.startTime',
  'outing.endTime',
  'outing.busCount',
  'outing.seatsPerBus',
  'outing.staffCount',
  'outing.venueLimit',
] as const

const targetKey = (t: Target) => `${t.kind}:${t.value}`

function questionKey(q: QuestionDraft): string {
  return JSON.stringify([q.kind, q.labelFr, q.labelEn ?? null, q.required, q.choices.map((c) => [c.labelFr, c.labelEn ?? null])])
}

function sameQuestions(a: readonly QuestionDraft[], b: readonly QuestionDraft[]): boolean {
  return a.length === b.length && a.every((q, i) => questionKey(q) === questionKey(b[i]!))
}

function ms(instant: string | null): number | null {
  return instant == null ? null : toEpochMs(instant)
}

/** Compares the stored item with the proposed edit, given what families have done so far. */
export function checkChanges(stored: StoredOffering, edit: OfferingDraft, facts: ChangeFacts): ChangeVerdict {
  const blocked: BlockedChange[] = []
  const block = (field: string, code: ChangeBlockCode, remedy: ChangeRemedy, values: Record<string, string | number> = {}) =>
    blocked.push({ field, code, remedy, values })

  if (stored.status === 'archived' || stored.status === 'cancelled') {
    block('status', 'change.itemFinal', 'newItem', { status: stored.status })
    return { allowed: false, blocked }
  }

  const paid = facts.paidLines > 0
  const answered = facts.answers > 0
  const committed = paid || answered

  if (committed && edit.kind !== stored.kind) block('kind', 'change.needsNewItem', 'newItem')

  if (paid && edit.priceCents !== stored.priceCents)
    block('priceCents', 'change.priceAfterPayment', 'newItem', { before: stored.priceCents ?? '', after: edit.priceCents ?? '' })
  else if (answered && stored.kind === 'outing' && edit.priceCents !== stored.priceCents)
    block('priceCents', 'change.priceAfterConsent', 'newItem', { before: stored.priceCents ?? '', after: edit.priceCents ?? '' })
  if (paid && edit.feePer !== stored.feePer) block('feePer', 'change.priceAfterPayment', 'newItem')

  stored.variants.forEach((v) => {
    if (v.id === undefined) return
    const i = edit.variants.findIndex((e) => e.id === v.id)
    if (i < 0) {
      if (facts.paidVariantIds.has(v.id)) block('variants', 'change.paidVariantRemoved', 'deactivateVariant', { label: v.labelFr })
      return
    }
    if (paid && edit.variants[i]!.priceCents !== v.priceCents)
      block(`variants.${i}.priceCents`, 'change.priceAfterPayment', 'newItem', { label: v.labelFr, before: v.priceCents ?? '', after: edit.variants[i]!.priceCents ?? '' })
  })

  if (committed) {
    const kept = new Set(edit.targets.map(targetKey))
    const wholeSchool = edit.targets.some((t) => t.kind === 'school')
    for (const t of stored.targets) {
      if (!kept.has(targetKey(t)) && !wholeSchool) block('targets', 'change.targetNarrowed', 'newItem', { kind: t.kind, value: t.value })
    }
  }

  stored.dates.forEach((d) => {
    if (d.id === undefined) return
    const i = edit.dates.findIndex((e) => e.id === d.id)
    const isPaid = facts.paidDates.has(d.id)
    if (i < 0) {
      if (isPaid) block('dates', 'change.paidDateRemoved', 'cancelDate', { date: d.date })
      return
    }
    const e = edit.dates[i]!
    if (isPaid && e.date !== d.date) block(`dates.${i}.date`, 'change.paidDateMoved', 'cancelDate', { date: d.date, newDate: e.date })
    const before = ms(d.cutoffAt)
    const after = ms(e.cutoffAt)
    if (paid && before !== null && after !== null && after < before) block(`dates.${i}.cutoffAt`, 'change.earlierCutoff', 'revert', { date: d.date })
  })

  if (committed) {
    const deadlineBefore = ms(stored.deadlineAt)
    const deadlineAfter = ms(edit.deadlineAt)
    if (deadlineBefore !== null && deadlineAfter !== null && deadlineAfter < deadlineBefore) block('deadlineAt', 'change.earlierDeadline', 'revert')
    const opensBefore = ms(stored.opensAt)
    const opensAfter = ms(edit.opensAt)
    if (opensBefore !== null && opensAfter !== null && opensAfter > opensBefore) block('opensAt', 'change.laterOpening', 'revert')
  }

  if (answered && !sameQuestions(stored.questions, edit.questions)) block('questions', 'change.questionsAfterAnswers', 'newItem')

  if (committed && stored.outing && edit.outing) {
    for (const key of ['startsOn', 'endsOn', 'destination'] as const) {
      if (stored.outing[key] !== edit.outing[key]) block(`outing.${key}`, 'change.outingTermsAfterConsent', 'newItem')
    }
  }

  if (paid && edit.stockLimit !== null && edit.stockLimit < facts.paidLines)
    block('stockLimit', 'change.stockBelowSold', 'revert', { sold: facts.paidLines })

  return { allowed: blocked.length === 0, blocked }
}

export interface EditLock {
  field: string
  code: ChangeBlockCode
  remedy: ChangeRemedy
}

/**
 * Before any edit: the fields the form should show locked, with why. Targets and dates are
 * only partly locked (they may grow, not shrink), which checkChanges enforces on save.
 */
export function editLocks(stored: StoredOffering, facts: ChangeFacts): EditLock[] {
  if (stored.status === 'archived' || stored.status === 'cancelled') return [{ field: 'status', code: 'change.itemFinal', remedy: 'newItem' }]
  const locks: EditLock[] = []
  const paid = facts.paidLines > 0
  const committed = paid || facts.answers > 0
  if (committed) locks.push({ field: 'kind', code: 'change.needsNewItem', remedy: 'newItem' })
  if (!paid && facts.answers > 0 && stored.kind === 'outing') locks.push({ field: 'priceCents', code: 'change.priceAfterConsent', remedy: 'newItem' })
  if (paid) {
    locks.push({ field: 'priceCents', code: 'change.priceAfterPayment', remedy: 'newItem' })
    locks.push({ field: 'feePer', code: 'change.priceAfterPayment', remedy: 'newItem' })
    stored.variants.forEach((_, i) => locks.push({ field: `variants.${i}.priceCents`, code: 'change.priceAfterPayment', remedy: 'newItem' }))
  }
  stored.dates.forEach((d, i) => {
    if (d.id !== undefined && facts.paidDates.has(d.id)) locks.push({ field: `dates.${i}.date`, code: 'change.paidDateMoved', remedy: 'cancelDate' })
  })
  if (facts.answers > 0) locks.push({ field: 'questions', code: 'change.questionsAfterAnswers', remedy: 'newItem' })
  if (committed && stored.outing) {
    for (const key of ['startsOn', 'endsOn', 'destination'] as const) locks.push({ field: `outing.${key}`, code: 'change.outingTermsAfterConsent', remedy: 'newItem' })
  }
  return locks
}

/** A published item's deadline pushed later: an exception to "deadlines are final". */
export interface LaterDeadline {
  field: string
  before: string
  after: string
  /** A program date's day, when the deadline is that date's cutoff. */
  date?: string
}

/**
 * What an edit pushes later: the item's deadline, and the cutoff of each date that was already
 * there (a new date is not an extension). Once an item is published, each of these is the
 * principal's, with a reason (DOMAIN.md, "Deadlines"): families were told the deadline was final.
 */
export function laterDeadlines(stored: Pick<OfferingDraft, 'deadlineAt' | 'dates'>, edit: Pick<OfferingDraft, 'deadlineAt' | 'dates'>): LaterDeadline[] {
  const found: LaterDeadline[] = []
  const before = ms(stored.deadlineAt)
  const after = ms(edit.deadlineAt)
  if (before !== null && after !== null && after > before) found.push({ field: 'deadlineAt', before: stored.deadlineAt!, after: edit.deadlineAt! })
  edit.dates.forEach((e, i) => {
    const d = e.id === undefined ? undefined : stored.dates.find((s) => s.id === e.id)
    const b = ms(d?.cutoffAt ?? null)
    const a = ms(e.cutoffAt)
    if (d && b !== null && a !== null && a > b) found.push({ field: `dates.${i}.cutoffAt`, before: d.cutoffAt!, after: e.cutoffAt!, date: e.date })
  })
  return found
}
