import { describe, expect, it } from 'vitest'
import { cartSignature, checkLine, lineKey, pinWaitMs, priceLine, signedNameMatches, splitBySchool, whyNotOpen, type CartLine, type LineFacts } from '../../../src/core/domain/kiosk'

const line = (over: Partial<CartLine> = {}): CartLine => {
  const base = { studentId: 's1', offeringId: 'o1', schoolId: 'A', kind: 'product' as const, variantId: 'v1', programDateId: null, quantity: 1, waitlist: false, ...over }
  return { ...base, key: lineKey(base) }
}

const facts = (over: Partial<LineFacts> = {}): LineFacts => ({
  offering: { kind: 'product', status: 'published', opensAt: '2026-09-01T00:00:00.000Z', deadlineAt: '2026-12-01T00:00:00.000Z', priceCents: 0, stockLimit: null, perStudentLimit: null },
  eligible: true,
  hasVariants: true,
  variant: { active: true, priceCents: 250 },
  programDate: null,
  taken: 0,
  bought: 0,
  settled: false,
  consent: null,
  seatIfPaid: null,
  ...over,
})
const NOW = '2026-11-20T15:00:00.000Z'
const ctx = { now: NOW, otherOfItem: 0, otherOfStudent: 0 }
const codes = (r: ReturnType<typeof checkLine>) => (r.ok ? [] : r.problems.map((p) => p.code))

describe('the cart, split by school', () => {
  it('puts every line in exactly one school, and each school’s total is its lines’', () => {
    const lines = [line({ schoolId: 'A' }), line({ schoolId: 'B', studentId: 's2' }), line({ schoolId: 'A', variantId: 'v2', quantity: 3 })].map((l, i) => priceLine(l, [300, 550, 200][i]!))
    const split = splitBySchool(lines)
    expect(split.map((s) => [s.schoolId, s.lines.length, s.totalCents])).toEqual([
      ['A', 2, 900],
      ['B', 1, 550],
    ])
    expect(split.flatMap((s) => s.lines)).toHaveLength(lines.length)
  })

  it('keys a program date once whatever its variant, and signs a cart by its content', () => {
    const a = line({ kind: 'program', programDateId: 'd1', variantId: 'cheese' })
    const b = line({ kind: 'program', programDateId: 'd1', variantId: 'pepperoni' })
    expect(a.key).toBe(b.key)
    expect(cartSignature([priceLine(a, 300)])).not.toBe(cartSignature([priceLine(b, 300)]))
    expect(() => priceLine(line({ quantity: 0 }), 100)).toThrow(RangeError)
  })
})

