import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { call, expectNoDoubleRefund, family, ok, paidOrder, pizzaProgram, refundCore, refused, snapshot, type RefundWorld } from './helpers'

/** Refunds through dispatch with the demo processor (the default: no Stripe key). */
let w: RefundWorld
beforeEach(async () => {
  w = await refundCore()
})
afterEach(async () => {
  await w.cleanup()
  expect(w.errors).toEqual([])
})

function demoRefunds(paymentRef: string): Array<{ refundId: string; amountCents: number; status: string }> {
  const row = w.one<{ value: string } | undefined>(`SELECT value FROM demo_processor_state WHERE key = ?`, `payment:${paymentRef}`)
  if (!row) return []
  const refs = (JSON.parse(row.value) as { refunds: string[] }).refunds
  return refs.map((ref) => JSON.parse(w.one<{ value: string }>(`SELECT value FROM demo_processor_state WHERE key = ?`, `refund:${ref}`).value) as { refundId: string; amountCents: number; status: string })
}

function simpleOrder(last4 = '4242', cents: number[] = [550, 450]) {
  const f = family(w, 'Roy')
  const { offering } = pizzaProgram(w, ['2026-12-04'])
  const order = paidOrder(w, f.guardian, cents.map((c) => ({ student: f.students[0]!, offering, cents: c })), { last4 })
  const ref = w.one<{ processor_ref: string }>(`SELECT processor_ref FROM payments WHERE id = ?`, order.paymentId).processor_ref
  return { ...order, ref, guardian: f.guardian, student: f.students[0]!, offering }
}

describe('a refund of lines', () => {
  it('writes pending refunds with their keys, then the runner settles them with the processor, once', async () => {
    const o = simpleOrder()
    const asked = await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }, { orderLineId: o.lineIds[1]!, amountCents: 200 }], reason: 'Enfant absent' }, w.secretary)
    expect(asked.totalCents).toBe(750)
    // Committed before any processor call: pending, each with its idempotency key.
    const rows = w.all<{ id: string; status: string; idempotency_key: string; amount_cents: number }>(`SELECT id, status, idempotency_key, amount_cents FROM refunds ORDER BY amount_cents`)
    expect(rows.map((r) => r.idempotency_key)).toEqual(rows.map((r) => `guichet-refund-${r.id}`))
    await w.core.refunds.drain()
    expect(w.all(`SELECT amount_cents, status FROM refunds ORDER BY amount_cents`)).toEqual([
      { amount_cents: 200, status: 'succeeded' },
      { amount_cents: 550, status: 'succeeded' },
    ])
    expect(demoRefunds(o.ref).map((r) => [r.amountCents, r.status]).sort()).toEqual([
      [200, 'succeeded'],
      [550, 'succeeded'],
    ])
    const job = await ok(w.core, 'refunds.job', { jobId: asked.jobId }, w.secretary)
    expect(job.job.progress).toMatchObject({ total: 2, done: 2, succeeded: 2, failed: 0, pending: 0, finished: true, succeededCents: 750 })
    expect(job.items.map((i) => i.state)).toEqual(['succeeded', 'succeeded'])
    // One outbox mutation and one settlement audit row per refund, in the answer's transaction.
    expect(w.count(`SELECT count(*) AS n FROM outbox WHERE type = 'refund.record'`)).toBe(2)
    expect(w.count(`SELECT count(*) AS n FROM audit_log WHERE action = 'refunds.settled'`)).toBe(2)
    expect(w.count(`SELECT count(*) AS n FROM audit_log WHERE action = 'refunds.refundLines' AND entity = 'refund'`)).toBe(2)
    // What is left on the partly refunded line, and nothing more on the other.
    const left = await ok(w.core, 'refunds.refundable', { orderId: o.orderId }, w.secretary)
    expect(left.lines.map((l) => l.refundableCents).sort((a, b) => a - b)).toEqual([0, 250])
    // Running again changes nothing.
    await w.core.refunds.drain()
    expect(demoRefunds(o.ref)).toHaveLength(2)
  })

  it('refunds a whole order: all that is left on each line', async () => {
    const o = simpleOrder()
    await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]!, amountCents: 100 }], reason: 'Partiel' }, w.secretary)
    const asked = await ok(w.core, 'refunds.refundOrder', { orderId: o.orderId, reason: 'Départ de l’élève' }, w.secretary)
    expect(asked.totalCents).toBe(900)
    await w.core.refunds.drain()
    expect(w.count(`SELECT sum(amount_cents) AS n FROM refunds WHERE status = 'succeeded'`)).toBe(1000)
    expect((await refused(w, 'refunds.refundOrder', { orderId: o.orderId, reason: 'Encore' }, w.secretary)).code).toBe('REFUND_NOTHING_LEFT')
    const list = await ok(w.core, 'orders.list', {}, w.secretary)
    expect(list.rows.find((r) => r.orderId === o.orderId)).toMatchObject({ status: 'refunded', refundedCents: 1000 })
    const history = await ok(w.core, 'families.history', { studentId: o.student }, w.secretary)
    expect(history.events.filter((e) => e.kind === 'refund').map((e) => e.amountCents).sort()).toEqual([100, 450, 450].sort())
  })
})

