import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { settleAsCredit, useCredit } from '../../../src/core/services/credits'
import { formatMoney } from '../../../src/shared/format'
import { T0 } from '../fixtures'
import { family, ok, paidOrder, pizzaProgram, refundCore, refused, snapshot, type RefundWorld } from './helpers'

let w: RefundWorld
beforeEach(async () => {
  w = await refundCore()
})
afterEach(async () => {
  await w.cleanup()
  expect(w.errors).toEqual([])
})

describe('waivers', () => {
  function setUp() {
    const fee = w.board.offering(w.school, 'fee', 'Cotisation scolaire', [['school', w.school]], { price: 4000 })
    const outing = w.board.offering(w.school, 'outing', 'Cabane à sucre', [['school', w.school]], { price: 2500 })
    const pizza = w.board.offering(w.school, 'program', 'Pizza', [['school', w.school]], { price: 550 })
    const f = family(w, 'Gagnon', 2)
    return { fee, outing, pizza, f }
  }

  it('the principal covers all or part of a fee for one student, drawn on the budget; secretaries see it covered, without the reason', async () => {
    const { fee, outing, f } = setUp()
    await ok(w.core, 'waivers.addBudget', { schoolId: w.school, amountCents: 10_000, reason: 'Budget d’aide 2026-2027' }, w.principal)
    const part = await ok(w.core, 'waivers.grant', { studentId: f.students[0]!, offeringId: fee, amountCents: 1500, reason: 'Situation familiale (confidentiel)' }, w.principal)
    expect(part).toMatchObject({ amountCents: 1500, remainingBudgetCents: 8500 })
    // No amount: all that is left of the price for that student.
    const rest = await ok(w.core, 'waivers.grant', { studentId: f.students[0]!, offeringId: fee, reason: 'Reste couvert' }, w.principal)
    expect(rest).toMatchObject({ amountCents: 2500, remainingBudgetCents: 6000 })
    await ok(w.core, 'waivers.grant', { studentId: f.students[1]!, offeringId: outing, amountCents: 2500, reason: 'Sortie couverte' }, w.principal)

    const budget = await ok(w.core, 'waivers.budget', { schoolId: w.school }, w.principal)
    expect(budget).toMatchObject({ allocatedCents: 10_000, waivedCents: 6500, remainingCents: 3500 })
    expect(budget.waivers.map((x) => x.reason)).toContain('Situation familiale (confidentiel)')

    const forSecretary = await ok(w.core, 'families.history', { studentId: f.students[0]! }, w.secretary)
    const waiverEvents = forSecretary.events.filter((e) => e.kind === 'waiver')
    expect(waiverEvents).toHaveLength(3)
    expect(waiverEvents.every((e) => e.reason === null)).toBe(true)
    const forPrincipal = await ok(w.core, 'families.history', { studentId: f.students[0]! }, w.principal)
    expect(forPrincipal.events.filter((e) => e.kind === 'waiver').map((e) => e.reason)).toContain('Situation familiale (confidentiel)')

    // The board learns the student is covered; the reason stays here.
    const outbox = w.all<{ data: string }>(`SELECT data FROM outbox WHERE type = 'waiver.record'`)
    expect(outbox).toHaveLength(3)
    expect(outbox.every((o) => !o.data.includes('confidentiel'))).toBe(true)
  })

  it('is refused above the budget, above the price, at zero, or for another kind of item, and nothing changes', async () => {
    const { fee, outing, pizza, f } = setUp()
    await ok(w.core, 'waivers.addBudget', { schoolId: w.school, amountCents: 3000, reason: 'Budget' }, w.principal)
    const before = snapshot(w)
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ offeringId: fee, amountCents: 3001 }, 'waiver.exceedsBudget'],
      [{ offeringId: outing, amountCents: 2501 }, 'waiver.exceedsPrice'],
      [{ offeringId: fee, amountCents: 0 }, 'waiver.amountNotPositive'],
      [{ offeringId: pizza, amountCents: 100 }, 'waiver.notWaivable'],
    ]
    for (const [input, key] of cases) {
      const error = await refused(w, 'waivers.grant', { studentId: f.students[0]!, reason: 'x', ...input } as never, w.principal)
      expect(error.code, key).toBe('WAIVER_REFUSED')
      expect(error.issues, key).toHaveLength(1)
    }
    const other = w.board.school('École Voisine')
    const elsewhere = w.board.student(other, 'Autre', 'Élève', '4')
    expect((await refused(w, 'waivers.grant', { studentId: elsewhere, offeringId: fee, reason: 'x' }, w.principal)).code).toBe('WAIVER_REFUSED')
    expect((await refused(w, 'waivers.grant', { studentId: f.students[0]!, offeringId: fee, reason: 'x' }, w.secretary)).code).toBe('FORBIDDEN')
    expect((await refused(w, 'waivers.addBudget', { schoolId: w.school, amountCents: 0, reason: 'x' }, w.principal)).code).toBe('INVALID_INPUT')
    expect((await refused(w, 'waivers.grant', { studentId: f.students[0]!, offeringId: fee, amountCents: -100, reason: 'x' }, w.principal)).issues).toEqual([
      { path: 'amountCents', message: 'Le montant ne peut pas être négatif.' },
    ])
    expect(snapshot(w)).toEqual(before)
    // A correction takes back at most what is left: the budget never goes below zero.
    await ok(w.core, 'waivers.grant', { studentId: f.students[0]!, offeringId: fee, amountCents: 2500, reason: 'x' }, w.principal)
    const below = await refused(w, 'waivers.addBudget', { schoolId: w.school, amountCents: -501, reason: 'Correction du Conseil' }, w.principal)
    expect(below.issues).toEqual([{ path: 'amountCents', message: `Ce retrait ferait passer le budget d’aide sous zéro : il en reste ${formatMoney(500, 'fr-CA')}. Retirez au plus ce montant.` }])
    expect(await ok(w.core, 'waivers.addBudget', { schoolId: w.school, amountCents: -500, reason: 'Correction du Conseil' }, w.principal)).toEqual({ remainingCents: 0 })
  })

  it('refuses an amount out of bounds on its field, and a refused entry never blocks the next good one', async () => {
    const { fee, f } = setUp()
    const before = snapshot(w)
    const tooHigh = `Le montant ne peut pas dépasser ${formatMoney(100_000_000, 'fr-CA')} : vérifiez-le.`
    const cases: Array<[number, string]> = [
      [-9007199254740991, tooHigh],
      [9007199254740991, tooHigh],
      [100_000_001, tooHigh],
      [12.5, 'Le montant doit être en dollars et en cents, sans fraction de cent.'],
      [-100, `Ce retrait ferait passer le budget d’aide sous zéro : il en reste ${formatMoney(0, 'fr-CA')}. Retirez au plus ce montant.`],
    ]
    for (const [amountCents, message] of cases) {
      const error = await refused(w, 'waivers.addBudget', { schoolId: w.school, amountCents, reason: 'x' }, w.principal)
      expect(error.code, String(amountCents)).toBe('INVALID_INPUT')
      expect(error.issues, String(amountCents)).toEqual([{ path: 'amountCents', message }])
    }
    expect((await refused(w, 'waivers.grant', { studentId: f.students[0]!, offeringId: fee, amountCents: 9007199254740991, reason: 'x' }, w.principal)).code).toBe('INVALID_INPUT')
    expect((await refused(w, 'refunds.setThreshold', { schoolId: w.school, thresholdCents: -1 }, w.principal)).code).toBe('INVALID_INPUT')
    expect(snapshot(w)).toEqual(before)
    expect(await ok(w.core, 'waivers.addBudget', { schoolId: w.school, amountCents: 100_000_000, reason: 'Budget' }, w.principal)).toEqual({ remainingCents: 100_000_000 })
    expect(await ok(w.core, 'waivers.addBudget', { schoolId: w.school, amountCents: 2500, reason: 'Budget' }, w.principal)).toEqual({ remainingCents: 100_002_500 })
  })
})

