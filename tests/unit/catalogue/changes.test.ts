import { describe, expect, it } from 'vitest'
import { checkChanges, editLocks, laterDeadlines, type ChangeFacts, type OfferingDraft, type StoredOffering } from '../../../src/core/domain/catalogue'
import { CLEAN } from './fixtures'

const stored = (kind: OfferingDraft['kind']): StoredOffering => ({ ...CLEAN[kind], status: 'published' })
const NOTHING: ChangeFacts = { paidLines: 0, answers: 0, paidDates: new Set(), paidVariantIds: new Set() }
const PAID: ChangeFacts = { paidLines: 12, answers: 0, paidDates: new Set(['d1']), paidVariantIds: new Set(['v-fromage', 'v-s']) }
const ANSWERED: ChangeFacts = { ...NOTHING, answers: 5 }

type Edit = (d: OfferingDraft) => OfferingDraft

/** Changes a secretary may make whatever families did. */
const ALWAYS_ALLOWED: [string, OfferingDraft['kind'], Edit][] = [
  ['a typo in the French title', 'program', (d) => ({ ...d, titleFr: 'Pizza du vendredi midi' })],
  ['the English title', 'program', (d) => ({ ...d, titleEn: 'Friday Pizza' })],
  ['the descriptions', 'program', (d) => ({ ...d, descriptionFr: 'Nouvelle', descriptionEn: 'New' })],
  ['an added date', 'program', (d) => ({ ...d, dates: [...d.dates, { date: '2027-01-08', cutoffAt: '2027-01-06T17:00:00.000Z', supplier: 'Pizza Nova' }] })],
  ['removing a date nobody paid for', 'program', (d) => ({ ...d, dates: d.dates.filter((x) => x.id !== 'd3') })],
  ['a later cutoff', 'program', (d) => ({ ...d, dates: d.dates.map((x) => (x.id === 'd1' ? { ...x, cutoffAt: '2026-12-03T17:00:00.000Z' } : x)) })],
  ['another supplier', 'program', (d) => ({ ...d, dates: d.dates.map((x) => ({ ...x, supplier: 'Domino' })) })],
  ['a later deadline', 'program', (d) => ({ ...d, deadlineAt: '2027-01-25T04:59:00.000Z' })],
  ['an earlier opening', 'program', (d) => ({ ...d, opensAt: '2026-11-20T13:00:00.000Z' })],
  ['the reminder days', 'program', (d) => ({ ...d, reminderDaysBefore: 5 })],
  ['an added variant', 'program', (d) => ({ ...d, variants: [...d.variants, { labelFr: 'Végé', labelEn: 'Veggie', priceCents: 400 }] })],
  ['a variant label typo', 'program', (d) => ({ ...d, variants: d.variants.map((v) => ({ ...v, labelFr: v.labelFr.toUpperCase() })) })],
  ['stopping the sale of a paid variant', 'program', (d) => ({ ...d, variants: d.variants.map((v) => (v.id === 'v-fromage' ? { ...v, active: false } : v)) })],
  ['a wider target', 'program', (d) => ({ ...d, targets: [...d.targets, { kind: 'grade', value: '4' }] })],
  ['the whole school instead of one grade', 'program', (d) => ({ ...d, targets: [{ kind: 'school', value: 'school-1' }] })],
  ['a higher stock limit', 'product', (d) => ({ ...d, stockLimit: 500 })],
  ['removing a variant nobody paid for', 'product', (d) => ({ ...d, variants: d.variants.filter((v) => v.id !== 'v-l') })],
  ['the outing times and buses', 'outing', (d) => ({ ...d, outing: { ...d.outing!, startTime: '08:45', busCount: 2, staffCount: 6 } })],
  ['making a required fee optional', 'fee', (d) => ({ ...d, required: false })],
]

