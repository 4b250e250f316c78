import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  DECLINE_CODES,
  ProcessorRefusal,
  TransientProcessorError,
  type RefundResult,
} from '../../../src/core/adapters/processors'
import { startFakeStripe, type FakeStripe } from '../../support/fake-stripe'
import { chargeRequest, HOUR, manualClock, paidIntent, refundPosts, refundRequest, stripeFor, T0 } from './helpers'

let fake: FakeStripe
beforeAll(async () => {
  fake = await startFakeStripe()
})
afterAll(async () => {
  await fake.stop()
})
beforeEach(() => fake.reset())

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}

describe('charges with test cards', () => {
  it.each([
    ['4242 4242 4242 4242', 'visa', '4242'],
    ['4000 0566 5566 5556', 'visa_debit', '5556'],
    ['5555 5555 5555 4444', 'mastercard', '4444'],
    ['5105 1051 0510 5100', 'mastercard_prepaid', '5100'],
  ])('approves %s as %s', async (card, brand, last4) => {
    const stripe = stripeFor(fake)
    const result = await stripe.charge(chargeRequest(card, 'charge-1'))
    expect(result).toEqual({ status: 'succeeded', processorRef: expect.stringMatching(/^pi_/), amountCents: 2500, cardBrand: brand, last4 })
    const pi = fake.paymentIntent((result as { processorRef: string }).processorRef)!
    expect(pi).toMatchObject({ status: 'succeeded', amount: 2500, currency: 'cad', allowedTypes: ['card'], metadata: { paymentId: 'pay-charge-1', schoolId: 'school-1' } })
    expect(fake.requests.find((r) => r.path === '/v1/payment_intents')?.idempotencyKey).toBe('charge-1')
  })

  it.each([
    ['4000 0000 0000 0002', 'card_declined'],
    ['4000 0000 0000 9995', 'insufficient_funds'],
    ['4000 0000 0000 0069', 'expired_card'],
    ['4000 0000 0000 0127', 'incorrect_cvc'],
    ['4000 0000 0000 0119', 'processing_error'],
  ] as const)('declines %s with %s', async (card, code) => {
    const result = await stripeFor(fake).charge(chargeRequest(card, `charge-${code}`))
    expect(result).toEqual({ status: 'declined', code, messageCode: DECLINE_CODES[code], processorRef: expect.stringMatching(/^pi_/) })
    expect(fake.paymentIntent(result.status === 'declined' ? result.processorRef! : '')?.status).toBe('requires_payment_method')
  })

  it('answers a retried charge (same key) with the same PaymentIntent, charged once', async () => {
    const stripe = stripeFor(fake)
    const first = await stripe.charge(chargeRequest('4242424242424242', 'same-key'))
    const again = await stripe.charge(chargeRequest('4242424242424242', 'same-key'))
    expect(again).toEqual(first)
    expect(fake.paymentIntentsCreated()).toBe(1)
    expect(fake.replays()).toBe(1)
    // a declined answer is replayed too
    const declined = await stripe.charge(chargeRequest('4000000000009995', 'declined-key'))
    expect(await stripe.charge(chargeRequest('4000000000009995', 'declined-key'))).toEqual(declined)
    expect(fake.paymentIntentsCreated()).toBe(2)
  })

  it('survives a charge whose answer was lost', async () => {
    const stripe = stripeFor(fake)
    fake.failNext({ path: '/v1/payment_intents', method: 'POST', kind: 'drop-after-commit', times: 2 })
    const error = await rejection(stripe.charge(chargeRequest('4242424242424242', 'lost')))
    expect(error).toBeInstanceOf(TransientProcessorError)
    expect(error).toMatchObject({ reason: 'network', outcomeUnknown: true })
    const result = await stripe.charge(chargeRequest('4242424242424242', 'lost'))
    expect(result).toMatchObject({ status: 'succeeded', last4: '4242' })
    expect(fake.paymentIntentsCreated()).toBe(1)
  })

  it('refuses what is not a charge it can make', async () => {
    const stripe = stripeFor(fake)
    await expect(stripe.charge(chargeRequest('4111 1111 1111 1111', 'k'))).rejects.toMatchObject({ code: 'processor.unknownTestCard' })
    await expect(stripe.charge(chargeRequest('4242424242424242', 'k0', 0))).rejects.toMatchObject({ code: 'charge.amountNotPositive' })
    await expect(stripe.charge(chargeRequest('4242424242424242', 'k1', 49))).rejects.toMatchObject({ code: 'charge.amountTooSmall', values: { minimumCents: 50 } })
    const live = stripeFor(fake, { apiKey: 'sk_live_not_a_real_key' })
    await expect(live.charge(chargeRequest('4242424242424242', 'k2'))).rejects.toMatchObject({ code: 'processor.testCardInLiveMode' })
    expect(fake.paymentIntentsCreated()).toBe(0)
  })

  it('turns a wrong key into a refusal that does not carry the key', async () => {
    const stripe = stripeFor(fake, { apiKey: 'sk_test_wrong_secret_value' })
    const error = await rejection(stripe.charge(chargeRequest('4242424242424242', 'k')))
    expect(error).toBeInstanceOf(ProcessorRefusal)
    expect(error).toMatchObject({ code: 'processor.notAuthorized', statusCode: 401 })
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain('wrong_secret')
    expect(JSON.stringify(stripe)).not.toContain('sk_test')
  })
})

