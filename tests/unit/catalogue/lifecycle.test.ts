import { describe, expect, it } from 'vitest'
import {
  canTransition,
  effectiveStatus,
  isOpenForParents,
  isScheduled,
  OFFERING_STATUSES,
  transition,
  type OfferingStatus,
  type OfferingTimes,
} from '../../../src/core/domain/catalogue'

const OPENS = '2026-11-23T13:00:00.000Z'
const DEADLINE = '2026-12-04T04:59:00.000Z'
const item = (status: OfferingStatus, deadlineAt = DEADLINE): OfferingTimes => ({ status, opensAt: OPENS, deadlineAt })
const BEFORE_DEADLINE = '2026-11-25T15:00:00.000Z'
const AFTER_DEADLINE = '2026-12-10T15:00:00.000Z'

/** from → the statuses it may go to. Everything not listed is refused. */
const TABLE: Record<OfferingStatus, OfferingStatus[]> = {
  draft: ['published', 'cancelled'],
  published: ['closed', 'cancelled'],
  closed: ['published', 'archived', 'cancelled'],
  cancelled: ['archived'],
  archived: [],
}
const PAIRS = OFFERING_STATUSES.flatMap((from) => OFFERING_STATUSES.map((to) => [from, to, TABLE[from].includes(to)] as const))

describe('canTransition', () => {
  it.each(PAIRS)('%s → %s: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed)
  })
})

describe('transition', () => {
  it.each(PAIRS)('%s → %s, before the deadline, with a reason', (from, to, allowed) => {
    // A closed item reopens only with its deadline ahead, which it is here.
    const result = transition(item(from), to, { now: BEFORE_DEADLINE, reason: 'Autobus annulé' })
    if (from === to) expect(result).toEqual({ ok: false, code: 'lifecycle.sameStatus', values: { status: to } })
    else if (allowed) expect(result).toMatchObject({ ok: true, from, status: to })
    else expect(result).toEqual({ ok: false, code: 'lifecycle.notAllowed', values: { from, to } })
  })

  it('needs a reason to cancel, and keeps it trimmed', () => {
    for (const reason of [undefined, null, '', '   \n']) {
      expect(transition(item('published'), 'cancelled', { now: BEFORE_DEADLINE, reason })).toEqual({ ok: false, code: 'lifecycle.reasonRequired', values: {} })
    }
    expect(transition(item('published'), 'cancelled', { now: BEFORE_DEADLINE, reason: '  Tempête de neige ' })).toEqual({
      ok: true,
      from: 'published',
      status: 'cancelled',
      cancelReason: 'Tempête de neige',
    })
  })

  it('does not publish an item whose deadline has passed', () => {
    expect(transition(item('draft'), 'published', { now: AFTER_DEADLINE })).toEqual({ ok: false, code: 'lifecycle.deadlinePassed', values: {} })
    expect(transition(item('draft'), 'published', { now: DEADLINE })).toMatchObject({ code: 'lifecycle.deadlinePassed' })
  })

  it('reopens a closed item only once its deadline is after now', () => {
    expect(transition(item('closed'), 'published', { now: AFTER_DEADLINE })).toEqual({ ok: false, code: 'lifecycle.reopenNeedsLaterDeadline', values: {} })
    expect(transition(item('closed', '2026-12-20T04:59:00.000Z'), 'published', { now: AFTER_DEADLINE })).toEqual({ ok: true, from: 'closed', status: 'published' })
  })

  it('starts from the effective status: a published item past its deadline is closed', () => {
    expect(transition(item('published'), 'archived', { now: AFTER_DEADLINE })).toEqual({ ok: true, from: 'closed', status: 'archived' })
    expect(transition(item('published'), 'archived', { now: BEFORE_DEADLINE })).toMatchObject({ code: 'lifecycle.notAllowed' })
    expect(transition(item('published'), 'closed', { now: AFTER_DEADLINE })).toMatchObject({ code: 'lifecycle.sameStatus' })
    expect(transition(item('published'), 'cancelled', { now: AFTER_DEADLINE, reason: 'Musée fermé' })).toMatchObject({ ok: true, from: 'closed' })
  })

  it('never moves an archived item, and a cancelled one only to the archive', () => {
    for (const to of OFFERING_STATUSES) {
      expect(transition(item('archived'), to, { now: BEFORE_DEADLINE, reason: 'x' }).ok).toBe(false)
      expect(transition(item('cancelled'), to, { now: BEFORE_DEADLINE, reason: 'x' }).ok).toBe(to === 'archived')
    }
  })
})

describe('effectiveStatus and opening', () => {
  const ms = (iso: string, delta: number) => new Date(Date.parse(iso) + delta).toISOString()

  it('closes a published item at the deadline instant', () => {
    expect(effectiveStatus(item('published'), ms(DEADLINE, -1))).toBe('published')
    expect(effectiveStatus(item('published'), DEADLINE)).toBe('closed')
    expect(effectiveStatus(item('published'), ms(DEADLINE, 1))).toBe('closed')
    expect(effectiveStatus(item('published'), new Date(DEADLINE))).toBe('closed')
  })

  it('leaves every other status as stored, even past the deadline', () => {
    for (const status of ['draft', 'closed', 'archived', 'cancelled'] as const) {
      expect(effectiveStatus(item(status), AFTER_DEADLINE)).toBe(status)
    }
  })

  it('opens to parents at the opening instant and closes at the deadline', () => {
    const published = item('published')
    expect(isOpenForParents(published, ms(OPENS, -1))).toBe(false)
    expect(isScheduled(published, ms(OPENS, -1))).toBe(true)
    expect(effectiveStatus(published, ms(OPENS, -1))).toBe('published')
    expect(isOpenForParents(published, OPENS)).toBe(true)
    expect(isScheduled(published, OPENS)).toBe(false)
    expect(isOpenForParents(published, ms(DEADLINE, -1))).toBe(true)
    expect(isOpenForParents(published, DEADLINE)).toBe(false)
    expect(isScheduled(published, DEADLINE)).toBe(false)
  })

  it('never opens anything but a published item', () => {
    for (const status of ['draft', 'closed', 'archived', 'cancelled'] as const) {
      expect(isOpenForParents(item(status), BEFORE_DEADLINE)).toBe(false)
    }
  })
})
