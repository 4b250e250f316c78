import { adultsOf } from './capacity'
import type { OutingPlan, OutingStudent } from './types'

export interface BusLoad {
  /** Null for a walk (everyone together) or, should the seats not suffice, for those left without one. */
  busId: string | null
  label: string | null
  seats: number | null
  /** Staff and chaperones on this bus. */
  adults: number
  studentIds: string[]
}

/**
 * Who rides which bus, for the roster and the day's sheets. The adults are spread first, one at
 * a time onto the bus with the most free seats. Then each class goes whole onto the first bus
 * with room for all of it; a class is split only when no bus has that room, filling the
 * roomiest bus first. `students` sets the order (by class, then name, as the caller wants):
 * classes come in the order of their first student, and students keep their order.
 * Only the students in `confirmedIds` are seated.
 */
export function assignBuses(plan: OutingPlan, students: readonly OutingStudent[], confirmedIds: readonly string[]): BusLoad[] {
  const confirmed = new Set(confirmedIds)
  const classes = new Map<string | null, string[]>()
  const seen = new Set<string>()
  for (const s of students) {
    if (!confirmed.has(s.id) || seen.has(s.id)) continue
    seen.add(s.id)
    const list = classes.get(s.classId)
    if (list) list.push(s.id)
    else classes.set(s.classId, [s.id])
  }
  if (plan.buses.length === 0) return [{ busId: null, label: null, seats: null, adults: adultsOf(plan), studentIds: [...classes.values()].flat() }]

  const loads: BusLoad[] = plan.buses.map((b) => ({ busId: b.id, label: b.label ?? null, seats: Math.max(0, Math.floor(b.seats)), adults: 0, studentIds: [] }))
  const free = (l: BusLoad) => l.seats! - l.adults - l.studentIds.length
  const roomiest = () => loads.reduce((best, l) => (free(l) > free(best) ? l : best))
  for (let adults = adultsOf(plan); adults > 0; adults--) {
    const bus = roomiest()
    if (free(bus) <= 0) break
    bus.adults++
  }
  const overflow: string[] = []
  for (const ids of classes.values()) {
    const whole = loads.find((l) => free(l) >= ids.length)
    if (whole) {
      whole.studentIds.push(...ids)
      continue
    }
    let rest = ids
    while (rest.length > 0) {
      const bus = roomiest()
      const n = free(bus)
      if (n <= 0) {
        overflow.push(...rest)
        break
      }
      bus.studentIds.push(...rest.slice(0, n))
      rest = rest.slice(n)
    }
  }
  if (overflow.length > 0) loads.push({ busId: null, label: null, seats: null, adults: 0, studentIds: overflow })
  return loads
}
