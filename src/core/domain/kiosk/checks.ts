import { isOpenForParents } from '../catalogue/lifecycle'
import { toEpochMs, type Instant } from '../catalogue/dates'
import type { OfferingKind, OfferingStatus } from '../../db/schema'
import type { CartLine } from './cart'

/**
 * What the kiosk checks about one line of the cart: when it is added, and again when the
 * guardian pays, with the facts read at that instant (DOMAIN.md, "Deadlines": a deadline is final
 * at the kiosk too; stock and an outing's seats may have gone while the screen was open).
 *
 * Codes, not sentences: each is a catalogue key ('kiosk.problem.*') with its values.
 */
export const KIOSK_PROBLEMS = {
  'kiosk.problem.closed': 'the item is not open: its deadline passed',
  'kiosk.problem.closedBySchool': 'the office closed the item before its deadline',
  'kiosk.problem.cancelled': 'the item was cancelled',
  'kiosk.problem.notOpen': 'the item is not open to families yet',
  'kiosk.problem.dateClosed': '{date}: the program date is past its cutoff, or cancelled',
  'kiosk.problem.notEligible': 'the item is not for this child',
  'kiosk.problem.soldOut': '{left}: not enough left in stock',
  'kiosk.problem.limit': '{limit}, {bought}: more than the most a student may have',
  'kiosk.problem.settled': 'already paid or covered for this child',
  'kiosk.problem.variant': 'the choice is no longer offered, or is missing',
  'kiosk.problem.consentNeeded': 'an outing is paid once consented to',
  'kiosk.problem.outingFull': 'the outing is full: the guardian may choose the waitlist',
  'kiosk.problem.free': 'nothing to pay for this item',
} as const
export type KioskProblemCode = keyof typeof KIOSK_PROBLEMS

export interface KioskProblem {
  code: KioskProblemCode
  values?: Record<string, string | number>
}

export interface LineFacts {
  offering: {
    kind: OfferingKind
    status: OfferingStatus
    opensAt: Instant
    deadlineAt: Instant
    /** Base price: a product without variants, a fee, an outing. */
    priceCents: number
    stockLimit: number | null
    perStudentLimit: number | null
  }
  /** An active child of this guardian whom the item's targets reach. */
  eligible: boolean
  /** The item has choices (sizes, kinds of pizza): one must be chosen, and still be offered. */
  hasVariants: boolean
  variant: { active: boolean; priceCents: number } | null
  programDate: { date: string; cutoffAt: Instant; status: 'scheduled' | 'cancelled' } | null
  /** Quantities of the item already taken by everyone: paid, or in a payment under way. */
  taken: number
  /** What this student already has of the item (of this date, for a program). */
  bought: number
  /** A fee or an outing already paid, waived or covered for this student (a family fee: for the family). */
  settled: boolean
  /** An outing: the student's current answer. */
  consent: 'granted' | 'declined' | 'withdrawn' | null
  /** An outing: where the student would stand once paid. */
  seatIfPaid: 'confirmed' | 'waitlisted' | null
}

export interface CartContext {
  now: Instant
  /** The same item's quantities elsewhere in this cart (other students, other choices): for stock. */
  otherOfItem: number
  /** The same student's other lines of the same item (other choices): for the per-student limit. */
  otherOfStudent: number
}

export type LineCheck = { ok: true; unitPriceCents: number } | { ok: false; problems: KioskProblem[]; unitPriceCents: number }

/**
 * Why parents cannot buy or answer an item now, or null when they can. An item the office closed
 * (or archived) before its deadline is said so, not "the deadline has passed".
 */
export function whyNotOpen(offering: { status: OfferingStatus; opensAt: Instant; deadlineAt: Instant }, now: Instant): KioskProblemCode | null {
  if (isOpenForParents(offering, now)) return null
  if (offering.status === 'cancelled') return 'kiosk.problem.cancelled'
  const beforeDeadline = toEpochMs(now) < toEpochMs(offering.deadlineAt)
  if ((offering.status === 'closed' || offering.status === 'archived') && beforeDeadline) return 'kiosk.problem.closedBySchool'
  if (offering.status === 'draft' || (offering.status === 'published' && beforeDeadline)) return 'kiosk.problem.notOpen'
  return 'kiosk.problem.closed'
}

/** Every problem of a line, in the order a guardian can act on them; none means it can be paid. */
export function checkLine(line: Pick<CartLine, 'kind' | 'quantity' | 'waitlist'>, facts: LineFacts, ctx: CartContext): LineCheck {
  const problems: KioskProblem[] = []
  const add = (code: KioskProblemCode, values?: KioskProblem['values']) => problems.push(values ? { code, values } : { code })
  const { offering } = facts

  if (!facts.eligible || offering.kind !== line.kind) add('kiosk.problem.notEligible')
  const closed = whyNotOpen(offering, ctx.now)
  if (closed) add(closed)

  let unitPriceCents = offering.priceCents
  if (line.kind === 'program') {
    const d = facts.programDate
    if (!d || d.status !== 'scheduled' || toEpochMs(ctx.now) >= toEpochMs(d.cutoffAt)) add('kiosk.problem.dateClosed', { date: d?.date ?? '' })
    if (d && facts.bought > 0) add('kiosk.problem.settled')
  }
  if (line.kind === 'program' || (line.kind === 'product' && facts.hasVariants)) {
    if (!facts.variant || !facts.variant.active) add('kiosk.problem.variant')
    else unitPriceCents = facts.variant.priceCents
  }
  if (line.kind === 'product') {
    if (offering.perStudentLimit !== null && facts.bought + ctx.otherOfStudent + line.quantity > offering.perStudentLimit) {
      add('kiosk.problem.limit', { limit: offering.perStudentLimit, bought: facts.bought })
    }
    if (offering.stockLimit !== null) {
      const left = Math.max(0, offering.stockLimit - facts.taken - ctx.otherOfItem)
      if (line.quantity > left) add('kiosk.problem.soldOut', { left })
    }
  }
  if (line.kind === 'fee' || line.kind === 'outing') {
    if (line.quantity !== 1) add('kiosk.problem.limit', { limit: 1, bought: facts.bought })
    if (facts.settled) add('kiosk.problem.settled')
  }
  if (line.kind === 'outing') {
    if (facts.consent !== 'granted') add('kiosk.problem.consentNeeded')
    else if (facts.seatIfPaid === 'waitlisted' && !line.waitlist) add('kiosk.problem.outingFull')
  }
  if (unitPriceCents <= 0 && !problems.some((p) => p.code === 'kiosk.problem.notEligible')) add('kiosk.problem.free')
  return problems.length ? { ok: false, problems, unitPriceCents } : { ok: true, unitPriceCents }
}

/** A full outing is the one problem a guardian settles by choosing the waitlist. */
export function onlyFull(check: LineCheck): boolean {
  return !check.ok && check.problems.every((p) => p.code === 'kiosk.problem.outingFull')
}
