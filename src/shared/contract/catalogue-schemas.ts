import { z } from 'zod'
import { IsoDate } from './schemas'

/**
 * The hard limits of the catalogue: input outside them is refused outright, before any rule
 * runs. Softer problems (missing English, a deadline in the past, a target nobody is in) are
 * the pre-publish checker's job in core/domain/catalogue/checks.ts, because a draft may be
 * saved unfinished.
 *
 * Every message below is a code, never a sentence: the renderer translates codes with the
 * lead's message catalogues. A zod issue without a custom code is reported as
 * 'validation.invalid'.
 */

export const CATALOGUE_LIMITS = {
  maxPriceCents: 100_000_000,
  titleMax: 200,
  descriptionMax: 5000,
  labelMax: 200,
  questionLabelMax: 500,
  supplierMax: 200,
  destinationMax: 200,
  cancelReasonMax: 500,
  maxProgramDates: 200,
  maxVariants: 30,
  maxQuestions: 30,
  minChoices: 2,
  maxChoices: 20,
  maxTargets: 2000,
  maxReminderDays: 60,
  maxCutoffSchoolDays: 20,
  maxStock: 100_000,
  maxPerStudent: 1000,
  maxBuses: 50,
  maxSeatsPerBus: 100,
  maxStaff: 500,
  maxVenue: 100_000,
  maxOutingDays: 14,
  maxChaperoneRatio: 50,
} as const

const GRADES = ['JK', 'SK', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const

/** The contract's one date schema (shared/contract/schemas.ts), under the catalogue's name. */
export const SchoolDate = IsoDate
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'validation.badTime' })
/**
 * Any ISO-8601 instant with an offset comes in; the same instant goes out as
 * `Date.toISOString()` (UTC, milliseconds), so stored instants compare as strings.
 */
export const UtcInstant = z.iso
  .datetime({ offset: true, error: 'validation.badInstant' })
  .transform((s) => new Date(s).toISOString())

export const PriceCents = z
  .number({ error: 'validation.priceRequired' })
  .int({ error: 'validation.priceNotCents' })
  .min(0, { error: 'validation.priceNegative' })
  .max(CATALOGUE_LIMITS.maxPriceCents, { error: 'validation.priceTooHigh' })

const optionalText = (max: number, code: string) =>
  z
    .string()
    .max(max, { error: code })
    .nullable()
    .transform((s) => (s == null || s.trim() === '' ? null : s))

const requiredText = (max: number, missing: string, tooLong: string) =>
  z
    .string({ error: missing })
    .max(max, { error: tooLong })
    .refine((s) => s.trim().length > 0, { error: missing })

const count = (min: number, max: number, code: string) => z.number().int({ error: code }).min(min, { error: code }).max(max, { error: code })

export const OfferingKindSchema = z.enum(['product', 'program', 'fee', 'outing', 'consent_form'])
export const OfferingStatusSchema = z.enum(['draft', 'published', 'closed', 'archived', 'cancelled'])

export const TargetSchema = z
  .object({
    kind: z.enum(['school', 'grade', 'class', 'student']),
    value: z.string().min(1, { error: 'validation.targetValue' }).max(64, { error: 'validation.targetValue' }),
  })
  .refine((t) => t.kind !== 'grade' || (GRADES as readonly string[]).includes(t.value), {
    error: 'validation.badGrade',
    path: ['value'],
  })

export const VariantDraftSchema = z.object({
  id: z.string().min(1).max(64).optional(),
  labelFr: requiredText(CATALOGUE_LIMITS.labelMax, 'validation.labelFrRequired', 'validation.labelTooLong'),
  labelEn: optionalText(CATALOGUE_LIMITS.labelMax, 'validation.labelTooLong'),
  priceCents: PriceCents,
  active: z.boolean().optional(),
})

export const ProgramDateDraftSchema = z.object({
  id: z.string().min(1).max(64).optional(),
  date: SchoolDate,
  cutoffAt: UtcInstant,
  supplier: optionalText(CATALOGUE_LIMITS.supplierMax, 'validation.supplierTooLong'),
  status: z.enum(['scheduled', 'cancelled']).optional(),
})

