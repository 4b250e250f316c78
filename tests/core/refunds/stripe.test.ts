import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createStripeProcessor, type StripeProcessor } from '../../../src/core/adapters/processors'
import { startFakeStripe, type FakeStripe, type FaultKind } from '../../support/fake-stripe'
import { expectNoDoubleRefund, family, ok, paidOrder, pizzaProgram, refundCore, refused, snapshot, T0, type RefundWorld } from './helpers'

/**
 * Refunds through the real stripe SDK against the fake Stripe server: time-outs, 500s, dropped
 * connections, idempotency replays, a key forgotten after a day, a refund failing later. In every
 * case Stripe ends with exactly one refund per refund row, and the ledger says what Stripe says.
 */
const HOUR = 3_600_000
let fake: FakeStripe
let w: RefundWorld
let stripe: StripeProcessor
let clock: { ms: number }

beforeAll(async () => {
  fake = await startFakeStripe()
})
afterAll(async () => {
  await fake.stop()
})
beforeEach(async () => {
  fake.reset()
  clock = { ms: Date.parse(T0) }
  stripe = createStripeProcessor({ ...fake.connection(), maxNetworkRetries: 0, timeoutMs: 300, now: () => clock.ms })
  w = await refundCore({ nowMs: () => clock.ms, stripe: () => stripe })
})
afterEach(async () => {
  await w.cleanup()
  expect(w.errors).toEqual([])
})

/** An order of `cents` lines paid with `card` through Stripe, as the kiosk records it. */
async function stripeOrder(cents: number[], card = '4242424242424242') {
  const f = family(w, `Stripe${Math.random().toString(36).slice(2, 8)}`)
  const { offering } = pizzaProgram(w, ['2026-12-04'])
  const charged = await stripe.charge({
    amountCents: cents.reduce((a, b) => a + b, 0),
    currency: 'cad',
    idempotencyKey: `charge-${f.guardian}`,
    description: 'Guichet — test',
    metadata: { guardianId: f.guardian },
    method: { kind: 'test_card', card },
  })
  if (charged.status !== 'succeeded') throw new Error('charge declined')
  const order = paidOrder(
    w,
    f.guardian,
    cents.map((c) => ({ student: f.students[0]!, offering, cents: c })),
    { processor: 'stripe', ref: charged.processorRef, last4: charged.last4 },
  )
  return { ...order, pi: charged.processorRef, student: f.students[0]! }
}

/** Stripe's refunds for each refund row: exactly one each, of the same amount. */
function expectOneStripeRefundEach(): void {
  const rows = w.all<{ id: string; amount_cents: number; status: string; processor_ref: string | null }>(`SELECT id, amount_cents, status, processor_ref FROM refunds`)
  for (const r of rows) {
    const made = fake.refundsFor(r.id)
    expect(made, r.id).toHaveLength(1)
    expect(made[0]!.amount).toBe(r.amount_cents)
    if (r.status !== 'pending') expect(r.processor_ref).toBe(made[0]!.id)
  }
  expectNoDoubleRefund(w)
}

