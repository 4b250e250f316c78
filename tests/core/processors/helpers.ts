import { createStripeProcessor, type ChargeRequest, type RefundRequest, type StripeProcessor, type StripeProcessorOptions } from '../../../src/core/adapters/processors'
import type { FakeStripe } from '../../support/fake-stripe'

export const T0 = Date.parse('2026-11-20T15:00:00.000Z')
export const HOUR = 60 * 60 * 1000

/** A clock the test moves by hand. */
export function manualClock(start = T0): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let t = start
  return { now: () => t, advance: (ms) => void (t += ms), set: (ms) => void (t = ms) }
}

export function stripeFor(fake: FakeStripe, options: Partial<StripeProcessorOptions> = {}): StripeProcessor {
  return createStripeProcessor({
    ...fake.connection(),
    maxNetworkRetries: 0,
    timeoutMs: 2_000,
    now: () => T0,
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 10))),
    terminal: { pollIntervalMs: 10, maxPolls: 300 },
    ...options,
  })
}

export function chargeRequest(card: string, key: string, amountCents = 2500): ChargeRequest {
  return {
    amountCents,
    currency: 'cad',
    idempotencyKey: key,
    description: 'Guichet — paiement au kiosque',
    metadata: { paymentId: `pay-${key}`, schoolId: 'school-1' },
    method: { kind: 'test_card', card },
  }
}

export function refundRequest(paymentRef: string, refundId: string, amountCents: number, requestedAt: number = T0): RefundRequest {
  return {
    paymentRef,
    amountCents,
    idempotencyKey: `refund-${refundId}`,
    metadata: { refundId, paymentId: 'pay-1' },
    requestedAt: new Date(requestedAt).toISOString(),
  }
}

/** A payment taken through the adapter, with a card that the test does not care about. */
export async function paidIntent(processor: StripeProcessor, key: string, amountCents = 2500, card = '4242424242424242'): Promise<string> {
  const result = await processor.charge(chargeRequest(card, key, amountCents))
  if (result.status !== 'succeeded') throw new Error(`expected an approved charge, got ${JSON.stringify(result)}`)
  return result.processorRef
}

/** POST /v1/refunds seen by the fake (replays included). */
export function refundPosts(fake: FakeStripe): number {
  return fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds').length
}