describe('a line checked again at payment', () => {
  it('takes the price of the choice, and passes when all is well', () => {
    expect(checkLine(line(), facts(), ctx)).toEqual({ ok: true, unitPriceCents: 250 })
  })

  it('refuses past the deadline, from the deadline instant itself', () => {
    expect(codes(checkLine(line(), facts(), { ...ctx, now: '2026-12-01T00:00:00.000Z' }))).toEqual(['kiosk.problem.closed'])
  })

  it('says the school closed an item it closed before its deadline, not that the deadline passed', () => {
    const withStatus = (status: 'draft' | 'published' | 'closed' | 'archived' | 'cancelled') => facts({ offering: { ...facts().offering, status } })
    expect(codes(checkLine(line(), withStatus('closed'), ctx))).toEqual(['kiosk.problem.closedBySchool'])
    expect(codes(checkLine(line(), withStatus('archived'), ctx))).toEqual(['kiosk.problem.closedBySchool'])
    expect(codes(checkLine(line(), withStatus('cancelled'), ctx))).toEqual(['kiosk.problem.cancelled'])
    expect(codes(checkLine(line(), withStatus('draft'), ctx))).toEqual(['kiosk.problem.notOpen'])
    expect(codes(checkLine(line(), withStatus('closed'), { ...ctx, now: '2026-12-01T00:00:00.000Z' }))).toEqual(['kiosk.problem.closed'])
    const times = { opensAt: '2026-09-01T00:00:00.000Z', deadlineAt: '2026-12-01T00:00:00.000Z' }
    expect(whyNotOpen({ status: 'published', ...times }, '2026-08-31T23:59:59.999Z')).toBe('kiosk.problem.notOpen')
    expect(whyNotOpen({ status: 'published', ...times }, NOW)).toBeNull()
    expect(whyNotOpen({ status: 'published', ...times }, '2026-12-01T00:00:00.000Z')).toBe('kiosk.problem.closed')
    expect(whyNotOpen({ status: 'cancelled', ...times }, '2026-12-02T00:00:00.000Z')).toBe('kiosk.problem.cancelled')
  })

  it('refuses a program date past its cutoff or cancelled, and one already bought', () => {
    const date = { date: '2026-11-27', cutoffAt: '2026-11-25T17:00:00.000Z', status: 'scheduled' as const }
    const pizza = line({ kind: 'program', programDateId: 'd1' })
    const f = facts({ offering: { ...facts().offering, kind: 'program' }, programDate: date })
    expect(checkLine(pizza, f, ctx).ok).toBe(true)
    expect(codes(checkLine(pizza, f, { ...ctx, now: '2026-11-25T17:00:00.000Z' }))).toEqual(['kiosk.problem.dateClosed'])
    expect(codes(checkLine(pizza, { ...f, programDate: { ...date, status: 'cancelled' } }, ctx))).toEqual(['kiosk.problem.dateClosed'])
    expect(codes(checkLine(pizza, { ...f, bought: 1 }, ctx))).toEqual(['kiosk.problem.settled'])
  })

  it('counts stock over everyone and the whole cart, and the limit per student', () => {
    const f = facts({ offering: { ...facts().offering, stockLimit: 10, perStudentLimit: 2 } })
    expect(codes(checkLine(line({ quantity: 2 }), { ...f, taken: 9 }, ctx))).toEqual(['kiosk.problem.soldOut'])
    expect(codes(checkLine(line({ quantity: 1 }), { ...f, taken: 8 }, { ...ctx, otherOfItem: 2 }))).toEqual(['kiosk.problem.soldOut'])
    expect(codes(checkLine(line({ quantity: 1 }), { ...f, bought: 1 }, { ...ctx, otherOfStudent: 1 }))).toEqual(['kiosk.problem.limit'])
  })

  it('pays an outing once consented to, and a full one only on the waitlist', () => {
    const outing = line({ kind: 'outing', variantId: null })
    const f = facts({ offering: { ...facts().offering, kind: 'outing', priceCents: 1800 }, hasVariants: false, variant: null, consent: 'granted', seatIfPaid: 'confirmed' })
    expect(checkLine(outing, f, ctx)).toEqual({ ok: true, unitPriceCents: 1800 })
    expect(codes(checkLine(outing, { ...f, consent: null }, ctx))).toEqual(['kiosk.problem.consentNeeded'])
    expect(codes(checkLine(outing, { ...f, seatIfPaid: 'waitlisted' }, ctx))).toEqual(['kiosk.problem.outingFull'])
    expect(checkLine({ ...outing, waitlist: true }, { ...f, seatIfPaid: 'waitlisted' }, ctx).ok).toBe(true)
    expect(codes(checkLine(outing, { ...f, settled: true }, ctx))).toEqual(['kiosk.problem.settled'])
  })

  it('never lets another child or another kind through', () => {
    expect(codes(checkLine(line(), facts({ eligible: false }), ctx))).toContain('kiosk.problem.notEligible')
    expect(codes(checkLine(line({ kind: 'fee' }), facts(), ctx))).toContain('kiosk.problem.notEligible')
  })
})

describe('the session’s rules', () => {
  it('signs with the guardian’s full name, in either order, accents and case aside', () => {
    expect(signedNameMatches('  hélène  BÉLANGER-côté ', 'Hélène', 'Bélanger-Côté')).toBe(true)
    expect(signedNameMatches('Bélanger-Côté Hélène', 'Hélène', 'Bélanger-Côté')).toBe(true)
    expect(signedNameMatches('Hélène', 'Hélène', 'Bélanger-Côté')).toBe(false)
    expect(signedNameMatches('', 'Hélène', 'Bélanger-Côté')).toBe(false)
  })

  it('makes a PIN guesser wait, longer each time', () => {
    expect(pinWaitMs({ failures: 4, lastFailureMs: 0 }, 0)).toBe(0)
    expect(pinWaitMs({ failures: 5, lastFailureMs: 0 }, 0)).toBe(30_000)
    expect(pinWaitMs({ failures: 6, lastFailureMs: 0 }, 10_000)).toBe(50_000)
    expect(pinWaitMs({ failures: 30, lastFailureMs: 0 }, 0)).toBe(15 * 60_000)
  })
})
