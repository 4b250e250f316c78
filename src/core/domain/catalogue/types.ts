import type { OfferingKind, OfferingStatus } from '../../db/schema'
import type { Target } from '../eligibility'
import type { Instant, SchoolDate } from './dates'

export type { OfferingKind, OfferingStatus }

/**
 * An item as the edit form holds it, mirroring the offerings table and its children
 * (offering_targets, offering_variants, program_dates, outings, offering_questions) in
 * camelCase. Looser than OfferingDraftSchema on purpose: the pre-publish checker also runs on a
 * form being filled in, where a price or a date may still be missing (null).
 */
export interface OfferingDraft {
  kind: OfferingKind
  titleFr: string
  titleEn: string | null
  descriptionFr: string
  descriptionEn: string | null
  opensAt: Instant | null
  deadlineAt: Instant | null
  /** Base price: a product without variants, a fee, an outing's cost per student; 0 when free. */
  priceCents: number | null
  feePer: 'student' | 'family' | null
  required: boolean
  stockLimit: number | null
  perStudentLimit: number | null
  reminderDaysBefore: number
  targets: readonly Target[]
  variants: readonly VariantDraft[]
  dates: readonly ProgramDateDraft[]
  outing: OutingDraft | null
  questions: readonly QuestionDraft[]
}

export interface VariantDraft {
  /** Absent for a variant not saved yet. */
  id?: string
  labelFr: string
  labelEn: string | null
  priceCents: number | null
  /** false: no longer sold (a size out of stock), kept for the orders that have it. */
  active?: boolean
}

export interface ProgramDateDraft {
  id?: string
  date: SchoolDate
  cutoffAt: Instant | null
  supplier: string | null
  /** A cancelled date (snow day) stays for its refunds but is no longer sold. */
  status?: 'scheduled' | 'cancelled'
}

export interface OutingDraft {
  startsOn: SchoolDate | null
  endsOn: SchoolDate | null
  startTime: string | null
  endTime: string | null
  destination: string
  venueLimit: number | null
  busCount: number
  seatsPerBus: number
  staffCount: number
  /** Students per chaperone; null until set (the checker then refuses to publish). */
  chaperoneRatio?: number | null
}

export interface ChoiceDraft {
  labelFr: string
  labelEn: string | null
}

export interface QuestionDraft {
  id?: string
  kind: 'yes_no' | 'text' | 'choice'
  labelFr: string
  labelEn: string | null
  choices: readonly ChoiceDraft[]
  required: boolean
}

/** The lifecycle needs only these three facts of an item. */
export interface OfferingTimes {
  status: OfferingStatus
  opensAt: Instant
  deadlineAt: Instant
}
