import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ChargeRequest } from '../../../src/core/adapters/processors'
import { startFakeStripe, type FakeStripe } from '../../support/fake-stripe'
import { stripeFor } from './helpers'

let fake: FakeStripe
let reader: string
beforeAll(async () => {
  fake = await startFakeStripe()
  reader = fake.addReader({ id: 'tmr_kiosk' })
})
afterAll(async () => {
  await fake.stop()
})
beforeEach(() => {
  fake.reset()
  fake.setReaderStatus(reader, 'online')
})

const atKiosk = (key: string, amountCents = 4200): ChargeRequest => ({
  amountCents,
  currency: 'cad',
  idempotencyKey: key,
  description: 'Kiosque',
  metadata: { paymentId: `pay-${key}` },
  method: { kind: 'terminal', readerId: reader },
})

/** The parent taps a card on the simulated reader, through the SDK's test helper. */
async function tap(card: string): Promise<void> {
  await fake.waitForReaderAction(reader)
  await fake.client().testHelpers.terminal.readers.presentPaymentMethod(reader, { type: 'card_present', card_present: { number: card } })
}

describe('Stripe Terminal, server-driven', () => {
  it('takes a payment: PaymentIntent, process on the reader, tap, succeeded', async () => {
    const stripe = stripeFor(fake)
    const [result] = await Promise.all([stripe.charge(atKiosk('k1')), tap('4000056655665556')])
    expect(result).toEqual({ status: 'succeeded', processorRef: expect.stringMatching(/^pi_/), amountCents: 4200, cardBrand: 'visa_debit', last4: '5556' })
    const pi = fake.paymentIntent((result as { processorRef: string }).processorRef)!
    expect(pi).toMatchObject({ status: 'succeeded', allowedTypes: ['card_present'], captureMethod: 'automatic' })
    expect(fake.requests.filter((r) => r.path === `/v1/terminal/readers/${reader}/process_payment_intent`)).toHaveLength(1)
    expect(fake.readerState(reader)?.action?.status).toBe('succeeded')
  })

  it('reports a card declined at the reader', async () => {
    const stripe = stripeFor(fake)
    const [result] = await Promise.all([stripe.charge(atKiosk('k1')), tap('4000000000009995')])
    expect(result).toMatchObject({ status: 'declined', code: 'insufficient_funds', messageCode: 'charge.insufficientFunds', processorRef: expect.stringMatching(/^pi_/) })
  })

  it('reports a parent who cancels on the reader', async () => {
    const stripe = stripeFor(fake)
    const cancel = async () => {
      await fake.waitForReaderAction(reader)
      fake.cancelOnReader(reader)
    }
    const [result] = await Promise.all([stripe.charge(atKiosk('k1')), cancel()])
    expect(result).toMatchObject({ status: 'declined', code: 'canceled' })
  })

  it('gives up after its polls: cancels the reader and the PaymentIntent', async () => {
    const stripe = stripeFor(fake, { terminal: { pollIntervalMs: 5, maxPolls: 4 } })
    const result = await stripe.charge(atKiosk('k1'))
    expect(result).toMatchObject({ status: 'declined', code: 'timed_out', messageCode: 'charge.timedOut' })
    expect(fake.paymentIntent((result as { processorRef: string }).processorRef)?.status).toBe('canceled')
    expect(fake.readerState(reader)?.action?.status).toBe('failed')
  })

  it('keeps following the payment through a blip while polling', async () => {
    const stripe = stripeFor(fake)
    fake.failNext({ path: `/v1/terminal/readers/${reader}`, method: 'GET', kind: '500', times: 2 })
    fake.failNext({ path: `/v1/terminal/readers/${reader}`, method: 'GET', kind: 'drop-before-commit' })
    const [result] = await Promise.all([stripe.charge(atKiosk('k1')), tap('5555555555554444')])
    expect(result).toMatchObject({ status: 'succeeded', cardBrand: 'mastercard', last4: '4444' })
  })

  it('answers a retried charge (same key) from the PaymentIntent, without a second payment', async () => {
    const stripe = stripeFor(fake)
    const [first] = await Promise.all([stripe.charge(atKiosk('k1')), tap('4242424242424242')])
    const again = await stripe.charge(atKiosk('k1'))
    expect(again).toEqual(first)
    expect(fake.paymentIntentsCreated()).toBe(1)
    expect(fake.requests.filter((r) => r.path.endsWith('/process_payment_intent'))).toHaveLength(1)
  })

  it('refunds a kiosk payment like any other', async () => {
    const stripe = stripeFor(fake)
    const [paid] = await Promise.all([stripe.charge(atKiosk('k1')), tap('4242424242424242')])
    const ref = (paid as { processorRef: string }).processorRef
    const refund = await stripe.refund({ paymentRef: ref, amountCents: 4200, idempotencyKey: 'rk', metadata: { refundId: 'r1' }, requestedAt: new Date() })
    expect(refund).toMatchObject({ status: 'succeeded', amountCents: 4200 })
  })

  it('refuses an offline reader, and a reader busy with another payment', async () => {
    const stripe = stripeFor(fake)
    fake.setReaderStatus(reader, 'offline')
    await expect(stripe.charge(atKiosk('k1'))).rejects.toMatchObject({ code: 'terminal.readerOffline' })
    fake.setReaderStatus(reader, 'online')

    const slow = stripeFor(fake, { terminal: { pollIntervalMs: 5, maxPolls: 200 } })
    const first = slow.charge(atKiosk('k2'))
    await fake.waitForReaderAction(reader)
    await expect(stripe.charge(atKiosk('k3'))).rejects.toMatchObject({ code: 'terminal.readerBusy' })
    await tap('4242424242424242')
    expect(await first).toMatchObject({ status: 'succeeded' })
  })

  it('can simulate the tap itself in test mode', async () => {
    const stripe = stripeFor(fake)
    const tapper = async () => {
      await fake.waitForReaderAction(reader)
      await stripe.simulatePresentCard(reader, '5105 1051 0510 5100')
    }
    const [result] = await Promise.all([stripe.charge(atKiosk('k1')), tapper()])
    expect(result).toMatchObject({ status: 'succeeded', cardBrand: 'mastercard_prepaid' })
    await expect(stripeFor(fake, { apiKey: 'sk_live_x' }).simulatePresentCard(reader)).rejects.toMatchObject({ code: 'processor.testCardInLiveMode' })
  })
})
