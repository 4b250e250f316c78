import { describe, expect, it } from 'vitest'
import {
  CancelReasonSchema,
  CutoffRuleSchema,
  DayOffSchema,
  ProgramDatesRequestSchema,
  validateOfferingDraft,
  type OfferingDraft,
} from '../../../src/core/domain/catalogue'
import { CLEAN } from './fixtures'

type Kind = OfferingDraft['kind']
const issuesOf = (draft: unknown) => {
  const result = validateOfferingDraft(draft)
  return result.ok ? [] : result.issues
}
const refuse = (kind: Kind, patch: (d: OfferingDraft) => unknown) => issuesOf(patch(CLEAN[kind]))

const question = (kind: 'yes_no' | 'text' | 'choice', choices = 0) => ({
  kind,
  labelFr: 'Question',
  labelEn: null,
  choices: Array.from({ length: choices }, (_, i) => ({ labelFr: `Choix ${i}`, labelEn: null })),
  required: true,
})

describe('OfferingDraftSchema', () => {
  it.each(Object.keys(CLEAN) as Kind[])('accepts the clean %s', (kind) => {
    expect(validateOfferingDraft(CLEAN[kind])).toEqual({ ok: true, value: expect.any(Object) })
  })

  it('writes instants as UTC with milliseconds, and empty optional texts as null', () => {
    const result = validateOfferingDraft({ ...CLEAN.fee, opensAt: '2026-11-23T08:00:00-05:00', deadlineAt: '2026-12-03T23:59:00-05:00', titleEn: '  ', descriptionEn: '' })
    expect(result.ok && result.value).toMatchObject({ opensAt: '2026-11-23T13:00:00.000Z', deadlineAt: '2026-12-04T04:59:00.000Z', titleEn: null, descriptionEn: null })
  })

  it('accepts the edges of every limit', () => {
    expect(
      validateOfferingDraft({
        ...CLEAN.program,
        titleFr: 'x'.repeat(200),
        descriptionFr: 'x'.repeat(5000),
        priceCents: 100_000_000,
        reminderDaysBefore: 60,
        variants: Array.from({ length: 30 }, (_, i) => ({ labelFr: `V${i}`, labelEn: null, priceCents: 0 })),
        dates: Array.from({ length: 200 }, (_, i) => ({ date: new Date(Date.UTC(2026, 8, 8 + i)).toISOString().slice(0, 10), cutoffAt: '2026-09-01T16:00:00.000Z', supplier: null })),
        questions: [question('choice', 2), question('choice', 20), ...Array.from({ length: 28 }, () => question('yes_no'))],
      }).ok,
    ).toBe(true)
    expect(validateOfferingDraft({ ...CLEAN.program, dates: [{ date: '2028-02-29', cutoffAt: '2028-02-27T17:00:00.000Z', supplier: null }] }).ok).toBe(true)
  })

  it.each<[string, Kind, (d: OfferingDraft) => unknown, string, string]>([
    ['a negative price', 'fee', (d) => ({ ...d, priceCents: -1 }), 'priceCents', 'validation.priceNegative'],
    ['a price in dollars', 'fee', (d) => ({ ...d, priceCents: 12.5 }), 'priceCents', 'validation.priceNotCents'],
    ['a price over a million dollars', 'fee', (d) => ({ ...d, priceCents: 100_000_001 }), 'priceCents', 'validation.priceTooHigh'],
    ['no price at all', 'fee', (d) => ({ ...d, priceCents: null }), 'priceCents', 'validation.priceRequired'],
    ['an empty French title', 'fee', (d) => ({ ...d, titleFr: '' }), 'titleFr', 'validation.titleFrRequired'],
    ['a French title of spaces', 'fee', (d) => ({ ...d, titleFr: '   ' }), 'titleFr', 'validation.titleFrRequired'],
    ['a title of 201 characters', 'fee', (d) => ({ ...d, titleEn: 'x'.repeat(201) }), 'titleEn', 'validation.titleTooLong'],
    ['a description of 5001 characters', 'fee', (d) => ({ ...d, descriptionFr: 'x'.repeat(5001) }), 'descriptionFr', 'validation.descriptionTooLong'],
    ['a deadline before the opening', 'fee', (d) => ({ ...d, deadlineAt: '2026-11-22T13:00:00.000Z' }), 'deadlineAt', 'validation.deadlineBeforeOpening'],
    ['a deadline at the opening', 'fee', (d) => ({ ...d, deadlineAt: d.opensAt }), 'deadlineAt', 'validation.deadlineBeforeOpening'],
    ['an opening without a zone', 'fee', (d) => ({ ...d, opensAt: '2026-11-23T08:00:00' }), 'opensAt', 'validation.badInstant'],
    ['a reminder 61 days before', 'fee', (d) => ({ ...d, reminderDaysBefore: 61 }), 'reminderDaysBefore', 'validation.reminderDaysRange'],
    ['a reminder after the deadline', 'fee', (d) => ({ ...d, reminderDaysBefore: -1 }), 'reminderDaysBefore', 'validation.reminderDaysRange'],
    ['a stock limit of 0', 'product', (d) => ({ ...d, stockLimit: 0 }), 'stockLimit', 'validation.stockLimitRange'],
    ['a limit per student of 0', 'product', (d) => ({ ...d, perStudentLimit: 0 }), 'perStudentLimit', 'validation.perStudentLimitRange'],
    ['a fee without per student or family', 'fee', (d) => ({ ...d, feePer: null }), 'feePer', 'validation.feePerRequired'],
    ['a variant without a price', 'product', (d) => ({ ...d, variants: [{ labelFr: 'Petit', labelEn: null, priceCents: null }] }), 'variants.0.priceCents', 'validation.priceRequired'],
    ['a variant with a negative price', 'product', (d) => ({ ...d, variants: [{ labelFr: 'Petit', labelEn: null, priceCents: -5 }] }), 'variants.0.priceCents', 'validation.priceNegative'],
    ['a variant without a label', 'product', (d) => ({ ...d, variants: [{ labelFr: ' ', labelEn: null, priceCents: 5 }] }), 'variants.0.labelFr', 'validation.labelFrRequired'],
    ['31 variants', 'product', (d) => ({ ...d, variants: Array.from({ length: 31 }, () => d.variants[0]) }), 'variants', 'validation.tooManyVariants'],
    ['ten thousand dates', 'program', (d) => ({ ...d, dates: Array.from({ length: 10_000 }, () => d.dates[0]) }), 'dates', 'validation.tooManyDates'],
    ['201 dates', 'program', (d) => ({ ...d, dates: Array.from({ length: 201 }, () => d.dates[0]) }), 'dates', 'validation.tooManyDates'],
    ['the same date twice', 'program', (d) => ({ ...d, dates: [d.dates[0], d.dates[0]] }), 'dates.1.date', 'validation.duplicateDate'],
    ['30 February', 'program', (d) => ({ ...d, dates: [{ ...d.dates[0]!, date: '2027-02-30' }] }), 'dates.0.date', 'validation.badDate'],
    ['29 February of a common year', 'program', (d) => ({ ...d, dates: [{ ...d.dates[0]!, date: '2027-02-29' }] }), 'dates.0.date', 'validation.badDate'],
    ['a date written the other way', 'program', (d) => ({ ...d, dates: [{ ...d.dates[0]!, date: '04/12/2026' }] }), 'dates.0.date', 'validation.badDate'],
    ['dates on a product', 'product', (d) => ({ ...d, dates: CLEAN.program.dates }), 'dates', 'validation.datesOnlyForPrograms'],
    ['31 questions', 'consent_form', (d) => ({ ...d, questions: Array.from({ length: 31 }, () => question('yes_no')) }), 'questions', 'validation.tooManyQuestions'],
    ['a choice question with one choice', 'consent_form', (d) => ({ ...d, questions: [question('choice', 1)] }), 'questions.0.choices', 'validation.tooFewChoices'],
    ['a choice question with 21 choices', 'consent_form', (d) => ({ ...d, questions: [question('choice', 21)] }), 'questions.0.choices', 'validation.tooManyChoices'],
    ['choices on a yes/no question', 'consent_form', (d) => ({ ...d, questions: [question('yes_no', 2)] }), 'questions.0.choices', 'validation.choicesOnlyForChoice'],
    ['a question without a label', 'consent_form', (d) => ({ ...d, questions: [{ ...question('text'), labelFr: '' }] }), 'questions.0.labelFr', 'validation.questionLabelRequired'],
    ['an outing time of 24:00', 'outing', (d) => ({ ...d, outing: { ...d.outing!, endTime: '24:00' } }), 'outing.endTime', 'validation.badTime'],
    ['an outing time without its zero', 'outing', (d) => ({ ...d, outing: { ...d.outing!, startTime: '9:00' } }), 'outing.startTime', 'validation.badTime'],
    ['an outing ending before it starts', 'outing', (d) => ({ ...d, outing: { ...d.outing!, endsOn: '2026-12-09' } }), 'outing.endsOn', 'validation.outingEndsBeforeStart'],
    ['an outing of three weeks', 'outing', (d) => ({ ...d, outing: { ...d.outing!, endsOn: '2026-12-31' } }), 'outing.endsOn', 'validation.outingTooLong'],
    ['an outing without its outing', 'outing', (d) => ({ ...d, outing: null }), 'outing', 'validation.outingRequired'],
    ['outing details on a fee', 'fee', (d) => ({ ...d, outing: CLEAN.outing.outing }), 'outing', 'validation.outingOnlyForOutings'],
    ['a negative bus count', 'outing', (d) => ({ ...d, outing: { ...d.outing!, busCount: -1 } }), 'outing.busCount', 'validation.busCountRange'],
    ['a grade that does not exist', 'fee', (d) => ({ ...d, targets: [{ kind: 'grade', value: '13' }] }), 'targets.0.value', 'validation.badGrade'],
    ['the same target twice', 'fee', (d) => ({ ...d, targets: [d.targets[0], d.targets[0]] }), 'targets.1', 'validation.duplicateTarget'],
    ['an unknown kind', 'fee', (d) => ({ ...d, kind: 'raffle' }), 'kind', 'validation.invalid'],
  ])('refuses %s', (_, kind, patch, field, code) => {
    expect(refuse(kind, patch)).toContainEqual({ field, code })
  })

  it('refuses what is not a draft at all, without throwing', () => {
    expect(issuesOf(null)).toEqual([{ field: '', code: 'validation.invalid' }])
    expect(issuesOf({ kind: 'product' }).length).toBeGreaterThan(5)
    expect(issuesOf({ ...CLEAN.program, dates: 'tous les vendredis', variants: [null] })).toEqual(
      expect.arrayContaining([{ field: 'dates', code: 'validation.invalid' }, { field: 'variants.0', code: 'validation.invalid' }]),
    )
  })
})