export const OutingDraftSchema = z
  .object({
    startsOn: SchoolDate,
    endsOn: SchoolDate,
    startTime: LocalTime.nullable(),
    endTime: LocalTime.nullable(),
    destination: z.string().max(CATALOGUE_LIMITS.destinationMax, { error: 'validation.destinationTooLong' }),
    venueLimit: count(1, CATALOGUE_LIMITS.maxVenue, 'validation.venueLimitRange').nullable(),
    busCount: count(0, CATALOGUE_LIMITS.maxBuses, 'validation.busCountRange'),
    seatsPerBus: count(0, CATALOGUE_LIMITS.maxSeatsPerBus, 'validation.seatsPerBusRange'),
    staffCount: count(0, CATALOGUE_LIMITS.maxStaff, 'validation.staffCountRange'),
    /** Students per chaperone (1:10); a ratio per grade band comes with the outings' planning. */
    chaperoneRatio: count(1, CATALOGUE_LIMITS.maxChaperoneRatio, 'validation.chaperoneRatioRange').nullable().default(null),
  })
  .superRefine((o, ctx) => {
    if (o.endsOn < o.startsOn) ctx.addIssue({ code: 'custom', message: 'validation.outingEndsBeforeStart', path: ['endsOn'] })
    else if (daySpan(o.startsOn, o.endsOn) > CATALOGUE_LIMITS.maxOutingDays)
      ctx.addIssue({ code: 'custom', message: 'validation.outingTooLong', path: ['endsOn'] })
  })

export const ChoiceSchema = z.object({
  labelFr: requiredText(CATALOGUE_LIMITS.labelMax, 'validation.choiceLabelRequired', 'validation.labelTooLong'),
  labelEn: optionalText(CATALOGUE_LIMITS.labelMax, 'validation.labelTooLong'),
})

export const QuestionDraftSchema = z
  .object({
    id: z.string().min(1).max(64).optional(),
    kind: z.enum(['yes_no', 'text', 'choice']),
    labelFr: requiredText(CATALOGUE_LIMITS.questionLabelMax, 'validation.questionLabelRequired', 'validation.labelTooLong'),
    labelEn: optionalText(CATALOGUE_LIMITS.questionLabelMax, 'validation.labelTooLong'),
    choices: z.array(ChoiceSchema).max(CATALOGUE_LIMITS.maxChoices, { error: 'validation.tooManyChoices' }),
    required: z.boolean(),
  })
  .superRefine((q, ctx) => {
    if (q.kind === 'choice' && q.choices.length < CATALOGUE_LIMITS.minChoices)
      ctx.addIssue({ code: 'custom', message: 'validation.tooFewChoices', path: ['choices'] })
    if (q.kind !== 'choice' && q.choices.length > 0)
      ctx.addIssue({ code: 'custom', message: 'validation.choicesOnlyForChoice', path: ['choices'] })
  })

/**
 * What the edit form sends to save an item. Drafts may be unfinished (no dates yet, no
 * English), but never wrong in a way the database or a family would suffer from.
 */