describe('refunds through Stripe', () => {
  it('refunds lines with the refund row’s key and refundId', async () => {
    const o = await stripeOrder([1500, 1000])
    const asked = await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }, { orderLineId: o.lineIds[1]!, amountCents: 400 }], reason: 'Absent' }, w.secretary)
    await w.core.refunds.drain()
    expect((await ok(w.core, 'refunds.job', { jobId: asked.jobId }, w.secretary)).job.progress).toMatchObject({ succeeded: 2, finished: true })
    expectOneStripeRefundEach()
    expect(fake.remaining(o.pi)).toBe(600)
    const keys = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds').map((r) => r.idempotencyKey)
    expect(keys.sort()).toEqual(w.all<{ k: string }>(`SELECT idempotency_key AS k FROM refunds`).map((r) => r.k).sort())
  })

  it.each<[string, FaultKind, boolean]>([
    ['a time-out after Stripe made it', 'timeout', true],
    ['a time-out before', 'timeout', false],
    ['a 500 before anything', '500', false],
    ['a 500 saved under the key', '500-after-commit', true],
    ['a connection dropped after', 'drop-after-commit', true],
    ['a connection dropped before', 'drop-before-commit', false],
    ['a 429', '429', false],
  ])('%s, on every try of a pass: pending, then found again by metadata or made once', async (_name, kind, commit) => {
    const o = await stripeOrder([2000])
    // Enough for every try of a pass (Node may resend once on a dropped keep-alive socket).
    fake.failNext({ path: '/v1/refunds', method: 'POST', kind, commit, times: 4, retryAfterSeconds: 0 })
    const asked = await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: 'Panne' }, w.secretary)
    await w.core.refunds.whenIdle()
    const first = w.one<{ status: string }>(`SELECT status FROM refunds WHERE id = ?`, asked.refundIds[0])
    if (kind !== '500-after-commit') expect(first.status).toBe('pending')
    expect(fake.refundsFor(asked.refundIds[0]!).length).toBeLessThanOrEqual(1)
    fake.clearFaults()
    await w.core.refunds.drain()
    expect(w.one<{ status: string }>(`SELECT status FROM refunds WHERE id = ?`, asked.refundIds[0]).status).toBe('succeeded')
    expectOneStripeRefundEach()
    expect(fake.remaining(o.pi)).toBe(0)
  })

  it('a refund sent by a process that died before recording the answer: the same key replays, a day later it is found by metadata', async () => {
    const o = await stripeOrder([1200, 800])
    const kick = w.core.refunds.kick.bind(w.core.refunds)
    w.core.refunds.kick = () => undefined
    const asked = await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }, { orderLineId: o.lineIds[1]! }], reason: 'Annulé' }, w.secretary)
    w.core.refunds.kick = kick
    // The other process: wrote 'sent', asked Stripe with the row's key and metadata, then died.
    const rows = w.all<{ id: string; idempotency_key: string; amount_cents: number; requested_at: string; payment_id: string }>(`SELECT * FROM refunds ORDER BY amount_cents DESC`)
    const jobId = asked.jobId
    for (const r of rows) {
      w.raw.prepare(`INSERT INTO refund_events (refund_id, kind, at) VALUES (?, 'sent', ?)`).run(r.id, T0)
      await stripe.refund({ paymentRef: o.pi, amountCents: r.amount_cents, idempotencyKey: r.idempotency_key, metadata: { refundId: r.id, paymentId: r.payment_id, jobId }, requestedAt: r.requested_at })
    }
    expect(fake.refundsCreated(o.pi)).toBe(2)
    // The first is resumed at once (the key replays); the second a day later (the key is forgotten).
    await w.core.refunds.step(rows[0]!.id)
    clock.ms += 25 * HOUR
    fake.expireIdempotencyKeys()
    await w.core.refunds.drain()
    expect(fake.refundsCreated(o.pi)).toBe(2)
    expectOneStripeRefundEach()
    expect(w.all(`SELECT status FROM refunds`)).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }])
  })

  it('the same refund asked again a day later without a recorded send: looked up before creating', async () => {
    const o = await stripeOrder([900])
    const kick = w.core.refunds.kick.bind(w.core.refunds)
    w.core.refunds.kick = () => undefined
    const asked = await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: 'x' }, w.secretary)
    w.core.refunds.kick = kick
    const r = w.one<{ id: string; idempotency_key: string; requested_at: string; payment_id: string }>(`SELECT * FROM refunds`)
    await stripe.refund({ paymentRef: o.pi, amountCents: 900, idempotencyKey: r.idempotency_key, metadata: { refundId: r.id, paymentId: r.payment_id, jobId: asked.jobId }, requestedAt: r.requested_at })
    clock.ms += 30 * HOUR
    fake.expireIdempotencyKeys()
    await w.core.refunds.drain()
    expectOneStripeRefundEach()
  })

  it('a refund that succeeds, then fails later: a reversal, listed as failed, refundable again, settled as a credit', async () => {
    const o = await stripeOrder([2500], '4000 0000 0000 5126')
    const asked = await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: 'Sortie annulée' }, w.secretary)
    await w.core.refunds.drain()
    const id = asked.refundIds[0]!
    expect(w.one(`SELECT status FROM refund_states WHERE id = ?`, id)).toEqual({ status: 'succeeded' })
    // Days later, the follow-up asks Stripe again.
    clock.ms += 3 * 24 * HOUR
    w.secretary = await w.signIn('sec')
    w.principal = await w.signIn('dir')
    expect(await w.core.refunds.followUp()).toBe(1)
    expect(await w.core.refunds.followUp()).toBe(0)
    expect(w.one(`SELECT status FROM refunds WHERE id = ?`, id)).toEqual({ status: 'succeeded' }) // the first answer stays
    expect(w.one(`SELECT status, reversed, failure_code FROM refund_states WHERE id = ?`, id)).toEqual({ status: 'failed', reversed: 1, failure_code: 'expired_or_canceled_card' })
    const failed = await ok(w.core, 'refunds.failed', {}, w.secretary)
    expect(failed.refunds).toEqual([expect.objectContaining({ refundId: id, state: 'failed', reversed: true, failureCode: 'expired_or_canceled_card' })])
    expect((await ok(w.core, 'refunds.refundable', { orderId: o.orderId }, w.secretary)).lines[0]!.refundableCents).toBe(2500)
    expect(w.all(`SELECT json_extract(data, '$.status') AS s FROM outbox WHERE type = 'refund.record' ORDER BY seq`)).toEqual([{ s: 'succeeded' }, { s: 'failed' }])
    expect(w.count(`SELECT count(*) AS n FROM audit_log WHERE action = 'refunds.reversed'`)).toBe(1)
    await ok(w.core, 'refunds.settleAsCredit', { refundId: id, reason: 'Carte expirée' }, w.principal)
    expect((await ok(w.core, 'refunds.refundable', { orderId: o.orderId }, w.secretary)).lines[0]!.refundableCents).toBe(0)
    expect(fake.refundsFor(id)).toHaveLength(1)
  })

  it('a refund Stripe keeps pending is followed until it is final', async () => {
    const o = await stripeOrder([1000])
    fake.refundsStayPending(o.pi)
    const asked = await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: 'x' }, w.secretary)
    await w.core.refunds.drain(3)
    const job = await ok(w.core, 'refunds.job', { jobId: asked.jobId }, w.secretary)
    expect(job.items[0]!.state).toBe('waiting')
    expect(job.job.progress).toMatchObject({ pending: 1, finished: false })
    fake.settleRefund(fake.refundsFor(asked.refundIds[0]!)[0]!.id, 'succeeded')
    await w.core.refunds.drain()
    expect((await ok(w.core, 'refunds.job', { jobId: asked.jobId }, w.secretary)).job.progress).toMatchObject({ succeeded: 1, finished: true })
    expectOneStripeRefundEach()
  })

  it('a voided payment: Stripe refuses, the payment is recorded voided, and the next refund is refused here', async () => {
    const sdk = fake.client()
    const intent = await sdk.paymentIntents.create({ amount: 1800, currency: 'cad', allowed_payment_method_types: ['card_present'] })
    await sdk.paymentIntents.cancel(intent.id)
    const f = family(w, 'Annulé')
    const { offering } = pizzaProgram(w, ['2026-12-04'])
    const o = paidOrder(w, f.guardian, [{ student: f.students[0]!, offering, cents: 900 }, { student: f.students[0]!, offering, cents: 900 }], { processor: 'stripe', ref: intent.id })
    const asked = await ok(w.core, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[0]! }], reason: 'x' }, w.secretary)
    await w.core.refunds.drain()
    expect(w.one(`SELECT status, failure_message FROM refunds WHERE id = ?`, asked.refundIds[0])).toEqual({ status: 'failed', failure_message: 'refund.paymentVoided' })
    expect(w.one(`SELECT source FROM payment_voids WHERE payment_id = ?`, o.paymentId)).toEqual({ source: 'processor' })
    const before = snapshot(w)
    const error = await refused(w, 'refunds.refundLines', { lines: [{ orderLineId: o.lineIds[1]! }], reason: 'x' }, w.secretary)
    expect(error.code).toBe('REFUND_REFUSED')
    expect(snapshot(w)).toEqual(before)
    expect(fake.refundsCreated()).toBe(0)
  })

  it('a Stripe payment on a computer without Stripe: refused before anything is written', async () => {
    const o = await stripeOrder([700])
    const bare = await refundCore({ nowMs: () => clock.ms })
    try {
      // The same ledger rows, in the other core's file.
      bare.raw.prepare(`INSERT INTO guardians (id, first_name, last_name, search_key, updated_at) VALUES ('g', 'A', 'B', 'a b', ?)`).run(T0)
      const s = bare.board.student(bare.school, 'C', 'D', '2')
      const offering = bare.board.offering(bare.school, 'product', 'Agenda', [['school', bare.school]])
      const order = paidOrder(bare, 'g', [{ student: s, offering, cents: 700 }], { processor: 'stripe', ref: o.pi })
      const before = snapshot(bare)
      expect((await refused(bare, 'refunds.refundLines', { lines: [{ orderLineId: order.lineIds[0]! }], reason: 'x' }, bare.secretary)).code).toBe('PROCESSOR_UNAVAILABLE')
      expect(snapshot(bare)).toEqual(before)
    } finally {
      await bare.cleanup()
    }
  })
})

