import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import Stripe from 'stripe'
import { parseForm, startFakeStripe, type FakeStripe } from '../../support/fake-stripe'

describe('the form parser', () => {
  it('reads Stripe bodies with brackets, plain or encoded', () => {
    expect(parseForm('amount=500&metadata[refundId]=r1&metadata[note]=a%20b+c&expand[0]=latest_charge&expand[1]=x')).toEqual({
      amount: '500',
      metadata: { refundId: 'r1', note: 'a b c' },
      expand: ['latest_charge', 'x'],
    })
    expect(parseForm('card_present%5Bnumber%5D=4242&a[]=1&a[]=2&n[a][b]=deep')).toEqual({ card_present: { number: '4242' }, a: ['1', '2'], n: { a: { b: 'deep' } } })
    expect(parseForm('')).toEqual({})
    expect(parseForm('metadata=')).toEqual({ metadata: '' })
  })
})

describe('the fake Stripe server', () => {
  let fake: FakeStripe
  let sdk: Stripe
  beforeAll(async () => {
    fake = await startFakeStripe()
    sdk = fake.client()
  })
  afterAll(async () => {
    await fake.stop()
  })
  beforeEach(() => fake.reset())

  const pay = () => sdk.paymentIntents.create({ amount: 1000, currency: 'cad', payment_method: 'pm_card_visa', confirm: true })

  it('checks the bearer key', async () => {
    const wrong = new Stripe('sk_test_other', { host: fake.host, port: fake.port, protocol: 'http', maxNetworkRetries: 0 })
    await expect(wrong.paymentIntents.retrieve('pi_x')).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError)
  })

  it('replays an idempotency key, and refuses it with other parameters or on another endpoint', async () => {
    const pi = await pay()
    const a = await sdk.refunds.create({ payment_intent: pi.id, amount: 100 }, { idempotencyKey: 'k' })
    const b = await sdk.refunds.create({ payment_intent: pi.id, amount: 100 }, { idempotencyKey: 'k' })
    expect(b.id).toBe(a.id)
    expect(b.lastResponse.headers['idempotent-replayed']).toBe('true')
    expect(a.lastResponse.headers['idempotent-replayed']).toBeUndefined()
    await expect(sdk.refunds.create({ payment_intent: pi.id, amount: 200 }, { idempotencyKey: 'k' })).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError)
    await expect(sdk.paymentIntents.create({ amount: 100, currency: 'cad' }, { idempotencyKey: 'k' })).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError)
    expect(fake.refundsCreated(pi.id)).toBe(1)
  })

  it('returns a declined card as a 402 with the PaymentIntent, and saves it under the key', async () => {
    const error = await sdk.paymentIntents
      .create({ amount: 1000, currency: 'cad', payment_method: 'pm_card_chargeDeclinedInsufficientFunds', confirm: true }, { idempotencyKey: 'd' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError)
    expect(error).toMatchObject({ code: 'card_declined', decline_code: 'insufficient_funds', statusCode: 402 })
    const again = await sdk.paymentIntents
      .create({ amount: 1000, currency: 'cad', payment_method: 'pm_card_chargeDeclinedInsufficientFunds', confirm: true }, { idempotencyKey: 'd' })
      .catch((e: unknown) => e)
    expect((again as Stripe.errors.StripeCardError).headers?.['idempotent-replayed']).toBe('true')
    expect(fake.paymentIntentsCreated()).toBe(1)
  })

  it('expands latest_charge with the card', async () => {
    const pi = await sdk.paymentIntents.create({ amount: 1000, currency: 'cad', payment_method: 'pm_card_mastercard_prepaid', confirm: true, expand: ['latest_charge'] })
    const charge = pi.latest_charge as Stripe.Charge
    expect(charge.payment_method_details?.card).toMatchObject({ brand: 'mastercard', funding: 'prepaid', last4: '5100' })
    const plain = await sdk.paymentIntents.retrieve(pi.id)
    expect(plain.latest_charge).toBe(charge.id)
  })

  it('never refunds above the charge', async () => {
    const pi = await pay()
    await sdk.refunds.create({ payment_intent: pi.id, amount: 600 })
    await expect(sdk.refunds.create({ payment_intent: pi.id, amount: 401 })).rejects.toMatchObject({ code: 'amount_too_large', statusCode: 400 })
    await sdk.refunds.create({ payment_intent: pi.id }) // the rest
    await expect(sdk.refunds.create({ payment_intent: pi.id, amount: 1 })).rejects.toMatchObject({ code: 'charge_already_refunded' })
    expect(fake.remaining(pi.id)).toBe(0)
  })

  it('lists refunds newest first, by page', async () => {
    const pi = await pay()
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await sdk.refunds.create({ payment_intent: pi.id, amount: 10, metadata: { refundId: `r${i}` } })).id)
    const first = await sdk.refunds.list({ payment_intent: pi.id, limit: 2 })
    expect(first.data.map((r) => r.id)).toEqual([ids[4], ids[3]])
    expect(first.has_more).toBe(true)
    const all = await sdk.refunds.list({ payment_intent: pi.id, limit: 2 }).autoPagingToArray({ limit: 10 })
    expect(all.map((r) => r.id)).toEqual([...ids].reverse())
  })

  it('fails on demand, once per fault, on the matching request only', async () => {
    fake.failNext({ path: '/v1/payment_intents', method: 'POST', kind: '500' })
    await expect(pay()).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError)
    expect(fake.pendingFaults()).toBe(0)
    expect((await pay()).status).toBe('succeeded')

    fake.failNext({ path: /^\/v1\/refunds/, kind: '429', retryAfterSeconds: 3 })
    await expect(sdk.refunds.list()).rejects.toMatchObject({ statusCode: 429, headers: expect.objectContaining({ 'retry-after': '3' }) })
  })

  it('refuses a card_present PaymentIntent on an offline reader', async () => {
    const reader = fake.addReader({ status: 'offline' })
    const pi = await sdk.paymentIntents.create({ amount: 1000, currency: 'cad', allowed_payment_method_types: ['card_present'] })
    await expect(sdk.terminal.readers.processPaymentIntent(reader, { payment_intent: pi.id })).rejects.toMatchObject({ code: 'terminal_reader_offline' })
  })
})
