import { describe, expect, it } from 'vitest'
import {
  assignBuses,
  busesNeeded,
  chaperoneOutcome,
  chaperonesNeeded,
  classBreakdown,
  computeOuting,
  currentConsents,
  promotions,
  removeBusImpact,
  planChangeImpact,
  type Chaperone,
  type OutingStudent,
} from '../../../src/core/domain/outings'
import { consentingAndPaid, input, OUTING_DAY, plan, row, student, TODAY } from './fixtures'

const chaperone = (n: number, policeCheckExpiresOn: string | null = '2027-01-31'): Chaperone => ({ id: `c${n}`, name: `Bénévole ${n}`, policeCheckExpiresOn })
const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from)

describe('the outing of the issue: grades 4–6, two buses of 48, one adult for 10', () => {
  const students = range(100).map((n) => student(n, (['4', '5', '6'] as const)[n % 3]!, `class-${n % 4}`))
  const { consents, payments } = consentingAndPaid(students)
  const base = input({ plan: plan({ staffCount: 4, chaperones: range(6).map((n) => chaperone(n)) }), students, consents, payments })

  it('fills from consents up to the seats left after the adults, then waitlists in consent order', () => {
    const out = computeOuting(base)
    expect(out.seats).toEqual({ total: 96, adults: 10, forStudents: 86 })
    expect(out.capacity).toBe(86)
    expect(out.limitedBy).toBe('seats')
    expect(out.confirmed).toBe(86)
    expect(out.confirmedIds).toEqual(students.slice(0, 86).map((s) => s.id))
    expect(out.waitlist).toEqual(students.slice(86).map((s) => s.id))
    expect(out.counts).toEqual({ no_answer: 0, declined: 0, consented_unpaid: 0, confirmed: 86, waitlisted: 14 })
    expect(out.seatsLeft).toBe(0)
    expect(out.students.find((s) => s.studentId === students[86]!.id)?.waitlistPosition).toBe(1)
    expect(out.chaperones).toMatchObject({ needed: 9, neededForConsented: 10, covering: 6, shortBy: 3 })
    // 100 consented + 10 adults: three buses of 48.
    expect(out.buses).toEqual({ assigned: 2, neededForConsented: 3, peopleToSeat: 110 })
  })

  it('promotes the whole waitlist, in order, when a third bus comes', () => {
    const bigger = plan({ ...base.plan, buses: [...base.plan.buses, { id: 'bus-3', seats: 48 }] })
    const impact = planChangeImpact(base, bigger)
    expect(impact.after.capacity).toBe(134)
    expect(impact.promoted).toEqual(students.slice(86).map((s) => s.id))
    expect(impact.movedToWaitlist).toEqual([])
    expect(impact.after.waitlist).toEqual([])
  })

  it('shows who would lose a seat when a bus is removed, and removes nothing by itself', () => {
    const impact = removeBusImpact(base, 'bus-2')
    expect(impact.ok).toBe(true)
    if (!impact.ok) return
    expect(impact.after.capacity).toBe(38)
    expect(impact.movedToWaitlist).toEqual(students.slice(38, 86).map((s) => s.id))
    expect(impact.after.waitlist.slice(0, 48)).toEqual(impact.movedToWaitlist)
    expect(base.plan.buses).toHaveLength(2)
    expect(removeBusImpact(base, 'bus-9')).toEqual({ ok: false, code: 'outing.busUnknown', values: { bus: 'bus-9' } })
  })

  it('makes it a walk when the last bus goes: only the venue limits it then, and the screen shows who that seats', () => {
    const oneBus = { ...base, plan: plan({ ...base.plan, buses: [{ id: 'bus-1', seats: 48 }], venueLimit: 90 }) }
    const impact = removeBusImpact(oneBus, 'bus-1')
    if (!impact.ok) throw new Error('bus-1 is on the plan')
    expect(impact.before.capacity).toBe(38)
    expect(impact.after).toMatchObject({ capacity: 90, limitedBy: 'venue', seats: null })
    expect(impact.promoted).toEqual(students.slice(38, 90).map((s) => s.id))
  })
})

