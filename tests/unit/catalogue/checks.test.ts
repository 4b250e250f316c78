import { describe, expect, it } from 'vitest'
import {
  canPublish,
  CHECK_CODES,
  checkOffering,
  errorsOf,
  warningsOf,
  type CheckCode,
  type CheckContext,
  type OfferingDraft,
  type Problem,
} from '../../../src/core/domain/catalogue'
import { CAL, CLEAN, CLEAN_CONTEXT } from './fixtures'

type Kind = OfferingDraft['kind']
interface Case {
  code: CheckCode
  kind: Kind
  edit?: (d: OfferingDraft) => OfferingDraft
  context?: Partial<CheckContext>
  field: string
  values?: Record<string, string | number>
}

const withOuting = (patch: Partial<NonNullable<OfferingDraft['outing']>>) => (d: OfferingDraft): OfferingDraft => ({ ...d, outing: { ...d.outing!, ...patch } })
const withVariant = (i: number, patch: Partial<OfferingDraft['variants'][number]>) => (d: OfferingDraft): OfferingDraft => ({
  ...d,
  variants: d.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)),
})
const withDate = (i: number, patch: Partial<OfferingDraft['dates'][number]>) => (d: OfferingDraft): OfferingDraft => ({
  ...d,
  dates: d.dates.map((v, j) => (j === i ? { ...v, ...patch } : v)),
})
const addDate = (date: string, cutoffAt: string | null) => (d: OfferingDraft): OfferingDraft => ({ ...d, dates: [...d.dates, { date, cutoffAt, supplier: 'Pizza Nova' }] })
const withQuestion = (i: number, patch: Partial<OfferingDraft['questions'][number]>) => (d: OfferingDraft): OfferingDraft => ({
  ...d,
  questions: d.questions.map((q, j) => (j === i ? { ...q, ...patch } : q)),
})
const yesNoChoices = (labels: string[]) => labels.map((labelFr) => ({ labelFr, labelEn: labelFr }))