/** Changes refused once families paid, with where and what code. */
const BLOCKED_ONCE_PAID: [string, OfferingDraft['kind'], Edit, string, string, string][] = [
  ['the base price', 'fee', (d) => ({ ...d, priceCents: 3000 }), 'priceCents', 'change.priceAfterPayment', 'newItem'],
  ['per family to per student', 'fee', (d) => ({ ...d, feePer: 'student' }), 'feePer', 'change.priceAfterPayment', 'newItem'],
  ['a paid variant’s price', 'program', (d) => ({ ...d, variants: d.variants.map((v) => (v.id === 'v-fromage' ? { ...v, priceCents: 375 } : v)) }), 'variants.0.priceCents', 'change.priceAfterPayment', 'newItem'],
  ['an unpaid variant’s price', 'program', (d) => ({ ...d, variants: d.variants.map((v) => (v.id === 'v-pepperoni' ? { ...v, priceCents: 450 } : v)) }), 'variants.1.priceCents', 'change.priceAfterPayment', 'newItem'],
  ['removing a paid variant', 'program', (d) => ({ ...d, variants: d.variants.filter((v) => v.id !== 'v-fromage') }), 'variants', 'change.paidVariantRemoved', 'deactivateVariant'],
  ['removing a target', 'program', (d) => ({ ...d, targets: [{ kind: 'grade', value: '4' }] }), 'targets', 'change.targetNarrowed', 'newItem'],
  ['removing a paid date', 'program', (d) => ({ ...d, dates: d.dates.filter((x) => x.id !== 'd1') }), 'dates', 'change.paidDateRemoved', 'cancelDate'],
  ['moving a paid date', 'program', (d) => ({ ...d, dates: d.dates.map((x) => (x.id === 'd1' ? { ...x, date: '2026-12-03' } : x)) }), 'dates.0.date', 'change.paidDateMoved', 'cancelDate'],
  ['an earlier cutoff', 'program', (d) => ({ ...d, dates: d.dates.map((x) => (x.id === 'd2' ? { ...x, cutoffAt: '2026-12-08T17:00:00.000Z' } : x)) }), 'dates.1.cutoffAt', 'change.earlierCutoff', 'revert'],
  ['an earlier deadline', 'program', (d) => ({ ...d, deadlineAt: '2027-01-10T04:59:00.000Z' }), 'deadlineAt', 'change.earlierDeadline', 'revert'],
  ['a later opening', 'program', (d) => ({ ...d, opensAt: '2026-11-30T13:00:00.000Z' }), 'opensAt', 'change.laterOpening', 'revert'],
  ['another kind', 'product', (d) => ({ ...d, kind: 'program' }), 'kind', 'change.needsNewItem', 'newItem'],
  ['a stock limit below what was sold', 'product', (d) => ({ ...d, stockLimit: 10 }), 'stockLimit', 'change.stockBelowSold', 'revert'],
  ['the outing’s last day', 'outing', (d) => ({ ...d, outing: { ...d.outing!, endsOn: '2026-12-11' } }), 'outing.endsOn', 'change.outingTermsAfterConsent', 'newItem'],
  ['the destination', 'outing', (d) => ({ ...d, outing: { ...d.outing!, destination: 'Science Nord' } }), 'outing.destination', 'change.outingTermsAfterConsent', 'newItem'],
  ['the outing cost', 'outing', (d) => ({ ...d, priceCents: 1500 }), 'priceCents', 'change.priceAfterPayment', 'newItem'],
]