describe('each eligible student’s state', () => {
  const s = range(8).map((n) => student(n))
  const consents = [
    row(s[1]!.id, 'declined', 1),
    row(s[2]!.id, 'granted', 2),
    row(s[2]!.id, 'withdrawn', 3),
    row(s[3]!.id, 'granted', 4), // unpaid
    row(s[4]!.id, 'granted', 5), // paid
    row(s[5]!.id, 'granted', 6), // waived
    row(s[6]!.id, 'declined', 7),
    row(s[6]!.id, 'granted', 8), // changed their mind: paid
    row(s[7]!.id, 'granted', 9), // paid, but after a withdrawal nothing is owed: see below
    row(s[7]!.id, 'withdrawn', 10),
  ]
  const payments = { [s[4]!.id]: 'paid', [s[5]!.id]: 'waived', [s[6]!.id]: 'paid', [s[7]!.id]: 'paid' } as const

  it('is one of no answer, declined, consented unpaid, confirmed, waitlisted', () => {
    const out = computeOuting(input({ students: s, consents, payments }))
    const state = Object.fromEntries(out.students.map((o) => [o.studentId, o.state]))
    expect(state).toEqual({
      s001: 'no_answer',
      s002: 'declined',
      s003: 'declined',
      s004: 'consented_unpaid',
      s005: 'confirmed',
      s006: 'confirmed',
      s007: 'confirmed',
      s008: 'declined',
    })
    expect(out.students.map((o) => o.withdrawn)).toEqual([false, false, true, false, false, false, false, true])
    expect(out.students.map((o) => o.payment)).toEqual(['unpaid', 'unpaid', 'unpaid', 'unpaid', 'paid', 'waived', 'paid', 'paid'])
  })

  it('holds a seat with consent and payment: an unpaid consent waits outside the count, whatever its time', () => {
    // One seat: the first to consent has not paid, so the second (paid) has it.
    const out = computeOuting(input({ plan: plan({ buses: [], venueLimit: 1 }), students: s, consents, payments }))
    expect(out.capacity).toBe(1)
    expect(out.confirmedIds).toEqual([s[4]!.id])
    expect(out.waitlist).toEqual([s[5]!.id, s[6]!.id])
    expect(out.students[3]!.state).toBe('consented_unpaid')
  })

  it('confirms on consent alone when the outing is free', () => {
    const out = computeOuting(input({ plan: plan({ costCents: 0 }), students: s, consents, payments: {} }))
    expect(out.confirmedIds).toEqual([s[3]!.id, s[4]!.id, s[5]!.id, s[6]!.id])
    expect(out.students.every((o) => o.payment === 'free')).toBe(true)
  })

  it('ignores consents of students who are not eligible (the validation refuses them)', () => {
    const out = computeOuting(input({ students: s.slice(0, 2), consents: [row('stranger', 'granted', 0), row(s[0]!.id, 'granted', 1)], payments: { stranger: 'paid', [s[0]!.id]: 'paid' } }))
    expect(out.students.map((o) => o.studentId)).toEqual([s[0]!.id, s[1]!.id])
    expect(out.confirmedIds).toEqual([s[0]!.id])
  })

  it('counts a student listed twice once', () => {
    const out = computeOuting(input({ students: [s[0]!, s[0]!, s[1]!] }))
    expect(out.students).toHaveLength(2)
    expect(out.counts.no_answer).toBe(2)
  })
})

describe('consent order', () => {
  it('is the time of the current consent, the student id breaking ties', () => {
    const [a, b, c] = [student(3), student(1), student(2)]
    const consents = [row(a.id, 'granted', 1), row(b.id, 'granted', 5), row(c.id, 'granted', 5)]
    const payments = { [a.id]: 'paid', [b.id]: 'paid', [c.id]: 'paid' } as const
    const out = computeOuting(input({ plan: plan({ buses: [], venueLimit: 1 }), students: [a, b, c], consents, payments }))
    expect(out.confirmedIds).toEqual([a.id])
    expect(out.waitlist).toEqual([b.id, c.id])
  })

  it('keeps the place of a guardian who submits the form again, and sends a renewed consent to the back', () => {
    const history = [
      row('a', 'granted', 1),
      row('a', 'granted', 30), // the form again, to update the allergy answer
      row('b', 'granted', 2),
      row('b', 'withdrawn', 3),
      row('b', 'granted', 20), // consents again: back of the line
    ]
    const current = currentConsents(history)
    expect(current.get('a')).toMatchObject({ decision: 'granted', consentedAt: history[0]!.recordedAt })
    expect(current.get('b')).toMatchObject({ decision: 'granted', consentedAt: history[4]!.recordedAt })
  })

  it('reads the history in time order, whatever the order of the rows', () => {
    const history = [row('a', 'withdrawn', 10), row('a', 'granted', 1)]
    expect(currentConsents(history).get('a')).toEqual({ studentId: 'a', decision: 'withdrawn', consentedAt: null, withdrawn: true })
  })
})

