import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Grade } from '../../../src/core/db/schema'
import {
  compareConsentOrder,
  computeOuting,
  demotions,
  planChangeImpact,
  promotions,
  removeBusImpact,
  STUDENT_STATES,
  type CapacityInput,
  type ConsentRow,
  type OutingPlan,
  type OutingSnapshot,
  type PaymentState,
} from '../../../src/core/domain/outings'
import { at, OUTING_DAY, TODAY } from './fixtures'

const MAX_STUDENTS = 40
const GRADES: Grade[] = ['4', '5', '6', '7']

const arbPlan: fc.Arbitrary<OutingPlan> = fc.record({
  date: fc.constant(OUTING_DAY),
  buses: fc.array(fc.integer({ min: 0, max: 24 }), { maxLength: 3 }).map((seats) => seats.map((s, i) => ({ id: `bus-${i}`, seats: s }))),
  staffCount: fc.integer({ min: 0, max: 4 }),
  chaperones: fc
    .array(fc.constantFrom<string | null>(null, '2026-01-31', '2026-05-10', OUTING_DAY, '2027-06-30'), { maxLength: 4 })
    .map((dates) => dates.map((d, i) => ({ id: `c${i}`, name: `Bénévole ${i}`, policeCheckExpiresOn: d }))),
  ratios: fc.constantFrom(
    [{ grades: ['4', '5', '6'] as Grade[], studentsPerAdult: 10 }],
    [
      { grades: ['4'] as Grade[], studentsPerAdult: 6 },
      { grades: ['5', '6', '7'] as Grade[], studentsPerAdult: 8 },
    ],
  ),
  venueLimit: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
  costCents: fc.constantFrom(0, 1500),
})

/**
 * Students s0..s(n-1); consent rows for indexes up to MAX_STUDENTS + 5, those past n being
 * students who are not eligible; minutes collide often, so ties are exercised.
 */
const arbInput: fc.Arbitrary<CapacityInput> = fc
  .record({
    plan: arbPlan,
    students: fc.array(fc.record({ grade: fc.constantFrom(...GRADES), classId: fc.constantFrom<string | null>('A', 'B', 'C', null) }), { maxLength: MAX_STUDENTS }),
    rows: fc.array(
      fc.record({ index: fc.nat(MAX_STUDENTS + 5), decision: fc.constantFrom<ConsentRow['decision']>('granted', 'granted', 'declined', 'withdrawn'), minute: fc.nat(120) }),
      { maxLength: 90 },
    ),
    payments: fc.array(fc.constantFrom<PaymentState>('paid', 'paid', 'waived', 'unpaid'), { minLength: MAX_STUDENTS + 6, maxLength: MAX_STUDENTS + 6 }),
  })
  .map(({ plan, students, rows, payments }) => ({
    plan,
    students: students.map((s, i) => ({ id: `s${String(i).padStart(2, '0')}`, ...s })),
    consents: rows.map((r, k) => ({ id: `row-${String(k).padStart(3, '0')}`, studentId: `s${String(r.index).padStart(2, '0')}`, decision: r.decision, recordedAt: at(r.minute) })),
    payments: Object.fromEntries(payments.map((p, i) => [`s${String(i).padStart(2, '0')}`, p])),
    today: TODAY,
  }))

const settings = { numRuns: 400 }

function inConsentOrder(snapshot: OutingSnapshot, ids: readonly string[]): boolean {
  const byId = new Map(snapshot.students.map((s) => [s.studentId, s]))
  for (let i = 1; i < ids.length; i++) if (compareConsentOrder(byId.get(ids[i - 1]!)!, byId.get(ids[i]!)!) >= 0) return false
  return true
}