/** Changes refused once anyone answered, even with nothing paid. */
const BLOCKED_ONCE_ANSWERED: [string, OfferingDraft['kind'], Edit, string, string][] = [
  ['a question’s wording', 'consent_form', (d) => ({ ...d, questions: d.questions.map((q, i) => (i === 0 ? { ...q, labelFr: 'Photos' } : q)) }), 'questions', 'change.questionsAfterAnswers'],
  ['an added question', 'consent_form', (d) => ({ ...d, questions: [...d.questions, { kind: 'yes_no', labelFr: 'Vidéo', labelEn: 'Video', choices: [], required: true }] }), 'questions', 'change.questionsAfterAnswers'],
  ['a removed choice', 'consent_form', (d) => ({ ...d, questions: d.questions.map((q) => ({ ...q, choices: q.choices.slice(0, 2) })) }), 'questions', 'change.questionsAfterAnswers'],
  ['a question made optional', 'outing', (d) => ({ ...d, questions: d.questions.map((q) => ({ ...q, required: false })) }), 'questions', 'change.questionsAfterAnswers'],
  ['a narrower target', 'consent_form', (d) => ({ ...d, targets: [{ kind: 'grade', value: '3' }] }), 'targets', 'change.targetNarrowed'],
  ['an earlier deadline', 'consent_form', (d) => ({ ...d, deadlineAt: '2026-12-01T04:59:00.000Z' }), 'deadlineAt', 'change.earlierDeadline'],
  ['the outing cost', 'outing', (d) => ({ ...d, priceCents: 1500 }), 'priceCents', 'change.priceAfterConsent'],
  ['the outing destination', 'outing', (d) => ({ ...d, outing: { ...d.outing!, destination: 'Zoo de Toronto' } }), 'outing.destination', 'change.outingTermsAfterConsent'],
]

describe('checkChanges', () => {
  it.each(ALWAYS_ALLOWED)('allows %s once families paid and answered', (_, kind, edit) => {
    const facts = { ...PAID, answers: 3 }
    expect(checkChanges(stored(kind), edit(CLEAN[kind]), facts)).toEqual({ allowed: true, blocked: [] })
  })

  it.each(BLOCKED_ONCE_PAID)('refuses %s once families paid', (_, kind, edit, field, code, remedy) => {
    const verdict = checkChanges(stored(kind), edit(CLEAN[kind]), PAID)
    expect(verdict.allowed).toBe(false)
    expect(verdict.blocked).toEqual([expect.objectContaining({ field, code, remedy })])
  })

  it.each(BLOCKED_ONCE_PAID)('allows %s while nothing is paid or answered', (_, kind, edit) => {
    expect(checkChanges(stored(kind), edit(CLEAN[kind]), NOTHING)).toEqual({ allowed: true, blocked: [] })
  })

  it('refuses moving an outing to another day, start and end', () => {
    const edit = { ...CLEAN.outing, outing: { ...CLEAN.outing.outing!, startsOn: '2026-12-11', endsOn: '2026-12-11' } }
    expect(checkChanges(stored('outing'), edit, ANSWERED).blocked.map((b) => b.field)).toEqual(['outing.startsOn', 'outing.endsOn'])
  })

  it.each(BLOCKED_ONCE_ANSWERED)('refuses %s once someone answered', (_, kind, edit, field, code) => {
    expect(checkChanges(stored(kind), edit(CLEAN[kind]), ANSWERED).blocked).toEqual([expect.objectContaining({ field, code })])
    expect(checkChanges(stored(kind), edit(CLEAN[kind]), NOTHING).allowed).toBe(true)
  })

  it('locks a price on answers only for outings, whose consent was given at that cost', () => {
    expect(checkChanges(stored('fee'), { ...CLEAN.fee, priceCents: 9999 }, ANSWERED).allowed).toBe(true)
  })

  it('reports every blocked change at once', () => {
    const edit: OfferingDraft = {
      ...CLEAN.program,
      priceCents: 1,
      deadlineAt: '2027-01-01T04:59:00.000Z',
      targets: [],
      dates: [],
      variants: [],
    }
    expect(checkChanges(stored('program'), edit, PAID).blocked.map((b) => b.code)).toEqual([
      'change.priceAfterPayment',
      'change.paidVariantRemoved',
      'change.targetNarrowed',
      'change.paidDateRemoved',
      'change.earlierDeadline',
    ])
  })

  it('gives values for the message', () => {
    const verdict = checkChanges(stored('program'), { ...CLEAN.program, dates: CLEAN.program.dates.slice(1) }, PAID)
    expect(verdict.blocked).toEqual([{ field: 'dates', code: 'change.paidDateRemoved', remedy: 'cancelDate', values: { date: '2026-12-04' } }])
    const priced = checkChanges(stored('fee'), { ...CLEAN.fee, priceCents: 3000 }, PAID)
    expect(priced.blocked[0]!.values).toEqual({ before: 2500, after: 3000 })
  })

  it('changes nothing on an archived or cancelled item', () => {
    for (const status of ['archived', 'cancelled'] as const) {
      const verdict = checkChanges({ ...CLEAN.product, status }, { ...CLEAN.product, titleFr: 'Autre' }, NOTHING)
      expect(verdict).toEqual({ allowed: false, blocked: [{ field: 'status', code: 'change.itemFinal', remedy: 'newItem', values: { status } }] })
    }
  })

  it('changes freely while the item is a draft with nobody involved', () => {
    const edit: OfferingDraft = { ...CLEAN.outing, kind: 'outing', priceCents: 0, targets: [], questions: [] }
    expect(checkChanges({ ...CLEAN.outing, status: 'draft' }, edit, NOTHING).allowed).toBe(true)
  })
})