describe('bad input is refused, and nothing changes', () => {
  it('more than what is left, zero, negative, an unpaid line, a voided payment', async () => {
    const o = simpleOrder()
    const f = family(w, 'Sans-Paiement')
    const unpaid = paidOrder(w, f.guardian, [{ student: f.students[0]!, offering: o.offering, cents: 300 }], { paid: false })
    const before = snapshot(w)
    const cases: Array<[Parameters<typeof refused<'refunds.refundLines'>>[2], string]> = [
      [{ lines: [{ orderLineId: o.lineIds[0]!, amountCents: 551 }], reason: 'Trop' }, 'refund.exceedsRemaining'],
      [{ lines: [{ orderLineId: o.lineIds[0]!, amountCents: 0 }], reason: 'Zéro' }, 'refund.amountNotPositive'],
      [{ lines: [{ orderLineId: unpaid.lineIds[0]! }], reason: 'Impayé' }, 'refund.notPaid'],
      // Two items of one request that together go above the line.
      [{ lines: [{ orderLineId: o.lineIds[0]!, amountCents: 300 }, { orderLineId: o.lineIds[0]!, amountCents: 300 }], reason: 'Double' }, 'refund.exceedsRemaining'],
    ]
    for (const [input, key] of cases) {
      const error = await refused(w, 'refunds.refundLines', input, w.secretary)
      expect(error.code, key).toBe('REFUND_REFUSED')
      expect(error.issues?.length, key).toBe(1)
      expect(error.message).toMatch(/Rien n’a été remboursé/)
    }
    expect((await refused(w, 'refunds.refundLines', { lines: [{ orderLineId: 'nope' }], reason: 'x' }, w.secretary)).code).toBe('NOT_FOUND')
    expect((await refused(w, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]!, amountCents: 1.5 }], reason: 'x' }, w.secretary)).code).toBe('INVALID_INPUT')
    // A negative or absurd amount is refused by the contract, on its field.
    for (const amountCents of [-5, 9007199254740991]) {
      const error = await refused(w, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]!, amountCents }], reason: 'x' }, w.secretary)
      expect(error.code).toBe('INVALID_INPUT')
      expect(error.issues?.map((i) => i.path)).toEqual(['lines.0.amountCents'])
    }
    expect((await refused(w, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: '   ' }, w.secretary)).code).toBe('INVALID_INPUT')

    // A voided payment: nothing is refunded on it.
    w.raw.prepare(`INSERT INTO payment_voids (payment_id, source, reason, voided_at) VALUES (?, 'office', 'Annulé avant capture', ?)`).run(o.paymentId, '2026-11-20T16:00:00.000Z')
    const afterVoid = snapshot(w)
    const voided = await refused(w, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[1]!, amountCents: 100 }], reason: 'Annulé' }, w.secretary)
    expect(voided.code).toBe('REFUND_REFUSED')
    const whole = await refused(w, 'refunds.refundOrder', { orderId: o.orderId, reason: 'Annulé' }, w.secretary, 'en-CA')
    expect(whole.code).toBe('REFUND_REFUSED')
    expect(snapshot(w)).toEqual(afterVoid)
    expect(afterVoid).toEqual({ ...before, payment_voids: 1 })
    expect(w.core.refunds.processors.forPayment('demo')).not.toBeNull()
    expect(demoRefunds(o.ref)).toEqual([])
  })

  it('two staff refunding the same line at the same moment: one refund, the other refused', async () => {
    const o = simpleOrder()
    const [a, b] = await Promise.all([
      call(w, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: 'Appel du parent' }, w.secretary),
      call(w, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: 'Courriel du parent' }, w.secretary2),
    ])
    expect([a.ok, b.ok].sort()).toEqual([false, true])
    const loser = (a.ok ? b : a) as { ok: false; error: { code: string } }
    expect(loser.error.code).toBe('REFUND_REFUSED')
    // With what each saw on the screen: the second learns that someone refunded it meanwhile.
    const [c, d] = await Promise.all([
      call(w, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[1]!, amountCents: 100, expectedRemainingCents: 450 }], reason: 'A' }, w.secretary),
      call(w, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[1]!, amountCents: 100, expectedRemainingCents: 450 }], reason: 'B' }, w.secretary2),
    ])
    expect([c.ok, d.ok].sort()).toEqual([false, true])
    expect(((c.ok ? d : c) as { ok: false; error: { code: string } }).error.code).toBe('CONFLICT')
    await w.core.refunds.drain()
    expect(w.all(`SELECT order_line_id, amount_cents FROM refunds ORDER BY amount_cents`)).toEqual([
      { order_line_id: o.lineIds[1], amount_cents: 100 },
      { order_line_id: o.lineIds[0], amount_cents: 550 },
    ])
    expect(demoRefunds(o.ref)).toHaveLength(2)
    expectNoDoubleRefund(w)
  })

  it('above the school’s threshold, the principal’s role is needed', async () => {
    const o = simpleOrder('4242', [6000, 500])
    const before = snapshot(w)
    const error = await refused(w, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: 'Sortie annulée' }, w.secretary)
    expect(error.code).toBe('REFUND_NEEDS_PRINCIPAL')
    expect(error.message).toContain('60,00')
    expect(error.message).toContain('50,00')
    // Split over lines of one payment in one request: the request's sum counts.
    expect((await refused(w, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]!, amountCents: 4600 }, { orderLineId: o.lineIds[1]! }], reason: 'x' }, w.secretary)).code).toBe(
      'REFUND_NEEDS_PRINCIPAL',
    )
    expect(snapshot(w)).toEqual(before)
    await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[1]! }], reason: 'Sous le seuil' }, w.secretary)
    await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: 'Approuvé' }, w.principal)
    expect((await refused(w, 'refunds.setThreshold', { schoolId: w.school, thresholdCents: 10_000 }, w.secretary)).code).toBe('FORBIDDEN')
    await ok(w.core, 'refunds.setThreshold', { schoolId: w.school, thresholdCents: 10_000 }, w.principal)
    expect(await ok(w.core, 'refunds.settings', { schoolId: w.school }, w.secretary)).toEqual({ thresholdCents: 10_000 })
    expect(w.count(`SELECT count(*) AS n FROM audit_log WHERE action = 'refunds.setThreshold'`)).toBe(1)
  })
})