describe('refunds', () => {
  it('refunds with the key and the refundId, once', async () => {
    const stripe = stripeFor(fake)
    const pi = await paidIntent(stripe, 'c1')
    const result = await stripe.refund(refundRequest(pi, 'r1', 1000))
    expect(result).toEqual({ status: 'succeeded', processorRef: expect.stringMatching(/^re_/), amountCents: 1000 })
    expect(fake.refund(result.processorRef)).toMatchObject({ amount: 1000, paymentIntent: pi, metadata: { refundId: 'r1', paymentId: 'pay-1' } })
    expect(fake.requests.find((r) => r.path === '/v1/refunds')?.idempotencyKey).toBe('refund-r1')
    expect(await stripe.refund(refundRequest(pi, 'r1', 1000))).toEqual(result)
    expect(fake.refundsCreated(pi)).toBe(1)
    expect(await stripe.findRefund('r1', pi)).toEqual(result)
    expect(await stripe.findRefund('r-none', pi)).toBeNull()
    expect(await stripe.refundStatus(result.processorRef)).toEqual(result)
  })

  it('after a 500, the SDK retries with the same key: one refund', async () => {
    const stripe = stripeFor(fake, { maxNetworkRetries: 2 })
    const pi = await paidIntent(stripe, 'c1')
    fake.failNext({ path: '/v1/refunds', method: 'POST', kind: '500' })
    const result = await stripe.refund(refundRequest(pi, 'r1', 1000))
    expect(result.status).toBe('succeeded')
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds')
    expect(posts.map((p) => [p.status, p.idempotencyKey])).toEqual([
      [500, 'refund-r1'],
      [200, 'refund-r1'],
    ])
    expect(fake.refundsCreated(pi)).toBe(1)
  })

  it('after a 500 with no SDK retry, the caller retries with the same key: one refund', async () => {
    const stripe = stripeFor(fake)
    const pi = await paidIntent(stripe, 'c1')
    fake.failNext({ path: '/v1/refunds', method: 'POST', kind: '500' })
    const error = await rejection(stripe.refund(refundRequest(pi, 'r1', 1000)))
    expect(error).toMatchObject({ reason: 'server', outcomeUnknown: true, statusCode: 500 })
    expect(fake.refundsCreated(pi)).toBe(0)
    expect((await stripe.refund(refundRequest(pi, 'r1', 1000))).status).toBe('succeeded')
    expect(fake.refundsCreated(pi)).toBe(1)
  })

  it('a 500 saved under the key after the refund was made: found at once, not refunded again', async () => {
    const stripe = stripeFor(fake)
    const pi = await paidIntent(stripe, 'c1')
    fake.failNext({ path: '/v1/refunds', method: 'POST', kind: '500-after-commit' })
    const result = await stripe.refund(refundRequest(pi, 'r1', 1000))
    expect(result).toMatchObject({ status: 'succeeded', amountCents: 1000 })
    // the key replays the 500; the refund is found again
    expect(await stripe.refund(refundRequest(pi, 'r1', 1000))).toEqual(result)
    expect(fake.refundsCreated(pi)).toBe(1)
  })

  it('drop after commit: the SDK reconnects, Stripe replays (Idempotent-Replayed), one refund', async () => {
    const stripe = stripeFor(fake)
    const pi = await paidIntent(stripe, 'c1')
    fake.failNext({ path: '/v1/refunds', method: 'POST', kind: 'drop-after-commit' })
    const result = await stripe.refund(refundRequest(pi, 'r1', 1000))
    expect(result.status).toBe('succeeded')
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds')
    expect(posts.map((p) => ({ fault: p.fault, replayed: p.replayed }))).toEqual([
      { fault: 'drop-after-commit', replayed: false },
      { fault: undefined, replayed: true },
    ])
    expect(fake.refundsCreated(pi)).toBe(1)
  })

  it('drop after commit, twice: the caller sees a network error, its retry is replayed, one refund', async () => {
    const stripe = stripeFor(fake)
    const pi = await paidIntent(stripe, 'c1')
    fake.failNext({ path: '/v1/refunds', method: 'POST', kind: 'drop-after-commit', times: 2 })
    const error = await rejection(stripe.refund(refundRequest(pi, 'r1', 1000)))
    expect(error).toMatchObject({ reason: 'network', outcomeUnknown: true })
    expect(fake.refundsCreated(pi)).toBe(1) // Stripe did it
    const result = await stripe.refund(refundRequest(pi, 'r1', 1000))
    expect(result.status).toBe('succeeded')
    expect(fake.requests.at(-1)).toMatchObject({ path: '/v1/refunds', replayed: true })
    expect(fake.refundsCreated(pi)).toBe(1)
  })

  it('a time-out after Stripe did it: transient, and the retry is replayed', async () => {
    const stripe = stripeFor(fake, { timeoutMs: 300 })
    const pi = await paidIntent(stripe, 'c1')
    fake.failNext({ path: '/v1/refunds', method: 'POST', kind: 'timeout', commit: true })
    const error = await rejection(stripe.refund(refundRequest(pi, 'r1', 1000)))
    expect(error).toMatchObject({ reason: 'timeout', outcomeUnknown: true })
    expect((await stripe.refund(refundRequest(pi, 'r1', 1000))).status).toBe('succeeded')
    expect(fake.refundsCreated(pi)).toBe(1)
  })

  it('a 429 is transient, with its Retry-After, and nothing was done', async () => {
    const stripe = stripeFor(fake)
    const pi = await paidIntent(stripe, 'c1')
    fake.failNext({ path: '/v1/refunds', method: 'POST', kind: '429', retryAfterSeconds: 2 })
    const error = await rejection(stripe.refund(refundRequest(pi, 'r1', 1000)))
    expect(error).toBeInstanceOf(TransientProcessorError)
    expect(error).toMatchObject({ reason: 'rate_limited', retryAfterMs: 2000, outcomeUnknown: false, statusCode: 429 })
    expect(fake.refundsCreated(pi)).toBe(0)
  })

  describe('after Stripe forgot the key (24 h)', () => {
    it('the naive retry would refund twice (what the fake models)', async () => {
      const stripe = stripeFor(fake)
      const pi = await paidIntent(stripe, 'c1')
      const sdk = fake.client()
      await sdk.refunds.create({ payment_intent: pi, amount: 1000, metadata: { refundId: 'r1' } }, { idempotencyKey: 'refund-r1' })
      fake.expireIdempotencyKeys()
      await sdk.refunds.create({ payment_intent: pi, amount: 1000, metadata: { refundId: 'r1' } }, { idempotencyKey: 'refund-r1' })
      expect(fake.refundsCreated(pi)).toBe(2)
    })

    it('the adapter finds the refund first and makes no second one', async () => {
      const clock = manualClock()
      const stripe = stripeFor(fake, { now: clock.now })
      const pi = await paidIntent(stripe, 'c1')
      // The first try got through but its answer was lost; nobody retried for a day.
      fake.failNext({ path: '/v1/refunds', method: 'POST', kind: 'drop-after-commit', times: 2 })
      await expect(stripe.refund(refundRequest(pi, 'r1', 1000, T0))).rejects.toBeInstanceOf(TransientProcessorError)
      const postsBefore = refundPosts(fake)
      fake.expireIdempotencyKeys()
      clock.advance(25 * HOUR)

      const result = await stripe.refund(refundRequest(pi, 'r1', 1000, T0))
      expect(result).toMatchObject({ status: 'succeeded', amountCents: 1000 })
      expect(refundPosts(fake)).toBe(postsBefore) // looked up, not created
      expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/refunds' })
      expect(fake.refundsCreated(pi)).toBe(1)
    })

    it('creates it when the lookup finds none', async () => {
      const clock = manualClock()
      const stripe = stripeFor(fake, { now: clock.now })
      const pi = await paidIntent(stripe, 'c1')
      fake.failNext({ path: '/v1/refunds', method: 'POST', kind: 'drop-before-commit', times: 2 })
      await expect(stripe.refund(refundRequest(pi, 'r1', 1000, T0))).rejects.toBeInstanceOf(TransientProcessorError)
      fake.expireIdempotencyKeys()
      clock.advance(30 * HOUR)
      expect((await stripe.refund(refundRequest(pi, 'r1', 1000, T0))).status).toBe('succeeded')
      expect(fake.refundsCreated(pi)).toBe(1)
    })

    it('looks up from 23 h on, not before', async () => {
      const clock = manualClock()
      const stripe = stripeFor(fake, { now: clock.now })
      const pi = await paidIntent(stripe, 'c1')
      clock.advance(22 * HOUR)
      await stripe.refund(refundRequest(pi, 'r1', 100, T0))
      expect(fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/refunds')).toHaveLength(0)
      clock.advance(1 * HOUR)
      await stripe.refund(refundRequest(pi, 'r1', 100, T0))
      expect(fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/refunds')).toHaveLength(1)
      expect(fake.refundsCreated(pi)).toBe(1)
    })

    it('finds a refund among more than one page of refunds', async () => {
      const stripe = stripeFor(fake)
      const pi = await paidIntent(stripe, 'c1', 500)
      const first = await stripe.refund(refundRequest(pi, 'r-first', 1))
      for (let i = 0; i < 104; i++) await stripe.refund(refundRequest(pi, `r${i}`, 1))
      expect(await stripe.findRefund('r-first', pi)).toEqual(first)
      expect(fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/refunds')).toHaveLength(2)
    })
  })

  describe('refunds that are not final yet', () => {
    it('4000 0000 0000 5126: looks successful, then fails on the next look (as Stripe says)', async () => {
      const stripe = stripeFor(fake)
      const pi = await paidIntent(stripe, 'c1', 2500, '4000 0000 0000 5126')
      const first = await stripe.refund(refundRequest(pi, 'r1', 2500))
      expect(first.status).toBe('succeeded')
      const later = await stripe.refundStatus(first.processorRef)
      expect(later).toEqual({ status: 'failed', processorRef: first.processorRef, amountCents: 2500, failureCode: 'expired_or_canceled_card' })
      expect(fake.remaining(pi)).toBe(2500) // the money came back to the school's balance
    })

    it('refundFailsLater: pending, then failed', async () => {
      const stripe = stripeFor(fake)
      const pi = await paidIntent(stripe, 'c1')
      fake.refundFailsLater(pi, { initialStatus: 'pending' })
      const first = await stripe.refund(refundRequest(pi, 'r1', 1000))
      expect(first.status).toBe('pending')
      expect(await stripe.refundStatus(first.processorRef)).toMatchObject({ status: 'failed', failureCode: 'expired_or_canceled_card' })
    })

    it('a pending refund is followed until it is final', async () => {
      const stripe = stripeFor(fake)
      const pi = await paidIntent(stripe, 'c1')
      fake.refundsStayPending(pi)
      const first = await stripe.refund(refundRequest(pi, 'r1', 1000))
      expect(first.status).toBe('pending')
      expect((await stripe.refundStatus(first.processorRef)).status).toBe('pending')
      fake.settleRefund(first.processorRef, 'succeeded')
      expect(await stripe.refundStatus(first.processorRef)).toEqual({ ...first, status: 'succeeded' } satisfies RefundResult)
    })
  })

  describe('refused', () => {
    it('more than what is left', async () => {
      const stripe = stripeFor(fake)
      const pi = await paidIntent(stripe, 'c1', 2500)
      await stripe.refund(refundRequest(pi, 'r1', 2000))
      await expect(stripe.refund(refundRequest(pi, 'r2', 501))).rejects.toMatchObject({ code: 'refund.exceedsRemaining', processorCode: 'amount_too_large' })
      await stripe.refund(refundRequest(pi, 'r3', 500))
      await expect(stripe.refund(refundRequest(pi, 'r4', 1))).rejects.toMatchObject({ code: 'refund.exceedsRemaining', processorCode: 'charge_already_refunded' })
      expect(fake.refundsCreated(pi)).toBe(2)
    })

    it('a zero or negative amount, without asking Stripe', async () => {
      const stripe = stripeFor(fake)
      const pi = await paidIntent(stripe, 'c1')
      const before = fake.requests.length
      for (const amount of [0, -100, 10.5]) {
        await expect(stripe.refund(refundRequest(pi, 'r1', amount))).rejects.toMatchObject({ code: 'refund.amountNotPositive' })
      }
      expect(fake.requests.length).toBe(before)
    })

    it('a voided payment', async () => {
      const sdk = fake.client()
      const pi = await sdk.paymentIntents.create({ amount: 2500, currency: 'cad', allowed_payment_method_types: ['card_present'] })
      await sdk.paymentIntents.cancel(pi.id)
      await expect(stripeFor(fake).refund(refundRequest(pi.id, 'r1', 1000))).rejects.toMatchObject({ code: 'refund.paymentVoided' })
      expect(fake.refundsCreated()).toBe(0)
    })

    it('an unknown payment', async () => {
      await expect(stripeFor(fake).refund(refundRequest('pi_nope', 'r1', 100))).rejects.toMatchObject({ code: 'processor.notFound', statusCode: 404 })
      await expect(stripeFor(fake).refundStatus('re_nope')).rejects.toMatchObject({ code: 'processor.notFound' })
    })

    it('the same key with another amount (a bug, never a new refund)', async () => {
      const stripe = stripeFor(fake)
      const pi = await paidIntent(stripe, 'c1')
      await stripe.refund(refundRequest(pi, 'r1', 1000))
      await expect(stripe.refund(refundRequest(pi, 'r1', 900))).rejects.toMatchObject({ code: 'processor.idempotencyMismatch' })
      expect(fake.refundsCreated(pi)).toBe(1)
    })

    it('a refund without a refundId', async () => {
      const stripe = stripeFor(fake)
      await expect(stripe.refund({ ...refundRequest('pi_x', 'r1', 100), metadata: { refundId: '' } })).rejects.toMatchObject({ code: 'processor.invalidRequest' })
    })
  })
})
