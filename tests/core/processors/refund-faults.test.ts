import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TransientProcessorError, withRetries, type RefundResult } from '../../../src/core/adapters/processors'
import { startFakeStripe, type FakeStripe, type FaultKind } from '../../support/fake-stripe'
import { HOUR, manualClock, paidIntent, refundRequest, stripeFor, T0 } from './helpers'

/**
 * Random sequences of failures around one refund and its retries, through the real SDK: whatever
 * happens (time-outs before or after Stripe did it, 500s, 500s saved under the key, 429s,
 * connections dropped before or after, Stripe forgetting the key after a day), Stripe ends with
 * exactly one refund for the refundId, and the adapter's answer is that refund.
 */
let fake: FakeStripe
beforeAll(async () => {
  fake = await startFakeStripe()
})
afterAll(async () => {
  await fake.stop()
})

type Injected = { kind: FaultKind | 'timeout-after-commit'; method: 'POST' | 'GET' }

const fault: fc.Arbitrary<Injected> = fc.record({
  kind: fc.constantFrom<Injected['kind']>('timeout', 'timeout-after-commit', '500', '500-after-commit', '429', 'drop-before-commit', 'drop-after-commit'),
  method: fc.constantFrom<'POST' | 'GET'>('POST', 'POST', 'GET'),
})

const attempt = fc.record({
  faults: fc.array(fault, { maxLength: 2 }),
  /** Time before this attempt: at once, a little later, or the next day. */
  hoursLater: fc.constantFrom(0, 0, 2, 25),
  /** Once a day has gone by, Stripe may or may not have pruned the key yet. */
  expireKeys: fc.boolean(),
})

function inject(f: Injected): void {
  if (f.kind === 'timeout-after-commit') fake.failNext({ path: '/v1/refunds', method: f.method, kind: 'timeout', commit: true })
  else fake.failNext({ path: '/v1/refunds', method: f.method, kind: f.kind, retryAfterSeconds: 0 })
}

describe('a refund through random failures', () => {
  it('is made once, and the answer matches Stripe', { timeout: 240_000 }, async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(attempt, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 2500 }), async (attempts, amountCents) => {
        run += 1
        fake.reset()
        const clock = manualClock()
        const stripe = stripeFor(fake, { now: clock.now, timeoutMs: 250 })
        const pi = await paidIntent(stripe, `charge-${run}`, 2500)
        const refundId = `refund-${run}`
        const request = refundRequest(pi, refundId, amountCents, T0)

        let result: RefundResult | undefined
        for (const a of attempts) {
          clock.advance(a.hoursLater * HOUR)
          if (a.expireKeys && clock.now() - T0 >= 24 * HOUR) fake.expireIdempotencyKeys()
          a.faults.forEach(inject)
          try {
            result = await stripe.refund(request)
          } catch (e) {
            // Only ever "try again later": never a refusal, never a crash.
            expect(e).toBeInstanceOf(TransientProcessorError)
          }
          fake.clearFaults()
          expect(fake.refundsFor(refundId).length).toBeLessThanOrEqual(1)
          if (result) break
        }

        // Then the network comes back: the caller's retries get an answer.
        if (!result) result = await withRetries(() => stripe.refund(request), { policy: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 5 } })

        const made = fake.refundsFor(refundId)
        expect(made).toHaveLength(1)
        expect(result.processorRef).toBe(made[0]!.id)
        expect(result.amountCents).toBe(amountCents)
        expect(made[0]!.amount).toBe(amountCents)
        expect(result.status).toBe(made[0]!.status)
        expect(fake.remaining(pi)).toBe(2500 - amountCents)
        // and asking again, even a day later, changes nothing
        clock.advance(25 * HOUR)
        fake.expireIdempotencyKeys()
        expect(await stripe.refund(request)).toMatchObject({ processorRef: made[0]!.id })
        expect(fake.refundsFor(refundId)).toHaveLength(1)
      }),
      { numRuns: 30, seed: 20261120 },
    )
  })
})