describe('family credits', () => {
  it('never credits a failed refund of a voided payment, nor lists it as waiting for staff', async () => {
    const f = family(w, 'Annulé')
    const { offering, dates } = pizzaProgram(w, ['2026-12-04'])
    const o = paidOrder(w, f.guardian, [{ student: f.students[0]!, offering, cents: 550, programDate: dates['2026-12-04'] }], { last4: '5126' })
    const asked = await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: 'Journée pédagogique' }, w.secretary)
    await w.core.refunds.drain()
    expect((await ok(w.core, 'refunds.failed', {}, w.secretary)).refunds.map((r) => r.refundId)).toEqual([asked.refundIds[0]])
    // The payment turns out never to have been taken: voided.
    w.raw.prepare(`INSERT INTO payment_voids (payment_id, source, reason, voided_at) VALUES (?, 'board', 'Jamais encaissé', ?)`).run(o.paymentId, T0)
    expect((await ok(w.core, 'refunds.failed', {}, w.secretary)).refunds).toEqual([])
    expect((await ok(w.core, 'dashboard.summary', {}, w.secretary)).refunds).toMatchObject({ failed: 0, failedCents: 0 })
    const before = snapshot(w)
    const refusal = await refused(w, 'refunds.settleAsCredit', { refundId: asked.refundIds[0]!, reason: 'Carte expirée' }, w.secretary)
    expect(refusal.code).toBe('REFUND_REFUSED')
    expect(refusal.issues?.[0]?.message).toBe('Ce paiement a été annulé avant d’être encaissé : il n’y a rien à rembourser.')
    expect(snapshot(w)).toEqual(before)
    // The file refuses it too.
    expect(() =>
      w.raw.prepare(`INSERT INTO family_credits (id, school_id, guardian_id, kind, amount_cents, refund_id, reason, created_at) VALUES ('x', ?, ?, 'granted', 550, ?, 'x', ?)`).run(w.school, f.guardian, asked.refundIds[0], T0),
    ).toThrow(/credit is granted/)
  })

  it('a credit from a failed refund is used on a later order, never above the balance', async () => {
    const f = family(w, 'Crédit')
    const { offering, dates } = pizzaProgram(w, ['2026-12-04'])
    const o = paidOrder(w, f.guardian, [{ student: f.students[0]!, offering, cents: 550, programDate: dates['2026-12-04'] }], { last4: '5126' })
    const asked = await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: 'Journée pédagogique' }, w.secretary)
    await w.core.refunds.drain()
    expect(w.one(`SELECT status FROM refunds WHERE id = ?`, asked.refundIds[0])).toEqual({ status: 'failed' })
    await ok(w.core, 'refunds.settleAsCredit', { refundId: asked.refundIds[0]!, reason: 'Carte expirée' }, w.secretary)

    const later = paidOrder(w, f.guardian, [{ student: f.students[0]!, offering, cents: 550 }], { paid: false })
    const who = { staffId: null, now: T0 }
    await expect(useCredit(w.core.connection.db, who, { schoolId: w.school, guardianId: f.guardian, orderId: later.orderId, amountCents: 551 })).rejects.toMatchObject({ code: 'CREDIT_REFUSED' })
    await expect(useCredit(w.core.connection.db, who, { schoolId: w.school, guardianId: f.guardian, orderId: later.orderId, amountCents: 0 })).rejects.toMatchObject({ code: 'CREDIT_REFUSED' })
    await useCredit(w.core.connection.db, who, { schoolId: w.school, guardianId: f.guardian, orderId: later.orderId, amountCents: 500 })
    await expect(useCredit(w.core.connection.db, who, { schoolId: w.school, guardianId: f.guardian, orderId: later.orderId, amountCents: 51 })).rejects.toMatchObject({ code: 'CREDIT_REFUSED' })
    const credits = await ok(w.core, 'credits.ofFamily', { studentId: f.students[0]! }, w.secretary)
    expect(credits.balances).toEqual([expect.objectContaining({ balanceCents: 50 })])
    expect(credits.entries.map((e) => [e.kind, e.amountCents])).toEqual([
      ['used', 500],
      ['granted', 550],
    ])
    await expect(settleAsCredit(w.core.connection.db, who, asked.refundIds[0]!, 'encore')).rejects.toMatchObject({ code: 'REFUND_NOT_FAILED' })
    await expect(settleAsCredit(w.core.connection.db, who, 'nope', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('a refund still pending or succeeded cannot be credited or retried', async () => {
    const f = family(w, 'Pas-Échoué')
    const { offering } = pizzaProgram(w, ['2026-12-04'])
    const o = paidOrder(w, f.guardian, [{ student: f.students[0]!, offering, cents: 550 }])
    const kick = w.core.refunds.kick.bind(w.core.refunds)
    w.core.refunds.kick = () => undefined
    const asked = await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: 'x' }, w.secretary)
    expect((await refused(w, 'refunds.settleAsCredit', { refundId: asked.refundIds[0]!, reason: 'x' }, w.secretary)).code).toBe('REFUND_NOT_FAILED')
    w.core.refunds.kick = kick
    await w.core.refunds.drain()
    expect((await refused(w, 'refunds.retry', { refundId: asked.refundIds[0]!, reason: 'x' }, w.secretary)).code).toBe('REFUND_NOT_FAILED')
    const unknown = await refused(w, 'refunds.retry', { refundId: 'nope', reason: 'x' }, w.secretary, 'en-CA')
    expect(unknown.message).toMatch(/^Ce remboursement est introuvable\./)
    expect(unknown.message).not.toMatch(/nope/)
  })
})