describe('bulk refunds of a cancelled program date', () => {
  it('refunds every paid line with progress, one failing later (expired card), settled as a family credit', async () => {
    const { offering, dates } = pizzaProgram(w, ['2026-12-04', '2026-12-11'], ['2026-12-04'])
    const snowDay = dates['2026-12-04']!
    const families = Array.from({ length: 60 }, (_, i) => family(w, `Famille${i}`, 2))
    families.forEach((f, i) =>
      paidOrder(
        w,
        f.guardian,
        f.students.flatMap((s) => [
          { student: s, offering, cents: 550, programDate: snowDay },
          { student: s, offering, cents: 550, programDate: dates['2026-12-11']! },
        ]),
        { last4: i === 7 ? '5126' : '4242' },
      ),
    )
    // An unpaid order on that date: nothing to refund there.
    paidOrder(w, families[0]!.guardian, [{ student: families[0]!.students[0]!, offering, cents: 550, programDate: snowDay }], { paid: false })

    expect((await refused(w, 'refunds.startBulk', { target: { kind: 'programDate', programDateId: dates['2026-12-11']! }, reason: 'x' }, w.secretary)).code).toBe('REFUND_NOT_CANCELLED')
    const started = await ok(w.core, 'refunds.startBulk', { target: { kind: 'programDate', programDateId: snowDay }, reason: 'Tempête de neige' }, w.secretary)
    expect(started).toMatchObject({ resumed: false, total: 120, totalCents: 120 * 550 })
    // Asked again while it runs: the same job, not a second one.
    const again = await ok(w.core, 'refunds.startBulk', { target: { kind: 'programDate', programDateId: snowDay }, reason: 'Tempête de neige' }, w.secretary)
    expect(again).toMatchObject({ jobId: started.jobId, resumed: true })

    await w.core.refunds.drain()
    const job = await ok(w.core, 'refunds.job', { jobId: started.jobId, limit: 500 }, w.secretary)
    expect(job.job.progress).toMatchObject({ total: 120, done: 120, succeeded: 118, failed: 2, pending: 0, finished: true })
    expect(job.items.filter((i) => i.state === 'failed').map((i) => i.failureCode)).toEqual(['expired_or_canceled_card', 'expired_or_canceled_card'])
    expectNoDoubleRefund(w)

    const failed = await ok(w.core, 'refunds.failed', { schoolId: w.school }, w.secretary)
    expect(failed.refunds).toHaveLength(2)
    const [first, second] = failed.refunds
    // Not yet dealt with: what was not refunded is refundable again.
    expect(w.one<{ r: number }>(`SELECT refundable_cents AS r FROM line_refundable WHERE order_line_id = ?`, first!.orderLineId).r).toBe(550)

    const credit = await ok(w.core, 'refunds.settleAsCredit', { refundId: first!.refundId, reason: 'Carte prépayée expirée; crédit pour la pizza' }, w.secretary)
    expect(credit).toMatchObject({ amountCents: 550, balanceCents: 550 })
    expect((await refused(w, 'refunds.settleAsCredit', { refundId: first!.refundId, reason: 'Encore' }, w.secretary)).code).toBe('REFUND_NOT_FAILED')
    expect((await refused(w, 'refunds.retry', { refundId: first!.refundId, reason: 'Encore' }, w.secretary)).code).toBe('REFUND_NOT_FAILED')
    expect(w.one<{ r: number }>(`SELECT refundable_cents AS r FROM line_refundable WHERE order_line_id = ?`, first!.orderLineId).r).toBe(0)
    // A retry of the other: a new refund, new key; this card fails again, and that one is credited.
    const retried = await ok(w.core, 'refunds.retry', { refundId: second!.refundId, reason: 'Le parent dit que la carte est renouvelée' }, w.secretary)
    await w.core.refunds.drain()
    const afterRetry = await ok(w.core, 'refunds.failed', {}, w.secretary)
    expect(afterRetry.refunds.map((r) => r.refundId)).toEqual([retried.refundId])
    await ok(w.core, 'refunds.settleAsCredit', { refundId: retried.refundId, reason: 'Deuxième échec' }, w.secretary)
    expect((await ok(w.core, 'refunds.failed', {}, w.secretary)).refunds).toEqual([])

    const progress = (await ok(w.core, 'refunds.job', { jobId: started.jobId, limit: 0 }, w.secretary)).job.progress
    expect(progress).toMatchObject({ failed: 0, resolved: 2 })
    const fam = families[7]!
    const credits = await ok(w.core, 'credits.ofFamily', { studentId: fam.students[0]! }, w.secretary)
    expect(credits.balances).toEqual([expect.objectContaining({ schoolId: w.school, guardianId: fam.guardian, balanceCents: 1100 })])
    expect(credits.entries.map((e) => e.kind)).toEqual(['granted', 'granted'])
    const history = await ok(w.core, 'families.history', { studentId: fam.students[0]! }, w.secretary)
    expect(history.events.filter((e) => e.kind === 'refund').map((e) => e.detail).sort()).toEqual(['failed', 'failed', 'failed'])

    // Everything refunded or credited: nothing left to start.
    expect((await refused(w, 'refunds.startBulk', { target: { kind: 'programDate', programDateId: snowDay }, reason: 'x' }, w.secretary)).code).toBe('REFUND_NOTHING_LEFT')
    // The other date was not touched.
    expect(w.count(`SELECT count(*) AS n FROM refunds r JOIN order_lines l ON l.id = r.order_line_id WHERE l.program_date_id = ?`, dates['2026-12-11'])).toBe(0)
    const jobs = await ok(w.core, 'refunds.jobs', { schoolId: w.school }, w.secretary)
    expect(jobs.jobs.map((j) => j.kind).sort()).toEqual(['program_date', 'retry'])
  })

  it('refunds a cancelled outing, and a job resumes from the table', async () => {
    const outing = w.board.offering(w.school, 'outing', 'Musée', [['school', w.school]], { price: 1500, status: 'published' })
    const fams = Array.from({ length: 5 }, (_, i) => family(w, `Sortie${i}`))
    for (const f of fams) paidOrder(w, f.guardian, [{ student: f.students[0]!, offering: outing, cents: 1500 }])
    expect((await refused(w, 'refunds.startBulk', { target: { kind: 'offering', offeringId: outing }, reason: 'Autobus annulé' }, w.secretary)).code).toBe('REFUND_NOT_CANCELLED')
    w.raw.prepare(`UPDATE offerings SET status = 'cancelled', cancel_reason = 'Autobus annulé' WHERE id = ?`).run(outing)
    // Stop the runner from starting on its own: the job waits in the table, as after a crash.
    const kick = w.core.refunds.kick.bind(w.core.refunds)
    w.core.refunds.kick = () => undefined
    const started = await ok(w.core, 'refunds.startBulk', { target: { kind: 'offering', offeringId: outing }, reason: 'Autobus annulé' }, w.secretary)
    expect((await ok(w.core, 'refunds.job', { jobId: started.jobId }, w.secretary)).job.progress).toMatchObject({ total: 5, pending: 5, done: 0 })
    w.core.refunds.kick = kick
    const resumed = await ok(w.core, 'refunds.resume', { jobId: started.jobId }, w.secretary)
    expect(resumed.job.id).toBe(started.jobId)
    await w.core.refunds.whenIdle()
    expect((await ok(w.core, 'refunds.job', { jobId: started.jobId }, w.secretary)).job.progress).toMatchObject({ total: 5, succeeded: 5, finished: true })
  })
})

describe('who may do what', () => {
  it('needs a session for every method; the threshold and the budget are the principal’s', async () => {
    const anonymous = await w.core.dispatch({ method: 'refunds.failed', input: {} })
    expect(anonymous.ok ? null : anonymous.error.code).toBe('NOT_SIGNED_IN')
    expect((await refused(w, 'waivers.budget', { schoolId: w.school }, w.secretary)).code).toBe('FORBIDDEN')
    expect((await refused(w, 'waivers.grant', { studentId: 'x', offeringId: 'y', reason: 'z' }, w.secretary)).code).toBe('FORBIDDEN')
  })
})