export const OfferingDraftSchema = z
  .object({
    kind: OfferingKindSchema,
    titleFr: requiredText(CATALOGUE_LIMITS.titleMax, 'validation.titleFrRequired', 'validation.titleTooLong'),
    titleEn: optionalText(CATALOGUE_LIMITS.titleMax, 'validation.titleTooLong'),
    descriptionFr: z.string().max(CATALOGUE_LIMITS.descriptionMax, { error: 'validation.descriptionTooLong' }),
    descriptionEn: optionalText(CATALOGUE_LIMITS.descriptionMax, 'validation.descriptionTooLong'),
    opensAt: UtcInstant,
    deadlineAt: UtcInstant,
    priceCents: PriceCents,
    feePer: z.enum(['student', 'family']).nullable(),
    required: z.boolean(),
    stockLimit: count(1, CATALOGUE_LIMITS.maxStock, 'validation.stockLimitRange').nullable(),
    perStudentLimit: count(1, CATALOGUE_LIMITS.maxPerStudent, 'validation.perStudentLimitRange').nullable(),
    reminderDaysBefore: count(0, CATALOGUE_LIMITS.maxReminderDays, 'validation.reminderDaysRange'),
    targets: z.array(TargetSchema).max(CATALOGUE_LIMITS.maxTargets, { error: 'validation.tooManyTargets' }),
    variants: z.array(VariantDraftSchema).max(CATALOGUE_LIMITS.maxVariants, { error: 'validation.tooManyVariants' }),
    dates: z.array(ProgramDateDraftSchema).max(CATALOGUE_LIMITS.maxProgramDates, { error: 'validation.tooManyDates' }),
    outing: OutingDraftSchema.nullable(),
    questions: z.array(QuestionDraftSchema).max(CATALOGUE_LIMITS.maxQuestions, { error: 'validation.tooManyQuestions' }),
  })
  .superRefine((d, ctx) => {
    if (Date.parse(d.deadlineAt) <= Date.parse(d.opensAt))
      ctx.addIssue({ code: 'custom', message: 'validation.deadlineBeforeOpening', path: ['deadlineAt'] })
    if (d.kind === 'outing' && d.outing == null) ctx.addIssue({ code: 'custom', message: 'validation.outingRequired', path: ['outing'] })
    if (d.kind !== 'outing' && d.outing != null) ctx.addIssue({ code: 'custom', message: 'validation.outingOnlyForOutings', path: ['outing'] })
    if (d.kind !== 'program' && d.dates.length > 0) ctx.addIssue({ code: 'custom', message: 'validation.datesOnlyForPrograms', path: ['dates'] })
    if (d.kind === 'fee' && d.feePer == null) ctx.addIssue({ code: 'custom', message: 'validation.feePerRequired', path: ['feePer'] })
    const seenDates = new Set<string>()
    d.dates.forEach((pd, i) => {
      if (seenDates.has(pd.date)) ctx.addIssue({ code: 'custom', message: 'validation.duplicateDate', path: ['dates', i, 'date'] })
      seenDates.add(pd.date)
    })
    const seenTargets = new Set<string>()
    d.targets.forEach((t, i) => {
      const key = `${t.kind}:${t.value}`
      if (seenTargets.has(key)) ctx.addIssue({ code: 'custom', message: 'validation.duplicateTarget', path: ['targets', i] })
      seenTargets.add(key)
    })
  })

export type OfferingDraftInput = z.input<typeof OfferingDraftSchema>
export type OfferingDraftParsed = z.output<typeof OfferingDraftSchema>

/** "N school days before, at HH:MM": the cutoff of each program date. */
export const CutoffRuleSchema = z.object({
  schoolDaysBefore: count(0, CATALOGUE_LIMITS.maxCutoffSchoolDays, 'validation.cutoffDaysRange'),
  time: LocalTime,
})

export const ProgramDatesRequestSchema = z.object({
  from: SchoolDate,
  to: SchoolDate,
  weekdays: z
    .array(z.number().int().min(1, { error: 'validation.badWeekday' }).max(7, { error: 'validation.badWeekday' }))
    .max(7, { error: 'validation.badWeekday' }),
  add: z.array(SchoolDate).max(CATALOGUE_LIMITS.maxProgramDates, { error: 'validation.tooManyDates' }).optional(),
  remove: z.array(SchoolDate).max(400, { error: 'validation.tooManyDates' }).optional(),
  cutoff: CutoffRuleSchema,
  supplier: optionalText(CATALOGUE_LIMITS.supplierMax, 'validation.supplierTooLong').optional(),
})

export const CancelReasonSchema = requiredText(CATALOGUE_LIMITS.cancelReasonMax, 'validation.reasonRequired', 'validation.reasonTooLong')

export const DayOffSchema = z.object({
  date: SchoolDate,
  kind: z.enum(['holiday', 'pd_day', 'closure']),
  labelFr: requiredText(CATALOGUE_LIMITS.labelMax, 'validation.labelFrRequired', 'validation.labelTooLong'),
  labelEn: optionalText(CATALOGUE_LIMITS.labelMax, 'validation.labelTooLong').optional(),
})

function daySpan(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}