describe('capacity', () => {
  const s = range(30).map((n) => student(n))
  const full = { students: s, ...consentingAndPaid(s) }

  it('is unlimited for a walk to a place without a limit', () => {
    const out = computeOuting(input({ ...full, plan: plan({ buses: [], venueLimit: null }) }))
    expect(out.capacity).toBeNull()
    expect(out.seats).toBeNull()
    expect(out.limitedBy).toBeNull()
    expect(out.seatsLeft).toBeNull()
    expect(out.confirmed).toBe(30)
    expect(out.buses.neededForConsented).toBeNull()
  })

  it('is the venue limit for a walk', () => {
    const out = computeOuting(input({ ...full, plan: plan({ buses: [], venueLimit: 25 }) }))
    expect(out).toMatchObject({ capacity: 25, limitedBy: 'venue', confirmed: 25, seatsLeft: 0 })
    expect(out.waitlist).toHaveLength(5)
  })

  it('is the smaller of the seats left after staff and chaperones and the venue limit', () => {
    const twoSmall = [
      { id: 'a', seats: 12 },
      { id: 'b', seats: 20 },
    ]
    expect(computeOuting(input({ ...full, plan: plan({ buses: twoSmall, staffCount: 2, chaperones: [chaperone(1), chaperone(2, null)], venueLimit: 40 }) }))).toMatchObject({
      capacity: 28,
      limits: { seats: 28, venue: 40 },
      limitedBy: 'seats',
    })
    expect(computeOuting(input({ ...full, plan: plan({ buses: twoSmall, staffCount: 2, venueLimit: 20 }) }))).toMatchObject({ capacity: 20, limits: { seats: 30, venue: 20 }, limitedBy: 'venue' })
  })

  it('is 0 when the adults fill the buses', () => {
    const out = computeOuting(input({ ...full, plan: plan({ buses: [{ id: 'a', seats: 4 }], staffCount: 3, chaperones: [chaperone(1), chaperone(2)] }) }))
    expect(out.seats).toEqual({ total: 4, adults: 5, forStudents: 0 })
    expect(out.capacity).toBe(0)
    expect(out.waitlist).toHaveLength(30)
  })

  it('reads impossible numbers as nothing rather than throwing (the validation names them)', () => {
    const out = computeOuting(input({ ...full, plan: plan({ buses: [{ id: 'a', seats: -10 }, { id: 'b', seats: 12.7 }], staffCount: -3, venueLimit: 0 }) }))
    expect(out.seats).toEqual({ total: 12, adults: 0, forStudents: 12 })
    expect(out.capacity).toBe(0)
  })

  it('frees a seat for the first waitlisted when a confirmed student’s consent is withdrawn', () => {
    const narrow = input({ ...full, plan: plan({ buses: [], venueLimit: 10 }) })
    const before = computeOuting(narrow)
    const after = computeOuting({ ...narrow, consents: [...narrow.consents, row(s[3]!.id, 'withdrawn', 500)] })
    expect(promotions(before, after)).toEqual([s[10]!.id])
    expect(after.confirmedIds).toEqual([...s.slice(0, 3), ...s.slice(4, 11)].map((x) => x.id))
    expect(after.waitlist).toEqual(before.waitlist.slice(1))
  })
})

