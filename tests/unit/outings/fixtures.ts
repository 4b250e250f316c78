import type { Grade } from '../../../src/core/db/schema'
import type { CapacityInput, ConsentRow, OutingPlan, OutingStudent, PaymentState } from '../../../src/core/domain/outings'

export const TODAY = '2026-05-01'
export const OUTING_DAY = '2026-05-20'

/** A minute after 8:00 on 2026-04-20, as stored: rows at increasing `minute` come in that order. */
export const at = (minute: number) => new Date(Date.UTC(2026, 3, 20, 12, 0) + minute * 60_000).toISOString()

export function plan(overrides: Partial<OutingPlan> = {}): OutingPlan {
  return {
    date: OUTING_DAY,
    buses: [
      { id: 'bus-1', seats: 48 },
      { id: 'bus-2', seats: 48 },
    ],
    staffCount: 4,
    chaperones: [],
    ratios: [{ grades: ['4', '5', '6'], studentsPerAdult: 10 }],
    venueLimit: null,
    costCents: 1500,
    ...overrides,
  }
}

export const student = (n: number, grade: Grade = '5', classId: string | null = `class-${grade}`): OutingStudent => ({ id: `s${String(n).padStart(3, '0')}`, grade, classId })

let rowCounter = 0
export const row = (studentId: string, decision: ConsentRow['decision'], minute: number): ConsentRow => ({
  id: `row-${String(++rowCounter).padStart(5, '0')}`,
  studentId,
  decision,
  recordedAt: at(minute),
})

/** Students 1..n, each consenting at minute i and paid: the simplest full outing. */
export function consentingAndPaid(students: readonly OutingStudent[], firstMinute = 0): { consents: ConsentRow[]; payments: Record<string, PaymentState> } {
  return {
    consents: students.map((s, i) => row(s.id, 'granted', firstMinute + i)),
    payments: Object.fromEntries(students.map((s) => [s.id, 'paid' as const])),
  }
}

export function input(overrides: Partial<CapacityInput> = {}): CapacityInput {
  return { plan: plan(), students: [], consents: [], payments: {}, today: TODAY, ...overrides }
}
