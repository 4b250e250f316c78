/**
 * The outing's capacity engine works on plain data only: the services read the plan, the
 * eligible students, the consent history and the payments from the database, pass `today`
 * in, and get states and numbers back. No IO, no clock.
 *
 * Dates: a school date is 'YYYY-MM-DD' (a day in the school's zone); an instant is ISO-8601
 * UTC text, as stored (the same types as the catalogue's).
 */

import type { Grade } from '../../db/schema'
import type { Instant, SchoolDate } from '../catalogue/dates'

export type { Instant, SchoolDate }

export interface Bus {
  id: string
  /** Seats on the bus, adults included. */
  seats: number
  /** What the office calls it on paper ("Autobus 1", the carrier's number); optional. */
  label?: string | null
}

export interface Chaperone {
  id: string
  name: string
  /** Last day the police records check (vérification des antécédents) is valid; null when none is on file. */
  policeCheckExpiresOn: SchoolDate | null
}

/** Students per adult for a band of grades: [{grades: ['4','5','6'], studentsPerAdult: 10}]. */
export interface RatioBand {
  grades: readonly Grade[]
  studentsPerAdult: number
}

export interface OutingPlan {
  /** The outing's (first) day. */
  date: SchoolDate
  /** The last day of an outing over several days; the first day when absent or null. */
  endDate?: SchoolDate | null
  /** The buses; none for a walk (then seats do not limit the outing). */
  buses: readonly Bus[]
  /** School staff going (teachers, educational assistants): they take bus seats too. */
  staffCount: number
  /** The volunteers. */
  chaperones: readonly Chaperone[]
  ratios: readonly RatioBand[]
  /** The most students the venue takes; null when it sets no limit. */
  venueLimit: number | null
  /** Cost per student in cents; 0 for a free outing, where a consent alone confirms. */
  costCents: number
}

export interface OutingStudent {
  id: string
  grade: Grade
  classId: string | null
}

export type ConsentDecision = 'granted' | 'declined' | 'withdrawn'

/** One row of the append-only consent history: the current answer is the latest row. */
export interface ConsentRow {
  id: string
  studentId: string
  decision: ConsentDecision
  recordedAt: Instant
}

/** What the student's family owes for the outing: paid by card, waived by the principal, or not yet. */
export type PaymentState = 'paid' | 'waived' | 'unpaid'

export interface CapacityInput {
  plan: OutingPlan
  /** The eligible students (the item's targets, active students only). */
  students: readonly OutingStudent[]
  consents: readonly ConsentRow[]
  /** By student id; a student absent from it has not paid. A waiver counts as paid. */
  payments: Readonly<Record<string, PaymentState>>
  today: SchoolDate
}

export type StudentState = 'no_answer' | 'declined' | 'consented_unpaid' | 'confirmed' | 'waitlisted'
export const STUDENT_STATES: readonly StudentState[] = ['no_answer', 'declined', 'consented_unpaid', 'confirmed', 'waitlisted']

export interface StudentOutcome {
  studentId: string
  state: StudentState
  /** When the current consent was given (see `currentConsents`); null unless the current answer is a consent. */
  consentedAt: Instant | null
  /** Declined by withdrawing an earlier consent (the history shows it; the call list does not call them). */
  withdrawn: boolean
  /** 'free' for an outing at 0 $. */
  payment: PaymentState | 'free'
  /** 1 for the first on the waitlist; null when not waitlisted. */
  waitlistPosition: number | null
}

export type ChaperoneReason = 'checkMissing' | 'checkDateInvalid' | 'checkExpired' | 'checkExpiresBeforeOuting'

export interface ChaperoneOutcome {
  id: string
  name: string
  expiresOn: SchoolDate | null
  covers: boolean
  /** Why the chaperone does not cover; null when they do. */
  reason: ChaperoneReason | null
}

export interface BandNeed {
  grades: readonly Grade[]
  studentsPerAdult: number
  /** Confirmed students in the band. */
  students: number
  needed: number
  /** Students whose grade is in no band: counted at the strictest ratio (and refused by the validation). */
  unbanded: boolean
}

export interface ChaperoneSummary {
  /** Chaperones needed for the confirmed students; null when the outing has no valid ratio. */
  needed: number | null
  /** The same if every consented student went (paid or not, waitlisted included): for planning. */
  neededForConsented: number | null
  covering: number
  /** needed − covering, never below 0. */
  shortBy: number
  byBand: BandNeed[]
  list: ChaperoneOutcome[]
}

export interface OutingSnapshot {
  /** Every eligible student once, in the order they were given. */
  students: StudentOutcome[]
  counts: Record<StudentState, number>
  /** The most students who can be confirmed; null when nothing limits it (a walk to a place without a limit). */
  capacity: number | null
  limits: { seats: number | null; venue: number | null }
  limitedBy: 'seats' | 'venue' | null
  /** The buses' seats: all of them, the adults' (staff and chaperones), the students' (never below 0). Null for a walk. */
  seats: { total: number; adults: number; forStudents: number } | null
  confirmed: number
  /** The confirmed students, in consent order. */
  confirmedIds: string[]
  /** The waitlist, first in line first. */
  waitlist: string[]
  /** Seats still free for a student; null when unlimited. */
  seatsLeft: number | null
  chaperones: ChaperoneSummary
  buses: {
    assigned: number
    /** Buses needed to carry every consented student (paid or not) and the adults; null for a walk. */
    neededForConsented: number | null
    /** The people that count: consented students, staff and chaperones. */
    peopleToSeat: number
  }
}