describe('the capacity engine’s invariants', () => {
  it('puts each eligible student in exactly one state', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const out = computeOuting(input)
        expect(out.students.map((s) => s.studentId)).toEqual(input.students.map((s) => s.id))
        for (const s of out.students) expect(STUDENT_STATES).toContain(s.state)
        expect(STUDENT_STATES.reduce((sum, state) => sum + out.counts[state], 0)).toBe(input.students.length)
        for (const state of STUDENT_STATES) expect(out.students.filter((s) => s.state === state)).toHaveLength(out.counts[state])
        expect(new Set(out.confirmedIds)).toEqual(new Set(out.students.filter((s) => s.state === 'confirmed').map((s) => s.studentId)))
        expect(new Set(out.waitlist)).toEqual(new Set(out.students.filter((s) => s.state === 'waitlisted').map((s) => s.studentId)))
      }),
      settings,
    )
  })

  it('never confirms more than the capacity, and leaves no seat empty while someone waits', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const out = computeOuting(input)
        if (out.capacity === null) expect(out.waitlist).toEqual([])
        else {
          expect(out.confirmed).toBeLessThanOrEqual(out.capacity)
          if (out.waitlist.length > 0) expect(out.confirmed).toBe(out.capacity)
          if (out.seats) expect(out.confirmed).toBeLessThanOrEqual(out.seats.forStudents)
          if (input.plan.venueLimit !== null) expect(out.confirmed).toBeLessThanOrEqual(input.plan.venueLimit)
        }
        // Only consented students who paid (or were waived, or go free) hold or wait for a seat.
        for (const s of out.students.filter((s) => s.state === 'confirmed' || s.state === 'waitlisted')) expect(s.payment).not.toBe('unpaid')
        for (const s of out.students.filter((s) => s.state === 'consented_unpaid')) expect(s.payment).toBe('unpaid')
      }),
      settings,
    )
  })

  it('seats and waitlists in consent order: every confirmed consent comes before every waiting one', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const out = computeOuting(input)
        expect(inConsentOrder(out, [...out.confirmedIds, ...out.waitlist])).toBe(true)
        out.waitlist.forEach((id, i) => expect(out.students.find((s) => s.studentId === id)!.waitlistPosition).toBe(i + 1))
      }),
      settings,
    )
  })

  it('does not depend on the order of the consent rows', () => {
    fc.assert(
      fc.property(arbInput, fc.infiniteStream(fc.nat()), (input, stream) => {
        const rows = [...input.consents]
        const it = stream[Symbol.iterator]()
        for (let i = rows.length - 1; i > 0; i--) {
          const j = it.next().value % (i + 1)
          ;[rows[i], rows[j]] = [rows[j]!, rows[i]!]
        }
        expect(computeOuting({ ...input, consents: rows })).toEqual(computeOuting(input))
      }),
      settings,
    )
  })

  it('returns to the same state when a bus is removed and added back', () => {
    fc.assert(
      fc.property(arbInput, fc.nat(), (input, pick) => {
        fc.pre(input.plan.buses.length > 0)
        const bus = input.plan.buses[pick % input.plan.buses.length]!
        const removed = removeBusImpact(input, bus.id)
        if (!removed.ok) throw new Error('the bus is on the plan')
        const back = planChangeImpact({ ...input, plan: removed.plan }, { ...removed.plan, buses: [...removed.plan.buses, bus] })
        expect(back.after).toEqual(computeOuting(input))
        // And the round trip gives back exactly the seats it took.
        expect(back.promoted).toEqual(removed.movedToWaitlist)
      }),
      settings,
    )
  })

  it('takes seats from the latest consents first when a bus is removed', () => {
    fc.assert(
      fc.property(arbInput, fc.nat(), (input, pick) => {
        // Removing the last bus makes the outing a walk: see the example test.
        fc.pre(input.plan.buses.length > 1)
        const impact = removeBusImpact(input, input.plan.buses[pick % input.plan.buses.length]!.id)
        if (!impact.ok) throw new Error('the bus is on the plan')
        expect(impact.movedToWaitlist).toEqual(impact.before.confirmedIds.slice(impact.after.confirmed))
        expect(impact.promoted).toEqual([])
      }),
      settings,
    )
  })

  it('never un-confirms anyone when the capacity grows, and promotes the first in line', () => {
    const arbGrowth = fc.oneof(
      // A bus more (the first bus on a walk is no growth: a walk has no seat limit).
      fc.integer({ min: 1, max: 30 }).map((seats) => (p: OutingPlan): OutingPlan => (p.buses.length === 0 ? p : { ...p, buses: [...p.buses, { id: 'extra', seats }] })),
      fc.integer({ min: 1, max: 20 }).map((more) => (p: OutingPlan): OutingPlan => ({ ...p, venueLimit: p.venueLimit === null ? null : p.venueLimit + more })),
      fc.constant((p: OutingPlan): OutingPlan => ({ ...p, venueLimit: null })),
      fc.constant((p: OutingPlan): OutingPlan => ({ ...p, staffCount: Math.max(0, p.staffCount - 1) })),
      fc.constant((p: OutingPlan): OutingPlan => ({ ...p, chaperones: p.chaperones.slice(1) })),
    )
    fc.assert(
      fc.property(arbInput, arbGrowth, (input, grow) => {
        const impact = planChangeImpact(input, grow(input.plan))
        const { before, after } = impact
        for (const id of before.confirmedIds) expect(after.confirmedIds).toContain(id)
        expect(impact.movedToWaitlist).toEqual([])
        expect(demotions(before, after)).toEqual([])
        expect(impact.promoted).toEqual(before.waitlist.slice(0, after.confirmed - before.confirmed))
        expect(after.waitlist).toEqual(before.waitlist.slice(impact.promoted.length))
      }),
      settings,
    )
  })

  it('gives the seat freed by a withdrawal to the first on the waitlist', () => {
    fc.assert(
      fc.property(arbInput, fc.nat(), (input, pick) => {
        const before = computeOuting(input)
        fc.pre(before.confirmed > 0)
        const leaving = before.confirmedIds[pick % before.confirmed]!
        const withdrawal: ConsentRow = { id: 'row-withdrawal', studentId: leaving, decision: 'withdrawn', recordedAt: at(10_000) }
        const after = computeOuting({ ...input, consents: [...input.consents, withdrawal] })
        expect(after.students.find((s) => s.studentId === leaving)).toMatchObject({ state: 'declined', withdrawn: true })
        if (before.waitlist.length > 0) {
          expect(promotions(before, after)).toEqual([before.waitlist[0]])
          expect(after.waitlist).toEqual(before.waitlist.slice(1))
          expect(after.confirmed).toBe(before.confirmed)
        } else expect(after.confirmed).toBe(before.confirmed - 1)
      }),
      settings,
    )
  })

  it('counts the chaperones consistently', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const { chaperones } = computeOuting(input)
        expect(chaperones.covering).toBe(chaperones.list.filter((c) => c.covers).length)
        for (const c of chaperones.list) expect(c.covers).toBe(c.reason === null)
        expect(chaperones.needed).not.toBeNull()
        expect(chaperones.needed!).toBeLessThanOrEqual(chaperones.neededForConsented!)
        expect(chaperones.needed).toBe(chaperones.byBand.reduce((sum, b) => sum + b.needed, 0))
        for (const b of chaperones.byBand) expect(b.needed).toBe(Math.ceil(b.students / b.studentsPerAdult))
        expect(chaperones.shortBy).toBe(Math.max(0, chaperones.needed! - chaperones.covering))
      }),
      settings,
    )
  })
})