describe('chaperones', () => {
  it('are needed per grade band, rounded up in each', () => {
    const ratios = [
      { grades: ['JK', 'SK'] as const, studentsPerAdult: 5 },
      { grades: ['4', '5', '6'] as const, studentsPerAdult: 10 },
    ]
    const kids = [...range(6).map(() => ({ grade: 'JK' as const })), ...range(11).map(() => ({ grade: '5' as const }))]
    const { needed, byBand } = chaperonesNeeded(plan({ ratios: ratios.map((r) => ({ ...r, grades: [...r.grades] })) }), kids)
    expect(needed).toBe(2 + 2)
    expect(byBand.map((b) => [b.students, b.needed])).toEqual([
      [6, 2],
      [11, 2],
    ])
  })

  it('count a grade in no band at the strictest ratio, and need none without a valid ratio', () => {
    const p = plan({ ratios: [{ grades: ['4'], studentsPerAdult: 10 }, { grades: ['5'], studentsPerAdult: 8 }] })
    const { needed, byBand } = chaperonesNeeded(p, [{ grade: '4' }, { grade: '7' }, { grade: '7' }])
    expect(needed).toBe(1 + 0 + 1)
    expect(byBand[2]).toEqual({ grades: ['7'], studentsPerAdult: 8, students: 2, needed: 1, unbanded: true })
    expect(chaperonesNeeded(plan({ ratios: [{ grades: ['4'], studentsPerAdult: 0 }] }), [{ grade: '4' }]).needed).toBeNull()
    expect(chaperonesNeeded(plan({ ratios: [] }), [{ grade: '4' }]).needed).toBeNull()
  })

  it('do not count the staff against the need', () => {
    const s = range(20).map((n) => student(n))
    const out = computeOuting(input({ plan: plan({ staffCount: 10 }), students: s, ...consentingAndPaid(s) }))
    expect(out.chaperones).toMatchObject({ needed: 2, covering: 0, shortBy: 2 })
  })

  it('cover only with a police records check valid through the outing’s last day, and say why not', () => {
    const p = plan({ date: OUTING_DAY })
    const outcome = (expires: string | null, over = p) => chaperoneOutcome(chaperone(1, expires), over, TODAY)
    expect(outcome(null)).toMatchObject({ covers: false, reason: 'checkMissing', expiresOn: null })
    expect(outcome('')).toMatchObject({ covers: false, reason: 'checkMissing' })
    expect(outcome('2026-02-30')).toMatchObject({ covers: false, reason: 'checkDateInvalid' })
    expect(outcome('2026-04-30')).toMatchObject({ covers: false, reason: 'checkExpired' })
    expect(outcome('2026-05-19')).toMatchObject({ covers: false, reason: 'checkExpiresBeforeOuting' })
    expect(outcome(OUTING_DAY)).toMatchObject({ covers: true, reason: null })
    expect(outcome(TODAY)).toMatchObject({ covers: false, reason: 'checkExpiresBeforeOuting' })
    const overnight = plan({ date: OUTING_DAY, endDate: '2026-05-22' })
    expect(outcome('2026-05-21', overnight)).toMatchObject({ covers: false, reason: 'checkExpiresBeforeOuting' })
    expect(outcome('2026-05-22', overnight)).toMatchObject({ covers: true })
  })

  it('come back with the reason of each in the snapshot', () => {
    const out = computeOuting(input({ plan: plan({ chaperones: [chaperone(1), chaperone(2, null), chaperone(3, '2026-01-01')] }) }))
    expect(out.chaperones.covering).toBe(1)
    expect(out.chaperones.list.map((c) => [c.name, c.covers, c.reason])).toEqual([
      ['Bénévole 1', true, null],
      ['Bénévole 2', false, 'checkMissing'],
      ['Bénévole 3', false, 'checkExpired'],
    ])
  })
})

describe('buses needed for the consented', () => {
  it('are the fewest of the plan’s buses that seat them, then more of the largest', () => {
    const p = plan({ buses: [{ id: 'small', seats: 24 }, { id: 'big', seats: 72 }, { id: 'mid', seats: 48 }] })
    expect(busesNeeded(p, 0)).toBe(0)
    expect(busesNeeded(p, 72)).toBe(1)
    expect(busesNeeded(p, 73)).toBe(2)
    expect(busesNeeded(p, 144)).toBe(3)
    expect(busesNeeded(p, 145)).toBe(4)
    expect(busesNeeded(p, 144 + 72 * 2)).toBe(5)
    expect(busesNeeded(plan({ buses: [] }), 10)).toBeNull()
    expect(busesNeeded(plan({ buses: [{ id: 'x', seats: 0 }] }), 10)).toBeNull()
  })

  it('count every consented student, paid or not, and the adults', () => {
    const s = range(50).map((n) => student(n))
    const consents = s.map((x, i) => row(x.id, 'granted', i))
    const out = computeOuting(input({ plan: plan({ staffCount: 2, chaperones: [chaperone(1)] }), students: s, consents, payments: {} }))
    expect(out.confirmed).toBe(0)
    expect(out.buses).toEqual({ assigned: 2, neededForConsented: 2, peopleToSeat: 53 })
  })
})