describe('the other catalogue schemas', () => {
  it('checks a cutoff rule', () => {
    expect(CutoffRuleSchema.safeParse({ schoolDaysBefore: 2, time: '12:00' }).success).toBe(true)
    expect(CutoffRuleSchema.safeParse({ schoolDaysBefore: 21, time: '12:00' }).success).toBe(false)
    expect(CutoffRuleSchema.safeParse({ schoolDaysBefore: 2, time: '12:60' }).success).toBe(false)
  })

  it('checks a request for program dates', () => {
    const request = { from: '2026-12-01', to: '2027-06-25', weekdays: [5], cutoff: { schoolDaysBefore: 2, time: '12:00' } }
    expect(ProgramDatesRequestSchema.safeParse(request).success).toBe(true)
    expect(ProgramDatesRequestSchema.safeParse({ ...request, weekdays: [0] }).success).toBe(false)
    expect(ProgramDatesRequestSchema.safeParse({ ...request, add: Array.from({ length: 10_000 }, () => '2026-12-09') }).success).toBe(false)
  })

  it('needs a real reason to cancel', () => {
    expect(CancelReasonSchema.safeParse('Tempête').success).toBe(true)
    expect(CancelReasonSchema.safeParse('  ').success).toBe(false)
    expect(CancelReasonSchema.safeParse('x'.repeat(501)).success).toBe(false)
  })

  it('checks a day off', () => {
    expect(DayOffSchema.safeParse({ date: '2026-10-09', kind: 'pd_day', labelFr: 'Journée pédagogique' }).success).toBe(true)
    expect(DayOffSchema.safeParse({ date: '2026-10-09', kind: 'vacation', labelFr: 'X' }).success).toBe(false)
  })
})