describe('editLocks', () => {
  it('locks nothing while nobody paid or answered', () => {
    expect(editLocks(stored('program'), NOTHING)).toEqual([])
  })

  it('locks prices, the kind and the paid dates once paid', () => {
    expect(editLocks(stored('program'), PAID).map((l) => [l.field, l.code])).toEqual([
      ['kind', 'change.needsNewItem'],
      ['priceCents', 'change.priceAfterPayment'],
      ['feePer', 'change.priceAfterPayment'],
      ['variants.0.priceCents', 'change.priceAfterPayment'],
      ['variants.1.priceCents', 'change.priceAfterPayment'],
      ['dates.0.date', 'change.paidDateMoved'],
    ])
  })

  it('locks the questions, the cost and the terms of an outing once answered', () => {
    expect(editLocks(stored('outing'), ANSWERED).map((l) => [l.field, l.code])).toEqual([
      ['kind', 'change.needsNewItem'],
      ['priceCents', 'change.priceAfterConsent'],
      ['questions', 'change.questionsAfterAnswers'],
      ['outing.startsOn', 'change.outingTermsAfterConsent'],
      ['outing.endsOn', 'change.outingTermsAfterConsent'],
      ['outing.destination', 'change.outingTermsAfterConsent'],
    ])
  })

  it('locks everything on an archived item', () => {
    expect(editLocks({ ...CLEAN.fee, status: 'archived' }, NOTHING)).toEqual([{ field: 'status', code: 'change.itemFinal', remedy: 'newItem' }])
  })
})

describe('laterDeadlines: what the principal must approve once published', () => {
  const pizza = CLEAN.program
  it('finds a later deadline and a later cutoff of a date that was there, with before and after', () => {
    const edit = { ...pizza, deadlineAt: '2027-01-25T04:59:00.000Z', dates: pizza.dates.map((x) => (x.id === 'd1' ? { ...x, cutoffAt: '2026-12-03T17:00:00.000Z' } : x)) }
    const i = pizza.dates.findIndex((x) => x.id === 'd1')
    expect(laterDeadlines(pizza, edit)).toEqual([
      { field: 'deadlineAt', before: pizza.deadlineAt, after: '2027-01-25T04:59:00.000Z' },
      { field: `dates.${i}.cutoffAt`, before: pizza.dates[i]!.cutoffAt, after: '2026-12-03T17:00:00.000Z', date: pizza.dates[i]!.date },
    ])
  })

  it('finds nothing in an earlier deadline, the same one, or a new date', () => {
    expect(laterDeadlines(pizza, pizza)).toEqual([])
    expect(laterDeadlines(pizza, { ...pizza, deadlineAt: '2026-11-30T04:59:00.000Z' })).toEqual([])
    expect(laterDeadlines(pizza, { ...pizza, dates: [...pizza.dates, { date: '2027-01-08', cutoffAt: '2027-01-06T17:00:00.000Z', supplier: null }] })).toEqual([])
  })
})