describe('the per-class table', () => {
  it('counts the answers and the money per class, and the school’s totals', () => {
    const s: OutingStudent[] = [student(1, '4', 'A'), student(2, '4', 'A'), student(3, '4', 'A'), student(4, '5', 'B'), student(5, '5', 'B'), student(6, '5', null)]
    const consents = [row('s001', 'granted', 1), row('s002', 'granted', 2), row('s003', 'declined', 3), row('s004', 'granted', 4), row('s005', 'granted', 5)]
    const payments = { s001: 'paid', s002: 'waived', s003: 'paid', s005: 'paid' } as const
    const snapshot = computeOuting(input({ plan: plan({ buses: [], venueLimit: 2 }), students: s, consents, payments }))
    const { rows, totals } = classBreakdown(s, snapshot)
    expect(rows).toEqual([
      { classId: 'A', eligible: 3, consented: 2, declined: 1, noAnswer: 0, paid: 1, waived: 1, consentedUnpaid: 0, confirmed: 2, waitlisted: 0 },
      { classId: 'B', eligible: 2, consented: 2, declined: 0, noAnswer: 0, paid: 1, waived: 0, consentedUnpaid: 1, confirmed: 0, waitlisted: 1 },
      { classId: null, eligible: 1, consented: 0, declined: 0, noAnswer: 1, paid: 0, waived: 0, consentedUnpaid: 0, confirmed: 0, waitlisted: 0 },
    ])
    expect(totals).toEqual({ eligible: 6, consented: 4, declined: 1, noAnswer: 1, paid: 2, waived: 1, consentedUnpaid: 1, confirmed: 2, waitlisted: 1 })
  })
})

describe('seating on the buses', () => {
  const byClass = (cls: string, n: number, from: number) => range(n, from).map((i) => student(i, '5', cls))

  it('spreads the adults, keeps each class together where it fits, and splits one only when none has room', () => {
    const students = [...byClass('A', 20, 1), ...byClass('B', 30, 21), ...byClass('C', 25, 51)]
    const p = plan({ buses: [{ id: 'b1', seats: 48, label: 'Autobus 12' }, { id: 'b2', seats: 48 }], staffCount: 3, chaperones: [chaperone(1)] })
    const loads = assignBuses(p, students, students.map((s) => s.id))
    expect(loads.map((l) => [l.busId, l.label, l.adults])).toEqual([
      ['b1', 'Autobus 12', 2],
      ['b2', null, 2],
    ])
    // A (20) fits on b1; B (30) no longer does there (26 left) but does on b2 (46); C (25) fits nowhere whole: split.
    expect(loads[0]!.studentIds.slice(0, 20)).toEqual(students.slice(0, 20).map((s) => s.id))
    expect(loads[1]!.studentIds.slice(0, 30)).toEqual(students.slice(20, 50).map((s) => s.id))
    const c = students.slice(50).map((s) => s.id)
    expect([...loads[0]!.studentIds.slice(20), ...loads[1]!.studentIds.slice(30)].sort()).toEqual(c)
    for (const l of loads) expect(l.adults + l.studentIds.length).toBeLessThanOrEqual(l.seats!)
  })

  it('seats only the confirmed students, and everyone together on a walk', () => {
    const students = byClass('A', 5, 1)
    const loads = assignBuses(plan({ buses: [], staffCount: 2 }), students, ['s002', 's004'])
    expect(loads).toEqual([{ busId: null, label: null, seats: null, adults: 2, studentIds: ['s002', 's004'] }])
  })

  it('puts whoever has no seat in a last group rather than losing them', () => {
    const students = byClass('A', 5, 1)
    const loads = assignBuses(plan({ buses: [{ id: 'b1', seats: 4 }], staffCount: 1 }), students, students.map((s) => s.id))
    expect(loads.map((l) => l.studentIds.length)).toEqual([3, 2])
    expect(loads[1]!.busId).toBeNull()
  })
})
