import { computeOuting } from './capacity'
import type { CapacityInput, OutingPlan, OutingSnapshot } from './types'

/**
 * Who got a seat between two snapshots: waitlisted before, confirmed after (a bus added, a
 * limit raised, a seat freed by a withdrawal), in the order they stood in line.
 */
export function promotions(before: OutingSnapshot, after: OutingSnapshot): string[] {
  const confirmed = new Set(after.confirmedIds)
  return before.waitlist.filter((id) => confirmed.has(id))
}

/** Who lost a seat: confirmed before, waitlisted after (a bus removed, a limit lowered), in consent order. */
export function demotions(before: OutingSnapshot, after: OutingSnapshot): string[] {
  const confirmed = new Set(before.confirmedIds)
  return after.waitlist.filter((id) => confirmed.has(id))
}

export interface PlanChangeImpact {
  plan: OutingPlan
  before: OutingSnapshot
  after: OutingSnapshot
  /** Students who would get a seat, first in line first. */
  promoted: string[]
  /** Students who would lose their seat and go to the waitlist, in consent order. */
  movedToWaitlist: string[]
}

/**
 * What a change to the plan would do to the students, before it is saved: the screen shows it
 * and asks for a confirmation whenever anyone would lose a seat. Nothing here is silent.
 */
export function planChangeImpact(input: CapacityInput, plan: OutingPlan): PlanChangeImpact {
  const before = computeOuting(input)
  const after = computeOuting({ ...input, plan })
  return { plan, before, after, promoted: promotions(before, after), movedToWaitlist: demotions(before, after) }
}

export type RemoveBusImpact = ({ ok: true } & PlanChangeImpact) | { ok: false; code: 'outing.busUnknown'; values: { bus: string } }

/**
 * Removing a bus: who moves from confirmed to the waitlist, latest consents first (the plan is
 * not changed: the caller saves it once the office confirms). Removing the last bus leaves a
 * plan without buses, which is a walk: no seat limit any more, only the venue's.
 */
export function removeBusImpact(input: CapacityInput, busId: string): RemoveBusImpact {
  if (!input.plan.buses.some((b) => b.id === busId)) return { ok: false, code: 'outing.busUnknown', values: { bus: busId } }
  const plan = { ...input.plan, buses: input.plan.buses.filter((b) => b.id !== busId) }
  return { ok: true, ...planChangeImpact(input, plan) }
}
