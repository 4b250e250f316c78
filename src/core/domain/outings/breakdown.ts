import type { OutingSnapshot, OutingStudent, StudentState } from './types'

/** What the principal reads per class (DOMAIN.md): the answers and the money, and who is going. */
export interface ClassCounts {
  eligible: number
  /** Consented, whatever the payment: consented_unpaid + confirmed + waitlisted. */
  consented: number
  declined: number
  noAnswer: number
  /** Consented students paid by card. */
  paid: number
  /** Consented students whose cost the principal waived (they count as paid for a seat). */
  waived: number
  consentedUnpaid: number
  confirmed: number
  waitlisted: number
}

export interface ClassBreakdownRow extends ClassCounts {
  classId: string | null
}

const zero = (): ClassCounts => ({ eligible: 0, consented: 0, declined: 0, noAnswer: 0, paid: 0, waived: 0, consentedUnpaid: 0, confirmed: 0, waitlisted: 0 })

const CONSENTED: ReadonlySet<StudentState> = new Set(['consented_unpaid', 'confirmed', 'waitlisted'])

/**
 * The per-class table, classes in the order their first student comes in `students` (the
 * caller sorts them by name), with the school's totals. Paid and waived count consented
 * students only: a family who withdrew is owed a refund, not a seat.
 */
export function classBreakdown(students: readonly OutingStudent[], snapshot: OutingSnapshot): { rows: ClassBreakdownRow[]; totals: ClassCounts } {
  const outcome = new Map(snapshot.students.map((o) => [o.studentId, o]))
  const rows = new Map<string | null, ClassBreakdownRow>()
  const totals = zero()
  const seen = new Set<string>()
  for (const s of students) {
    const o = outcome.get(s.id)
    if (!o || seen.has(s.id)) continue
    seen.add(s.id)
    let row = rows.get(s.classId)
    if (!row) rows.set(s.classId, (row = { classId: s.classId, ...zero() }))
    for (const counts of [row, totals]) {
      counts.eligible++
      if (o.state === 'no_answer') counts.noAnswer++
      else if (o.state === 'declined') counts.declined++
      else if (o.state === 'consented_unpaid') counts.consentedUnpaid++
      else if (o.state === 'confirmed') counts.confirmed++
      else counts.waitlisted++
      if (CONSENTED.has(o.state)) {
        counts.consented++
        if (o.payment === 'paid') counts.paid++
        if (o.payment === 'waived') counts.waived++
      }
    }
  }
  return { rows: [...rows.values()], totals }
}