describe('a bulk refund through random failures', () => {
  type Injected = { kind: FaultKind | 'timeout-after-commit'; method: 'POST' | 'GET'; path: string }
  const fault: fc.Arbitrary<Injected> = fc.record({
    kind: fc.constantFrom<Injected['kind']>('timeout', 'timeout-after-commit', '500', '500-after-commit', '429', 'drop-before-commit', 'drop-after-commit'),
    method: fc.constantFrom<'POST' | 'GET'>('POST', 'POST', 'GET'),
    path: fc.constant('/v1/refunds'),
  })

  it('every line refunded exactly once at Stripe and in the ledger', { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fault, { maxLength: 3 }), { minLength: 1, maxLength: 4 }), fc.boolean(), async (rounds, dayLater) => {
        fake.clearFaults()
        // A day may have passed in the run before: the session locked; sign in again.
        const principal = (await ok(w.core, 'auth.signIn', { username: 'dir', password: 'secret-pass' })).token
        const { offering, dates } = pizzaProgram(w, ['2027-01-15'])
        const [dateId] = Object.values(dates)
        w.raw.prepare(`UPDATE program_dates SET status = 'cancelled', cancel_reason = 'Neige' WHERE id = ?`).run(dateId)
        const pis: string[] = []
        for (let i = 0; i < 4; i++) {
          const f = family(w, `Prop${i}`)
          const charged = await stripe.charge({ amountCents: 1100, currency: 'cad', idempotencyKey: `c-${f.guardian}`, description: 'x', metadata: {}, method: { kind: 'test_card', card: '4242424242424242' } })
          if (charged.status !== 'succeeded') throw new Error('declined')
          pis.push(charged.processorRef)
          paidOrder(w, f.guardian, [{ student: f.students[0]!, offering, cents: 550, programDate: dateId }, { student: f.students[0]!, offering, cents: 550, programDate: dateId }], {
            processor: 'stripe',
            ref: charged.processorRef,
          })
        }
        const started = await ok(w.core, 'refunds.startBulk', { target: { kind: 'programDate', programDateId: dateId! }, reason: 'Neige' }, principal)
        for (const faults of rounds) {
          for (const f of faults) {
            if (f.kind === 'timeout-after-commit') fake.failNext({ path: f.path, method: f.method, kind: 'timeout', commit: true })
            else fake.failNext({ path: f.path, method: f.method, kind: f.kind, retryAfterSeconds: 0 })
          }
          await w.core.refunds.drain(1)
          fake.clearFaults()
          for (const r of w.all<{ id: string }>(`SELECT refund_id AS id FROM refund_job_items WHERE job_id = ?`, started.jobId)) {
            expect(fake.refundsFor(r.id).length).toBeLessThanOrEqual(1)
          }
          if (dayLater) {
            clock.ms += 25 * HOUR
            fake.expireIdempotencyKeys()
          }
        }
        await w.core.refunds.drain()
        const progress = (await ok(w.core, 'refunds.job', { jobId: started.jobId, limit: 0 }, await w.signIn('dir'))).job.progress
        expect(progress).toMatchObject({ total: 8, succeeded: 8, finished: true })
        expectOneStripeRefundEach()
        for (const pi of pis) expect(fake.remaining(pi)).toBe(0)
      }),
      { numRuns: 12, seed: 20261204 },
    )
  })
})
