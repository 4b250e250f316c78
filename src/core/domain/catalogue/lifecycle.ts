import { toEpochMs, type InstantLike } from './dates'
import type { OfferingStatus, OfferingTimes } from './types'

/**
 * brouillon → publié → fermé → archivé, or annulé with a reason (which starts refunds).
 *
 * - draft → published: publishing sends the item to the board, which emails families.
 * - draft → cancelled: a draft given up, kept with its reason rather than deleted.
 * - published → closed: closing early (sold out, the venue called); at the deadline it closes
 *   by itself (see effectiveStatus).
 * - closed → published: reopening, only once the deadline has been moved after now, or the
 *   item would close again the same instant.
 * - published | closed → cancelled: a cancelled outing still has payments to refund.
 * - closed | cancelled → archived: out of the lists, kept for receipts and reports.
 * - Nothing leaves archived; cancelled only goes to archived; there is no way back to draft,
 *   since families may already have seen the item.
 */
export const OFFERING_STATUSES: readonly OfferingStatus[] = ['draft', 'published', 'closed', 'archived', 'cancelled']

const ALLOWED: Record<OfferingStatus, readonly OfferingStatus[]> = {
  draft: ['published', 'cancelled'],
  published: ['closed', 'cancelled'],
  closed: ['published', 'archived', 'cancelled'],
  cancelled: ['archived'],
  archived: [],
}

export function canTransition(from: OfferingStatus, to: OfferingStatus): boolean {
  return ALLOWED[from].includes(to)
}

export type LifecycleErrorCode =
  | 'lifecycle.sameStatus' // values.status
  | 'lifecycle.notAllowed' // values.from, values.to
  | 'lifecycle.reasonRequired' // cancelling needs a reason
  | 'lifecycle.deadlinePassed' // publishing an item whose deadline is already past
  | 'lifecycle.reopenNeedsLaterDeadline' // move the deadline after now first

export type TransitionResult =
  | { ok: true; from: OfferingStatus; status: OfferingStatus; cancelReason?: string }
  | { ok: false; code: LifecycleErrorCode; values: Record<string, string> }

/**
 * The status the item is in for everyone right now. A published item whose deadline has come
 * is closed, from the deadline instant itself, whether or not a job has written it down yet.
 */
export function effectiveStatus(offering: OfferingTimes, now: InstantLike): OfferingStatus {
  if (offering.status === 'published' && toEpochMs(now) >= toEpochMs(offering.deadlineAt)) return 'closed'
  return offering.status
}

/** Parents can buy or answer: published, opened, and the deadline not reached. */
export function isOpenForParents(offering: OfferingTimes, now: InstantLike): boolean {
  return effectiveStatus(offering, now) === 'published' && toEpochMs(now) >= toEpochMs(offering.opensAt)
}

/** Published but before its opening: scheduled, not visible to parents yet. */
export function isScheduled(offering: OfferingTimes, now: InstantLike): boolean {
  return effectiveStatus(offering, now) === 'published' && toEpochMs(now) < toEpochMs(offering.opensAt)
}

/**
 * The status to store after asking for `to`. Checks start from the effective status, so an item
 * past its deadline can be archived even if its row still says 'published'.
 */
export function transition(offering: OfferingTimes, to: OfferingStatus, options: { now: InstantLike; reason?: string | null }): TransitionResult {
  const from = effectiveStatus(offering, options.now)
  if (from === to) return { ok: false, code: 'lifecycle.sameStatus', values: { status: to } }
  if (!canTransition(from, to)) return { ok: false, code: 'lifecycle.notAllowed', values: { from, to } }
  const deadlineAhead = toEpochMs(offering.deadlineAt) > toEpochMs(options.now)
  if (to === 'published' && from === 'draft' && !deadlineAhead) return { ok: false, code: 'lifecycle.deadlinePassed', values: {} }
  if (to === 'published' && from === 'closed' && !deadlineAhead) return { ok: false, code: 'lifecycle.reopenNeedsLaterDeadline', values: {} }
  if (to === 'cancelled') {
    const reason = options.reason?.trim() ?? ''
    if (reason === '') return { ok: false, code: 'lifecycle.reasonRequired', values: {} }
    return { ok: true, from, status: to, cancelReason: reason }
  }
  return { ok: true, from, status: to }
}