/** One minimal draft per code: the clean draft of a kind, with one thing wrong. */
const CASES: Case[] = [
  { code: 'check.titleFrMissing', kind: 'product', edit: (d) => ({ ...d, titleFr: '   ' }), field: 'titleFr' },
  { code: 'check.titleEnMissing', kind: 'product', edit: (d) => ({ ...d, titleEn: null }), field: 'titleEn' },
  { code: 'check.descriptionFrMissing', kind: 'fee', edit: (d) => ({ ...d, descriptionFr: '' }), field: 'descriptionFr' },
  { code: 'check.descriptionEnMissing', kind: 'fee', edit: (d) => ({ ...d, descriptionEn: ' ' }), field: 'descriptionEn' },
  { code: 'check.openingMissing', kind: 'fee', edit: (d) => ({ ...d, opensAt: null }), field: 'opensAt' },
  { code: 'check.deadlineMissing', kind: 'fee', edit: (d) => ({ ...d, deadlineAt: 'vendredi' }), field: 'deadlineAt' },
  { code: 'check.deadlineBeforeOpening', kind: 'fee', edit: (d) => ({ ...d, deadlineAt: '2026-11-22T04:59:00.000Z' }), field: 'deadlineAt' },
  { code: 'check.deadlinePast', kind: 'fee', edit: (d) => ({ ...d, opensAt: '2026-11-01T13:00:00.000Z', deadlineAt: '2026-11-20T14:59:59.999Z' }), field: 'deadlineAt' },
  { code: 'check.deadlineTooClose', kind: 'fee', edit: (d) => ({ ...d, deadlineAt: '2026-11-24T03:00:00.000Z' }), field: 'deadlineAt', values: { hours: 14 } },
  { code: 'check.reminderBeforeOpening', kind: 'fee', edit: (d) => ({ ...d, reminderDaysBefore: 15 }), field: 'reminderDaysBefore', values: { days: 15 } },
  { code: 'check.deadlineAfterYearEnd', kind: 'fee', edit: (d) => ({ ...d, deadlineAt: '2027-07-15T04:59:00.000Z' }), field: 'deadlineAt', values: { endsOn: '2027-06-25' } },
  { code: 'check.noTarget', kind: 'fee', edit: (d) => ({ ...d, targets: [] }), field: 'targets' },
  { code: 'check.noEligibleStudent', kind: 'fee', context: { eligibleCount: 0 }, field: 'targets' },
  { code: 'check.capacityAboveEligible', kind: 'outing', context: { eligibleCount: 30 }, field: 'outing.busCount', values: { capacity: 44, eligible: 30 } },
  { code: 'check.priceMissing', kind: 'outing', edit: (d) => ({ ...d, priceCents: null }), field: 'priceCents' },
  { code: 'check.freeProductWarning', kind: 'product', edit: (d) => ({ ...d, variants: [], priceCents: 0 }), field: 'priceCents' },
  { code: 'check.feeAmountMissing', kind: 'fee', edit: (d) => ({ ...d, priceCents: 0 }), field: 'priceCents' },
  { code: 'check.feePerMissing', kind: 'fee', edit: (d) => ({ ...d, feePer: null }), field: 'feePer' },
  { code: 'check.consentHasPrice', kind: 'consent_form', edit: (d) => ({ ...d, priceCents: 100 }), field: 'priceCents', values: { priceCents: 100 } },
  { code: 'check.variantsNotAllowed', kind: 'fee', edit: (d) => ({ ...d, variants: [{ labelFr: 'Famille', labelEn: 'Family', priceCents: 100 }] }), field: 'variants' },
  { code: 'check.variantLabelMissing', kind: 'product', edit: withVariant(1, { labelFr: '' }), field: 'variants.1.labelFr' },
  { code: 'check.variantWithoutPrice', kind: 'product', edit: withVariant(2, { priceCents: null }), field: 'variants.2.priceCents', values: { label: 'Grand' } },
  { code: 'check.duplicateVariant', kind: 'product', edit: withVariant(2, { labelFr: ' petit' }), field: 'variants.2.labelFr', values: { label: ' petit' } },
  { code: 'check.variantLabelEnMissing', kind: 'program', edit: withVariant(1, { labelEn: null }), field: 'variants.1.labelEn', values: { count: 1 } },
  { code: 'check.stockBelowPerStudent', kind: 'product', edit: (d) => ({ ...d, stockLimit: 1 }), field: 'stockLimit', values: { stock: 1, perStudent: 2 } },
  { code: 'check.programNoDates', kind: 'program', edit: (d) => ({ ...d, dates: d.dates.map((x) => ({ ...x, status: 'cancelled' as const })) }), field: 'dates' },
  {
    code: 'check.programTooManyDates',
    kind: 'program',
    edit: (d) => ({ ...d, dates: Array.from({ length: 10_000 }, (_, i) => ({ date: '2026-12-04', cutoffAt: `2026-12-02T17:00:00.000Z`, supplier: `S${i}` })) }),
    field: 'dates',
    values: { count: 10_000, max: 200 },
  },
  { code: 'check.programDateInvalid', kind: 'program', edit: withDate(1, { date: '2026-12-32' }), field: 'dates.1.date', values: { value: '2026-12-32' } },
  { code: 'check.programDateDuplicate', kind: 'program', edit: addDate('2026-12-11', '2026-12-09T17:00:00.000Z'), field: 'dates.3.date', values: { date: '2026-12-11' } },
  {
    code: 'check.programDateOnDayOff',
    kind: 'program',
    edit: addDate('2027-01-15', '2027-01-13T17:00:00.000Z'),
    field: 'dates.3.date',
    values: { date: '2027-01-15', reason: 'pd_day', label: 'Journée pédagogique', labelEn: 'PD day' },
  },
  { code: 'check.programDatePast', kind: 'program', edit: addDate('2026-11-19', '2026-11-17T17:00:00.000Z'), field: 'dates.3.date', values: { date: '2026-11-19' } },
  { code: 'check.programDateNoCutoff', kind: 'program', edit: withDate(0, { cutoffAt: null }), field: 'dates.0.cutoffAt', values: { date: '2026-12-04' } },
  {
    code: 'check.programDateAfterCutoff',
    kind: 'program',
    edit: withDate(0, { cutoffAt: '2026-12-05T17:00:00.000Z' }),
    field: 'dates.0.cutoffAt',
    values: { date: '2026-12-04', cutoffDate: '2026-12-05' },
  },
  { code: 'check.programCutoffPast', kind: 'program', edit: addDate('2026-11-23', '2026-11-19T17:00:00.000Z'), field: 'dates.3.cutoffAt', values: { date: '2026-11-23' } },
  { code: 'check.programCutoffBeforeOpening', kind: 'program', edit: addDate('2026-11-25', '2026-11-23T12:00:00.000Z'), field: 'dates.3.cutoffAt', values: { date: '2026-11-25' } },
  { code: 'check.programNoSupplier', kind: 'program', edit: withDate(1, { supplier: '' }), field: 'dates.1.supplier', values: { count: 1 } },
  { code: 'check.outingMissing', kind: 'outing', edit: (d) => ({ ...d, outing: null }), field: 'outing' },
  { code: 'check.outingDateMissing', kind: 'outing', edit: withOuting({ startsOn: null }), field: 'outing.startsOn' },
  { code: 'check.outingEndsBeforeStart', kind: 'outing', edit: withOuting({ endsOn: '2026-12-09' }), field: 'outing.endsOn' },
  { code: 'check.outingDatePast', kind: 'outing', edit: withOuting({ startsOn: '2026-11-19', endsOn: '2026-11-19' }), field: 'outing.startsOn', values: { date: '2026-11-19' } },
  { code: 'check.outingOnDayOff', kind: 'outing', edit: withOuting({ startsOn: '2026-12-11', endsOn: '2026-12-12' }), field: 'outing.startsOn', values: { date: '2026-12-12', reason: 'weekend' } },
  { code: 'check.outingDestinationMissing', kind: 'outing', edit: withOuting({ destination: ' ' }), field: 'outing.destination' },
  { code: 'check.outingTimesMissing', kind: 'outing', edit: withOuting({ endTime: null }), field: 'outing.endTime' },
  { code: 'check.outingTimesReversed', kind: 'outing', edit: withOuting({ endTime: '09:00' }), field: 'outing.endTime' },
  { code: 'check.outingNoChaperoneRatio', kind: 'outing', context: { chaperoneRatio: undefined }, field: 'outing.chaperoneRatio' },
  { code: 'check.outingNoBus', kind: 'outing', edit: withOuting({ busCount: 0 }), field: 'outing.busCount' },
  { code: 'check.outingBusNoSeats', kind: 'outing', edit: withOuting({ seatsPerBus: 0 }), field: 'outing.seatsPerBus' },
  { code: 'check.outingNoSeatsForStudents', kind: 'outing', edit: withOuting({ staffCount: 48 }), field: 'outing.staffCount', values: { seats: 48, staff: 48 } },
  { code: 'check.outingNoStaff', kind: 'outing', edit: withOuting({ staffCount: 0 }), field: 'outing.staffCount' },
  { code: 'check.deadlineAfterOuting', kind: 'outing', edit: withOuting({ startsOn: '2026-12-02', endsOn: '2026-12-02' }), field: 'deadlineAt', values: { date: '2026-12-02' } },
  { code: 'check.deadlineCloseToOuting', kind: 'outing', edit: withOuting({ startsOn: '2026-12-04', endsOn: '2026-12-04' }), field: 'deadlineAt', values: { hours: 9 } },
  { code: 'check.consentNoQuestion', kind: 'consent_form', edit: (d) => ({ ...d, questions: [] }), field: 'questions' },
  { code: 'check.questionLabelMissing', kind: 'consent_form', edit: withQuestion(2, { labelFr: '' }), field: 'questions.2.labelFr' },
  { code: 'check.questionLabelEnMissing', kind: 'outing', edit: withQuestion(0, { labelEn: null }), field: 'questions.0.labelEn', values: { count: 1 } },
  { code: 'check.questionChoicesMissing', kind: 'consent_form', edit: withQuestion(1, { choices: yesNoChoices(['Oui']) }), field: 'questions.1.choices', values: { min: 2 } },
  { code: 'check.questionChoiceLabelMissing', kind: 'consent_form', edit: withQuestion(1, { choices: yesNoChoices(['Oui', ' ']) }), field: 'questions.1.choices.1.labelFr' },
  { code: 'check.questionDuplicateChoice', kind: 'consent_form', edit: withQuestion(1, { choices: yesNoChoices(['Oui', 'Non', 'OUI']) }), field: 'questions.1.choices.2.labelFr', values: { label: 'OUI' } },
]

function run(kind: Kind, edit?: (d: OfferingDraft) => OfferingDraft, context: Partial<CheckContext> = {}): Problem[] {
  return checkOffering(edit ? edit(CLEAN[kind]) : CLEAN[kind], { ...CLEAN_CONTEXT, ...context })
}

describe('checkOffering', () => {
  it.each(Object.keys(CLEAN) as Kind[])('finds nothing wrong with a clean %s', (kind) => {
    expect(run(kind)).toEqual([])
  })

  it.each(CASES.map((c) => [c.code, c] as const))('%s', (code, c) => {
    const problems = run(c.kind, c.edit, c.context)
    const found = problems.filter((p) => p.code === code)
    expect(found.length, JSON.stringify(problems)).toBeGreaterThan(0)
    expect(found[0]).toEqual({ code, severity: CHECK_CODES[code], field: c.field, values: c.values ?? expect.any(Object) })
  })

  it('has a case for every code it can give', () => {
    const covered = new Set(CASES.map((c) => c.code))
    expect(Object.keys(CHECK_CODES).filter((code) => !covered.has(code as CheckCode))).toEqual([])
  })

  it('errors on the problems DOMAIN.md names, and only warns on the ones to confirm', () => {
    const errors: CheckCode[] = ['check.titleFrMissing', 'check.deadlinePast', 'check.deadlineBeforeOpening', 'check.noEligibleStudent', 'check.outingNoChaperoneRatio', 'check.programDateAfterCutoff', 'check.variantWithoutPrice', 'check.deadlineAfterOuting']
    const warnings: CheckCode[] = ['check.titleEnMissing', 'check.capacityAboveEligible', 'check.outingNoBus', 'check.outingOnDayOff', 'check.freeProductWarning', 'check.deadlineTooClose', 'check.descriptionFrMissing']
    for (const code of errors) expect(CHECK_CODES[code]).toBe('error')
    for (const code of warnings) expect(CHECK_CODES[code]).toBe('warning')
  })

  it('lists every problem of a blank form, not just the first', () => {
    const blank: OfferingDraft = {
      kind: 'program',
      titleFr: '',
      titleEn: null,
      descriptionFr: '',
      descriptionEn: null,
      opensAt: null,
      deadlineAt: null,
      priceCents: null,
      feePer: null,
      required: false,
      stockLimit: null,
      perStudentLimit: null,
      reminderDaysBefore: 3,
      targets: [],
      variants: [],
      dates: [],
      outing: null,
      questions: [],
    }
    expect(checkOffering(blank, { ...CLEAN_CONTEXT, eligibleCount: 0 }).map((p) => [p.code, p.severity, p.field])).toEqual([
      ['check.titleFrMissing', 'error', 'titleFr'],
      ['check.titleEnMissing', 'warning', 'titleEn'],
      ['check.descriptionFrMissing', 'warning', 'descriptionFr'],
      ['check.openingMissing', 'error', 'opensAt'],
      ['check.deadlineMissing', 'error', 'deadlineAt'],
      ['check.noTarget', 'error', 'targets'],
      ['check.priceMissing', 'error', 'priceCents'],
      ['check.programNoDates', 'error', 'dates'],
    ])
  })

  it('flags every date of a program that falls on a day off, each at its own field', () => {
    const dates = ['2026-12-11', '2026-12-25', '2027-01-01', '2027-01-08'].map((date) => ({ date, cutoffAt: '2026-12-09T17:00:00.000Z', supplier: 'Pizza Nova' }))
    const problems = run('program', (d) => ({ ...d, dates })).filter((p) => p.code === 'check.programDateOnDayOff')
    expect(problems.map((p) => [p.field, p.values.reason, p.values.label])).toEqual([
      ['dates.1.date', 'holiday', 'Congé des Fêtes'],
      ['dates.2.date', 'holiday', 'Congé des Fêtes'],
    ])
  })

  it('flags a date outside the year with its reason', () => {
    const problems = run('program', addDate('2027-07-02', '2027-06-30T16:00:00.000Z'))
    expect(problems).toContainEqual({ code: 'check.programDateOnDayOff', severity: 'error', field: 'dates.3.date', values: { date: '2027-07-02', reason: 'outside_year' } })
  })

  it('ignores cancelled program dates', () => {
    expect(run('program', addDate('2027-01-15', '2027-01-13T17:00:00.000Z')).length).toBe(1)
    expect(run('program', (d) => ({ ...d, dates: [...d.dates, { date: '2027-01-15', cutoffAt: null, supplier: null, status: 'cancelled' }] }))).toEqual([])
  })

  it('keeps a same-day cutoff, before the end of the day', () => {
    expect(run('program', withDate(0, { cutoffAt: '2026-12-04T14:00:00.000Z' }))).toEqual([])
  })

  it('uses the capacity from the caller when it has one, and the venue when it binds', () => {
    expect(run('outing', undefined, { capacity: 100 })).toContainEqual(expect.objectContaining({ code: 'check.capacityAboveEligible', values: { capacity: 100, eligible: 60 } }))
    expect(run('outing', undefined, { capacity: 60 })).toEqual([])
    const bigBuses = run('outing', withOuting({ busCount: 2, venueLimit: 50 }), { eligibleCount: 40 })
    expect(bigBuses).toContainEqual(expect.objectContaining({ code: 'check.capacityAboveEligible', field: 'outing.venueLimit', values: { capacity: 50, eligible: 40 } }))
  })

  it('checks every day of a multi-day outing', () => {
    const problems = run('outing', withOuting({ startsOn: '2026-12-10', endsOn: '2026-12-14' })).filter((p) => p.code === 'check.outingOnDayOff')
    expect(problems.map((p) => p.values.date)).toEqual(['2026-12-12', '2026-12-13'])
  })

  it('says ten thousand dates are too many, and looks at no more than one over the limit of them', () => {
    const dates = Array.from({ length: 10_000 }, (_, i) => ({ date: `2026-12-${String((i % 28) + 1).padStart(2, '0')}`, cutoffAt: null, supplier: null }))
    const problems = run('program', (d) => ({ ...d, dates }))
    expect(problems).toContainEqual(expect.objectContaining({ code: 'check.programTooManyDates', field: 'dates', values: { count: 10_000, max: 200 } }))
    const perDate = problems.map((p) => /^dates\.(\d+)\./.exec(p.field)?.[1]).filter((i) => i !== undefined).map(Number)
    expect(Math.max(...perDate)).toBe(200)
  })

  it('counts the deadline-too-close window from the opening when it is later than now', () => {
    // Opens Monday 08:00, deadline the same day 20:00: 12 hours, however far away now is.
    const problems = run('fee', (d) => ({ ...d, deadlineAt: '2026-11-24T01:00:00.000Z' }))
    expect(problems).toContainEqual(expect.objectContaining({ code: 'check.deadlineTooClose', values: { hours: 12 } }))
  })

  it('uses the calendar given', () => {
    expect(run('outing', undefined, { calendar: { ...CAL, daysOff: [{ date: '2026-12-10', kind: 'closure', labelFr: 'Tempête' }] } })).toEqual([
      { code: 'check.outingOnDayOff', severity: 'warning', field: 'outing.startsOn', values: { date: '2026-12-10', reason: 'closure', label: 'Tempête', labelEn: 'Tempête' } },
    ])
  })
})

describe('canPublish', () => {
  const error: Problem = { code: 'check.titleFrMissing', severity: 'error', field: 'titleFr', values: {} }
  const warning: Problem = { code: 'check.titleEnMissing', severity: 'warning', field: 'titleEn', values: {} }

  it('blocks on errors, and on warnings until confirmed', () => {
    expect(canPublish([], false)).toBe(true)
    expect(canPublish([warning], false)).toBe(false)
    expect(canPublish([warning], true)).toBe(true)
    expect(canPublish([error, warning], true)).toBe(false)
    expect(errorsOf([error, warning])).toEqual([error])
    expect(warningsOf([error, warning])).toEqual([warning])
  })
})
