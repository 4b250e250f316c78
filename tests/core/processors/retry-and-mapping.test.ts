import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import {
  cardBrandOf,
  declineCode,
  mustLookUpFirst,
  parseRetryAfter,
  ProcessorRefusal,
  REFUSAL_CODES,
  refundResult,
  retryDelayMs,
  toProcessorError,
  TransientProcessorError,
  withRetries,
} from '../../../src/core/adapters/processors'

const transient = (retryAfterMs?: number) => new TransientProcessorError('server', 'x', retryAfterMs === undefined ? {} : { retryAfterMs })

describe('withRetries', () => {
  it('retries transient errors with the same operation, then answers', async () => {
    const waits: number[] = []
    let calls = 0
    const result = await withRetries(
      async () => {
        calls += 1
        if (calls < 3) throw transient()
        return 'done'
      },
      { sleep: async (ms) => void waits.push(ms), random: () => 1, policy: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 } },
    )
    expect(result).toBe('done')
    expect(calls).toBe(3)
    expect(waits).toEqual([100, 200])
  })

  it('gives a refusal back at once', async () => {
    let calls = 0
    const refusal = new ProcessorRefusal('refund.exceedsRemaining', 'no')
    await expect(
      withRetries(async () => {
        calls += 1
        throw refusal
      }),
    ).rejects.toBe(refusal)
    expect(calls).toBe(1)
  })

  it('gives the last transient error back when the attempts run out', async () => {
    let calls = 0
    await expect(
      withRetries(
        async () => {
          calls += 1
          throw transient()
        },
        { sleep: async () => undefined, policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } },
      ),
    ).rejects.toBeInstanceOf(TransientProcessorError)
    expect(calls).toBe(3)
  })

  it('backs off exponentially with jitter, capped, never before Retry-After', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 8000 }
    expect(retryDelayMs(transient(), 1, policy, () => 0)).toBe(500)
    expect(retryDelayMs(transient(), 1, policy, () => 1)).toBe(1000)
    expect(retryDelayMs(transient(), 3, policy, () => 1)).toBe(4000)
    expect(retryDelayMs(transient(), 9, policy, () => 1)).toBe(8000)
    expect(retryDelayMs(transient(30_000), 1, policy, () => 1)).toBe(30_000)
  })
})

describe('the 24-hour rule', () => {
  const at = Date.parse('2026-11-20T15:00:00.000Z')
  it('looks up first once the key may be forgotten', () => {
    expect(mustLookUpFirst('2026-11-20T15:00:00.000Z', at + 22 * 3600_000)).toBe(false)
    expect(mustLookUpFirst('2026-11-20T15:00:00.000Z', at + 23 * 3600_000)).toBe(true)
    expect(mustLookUpFirst(new Date(at), at + 48 * 3600_000)).toBe(true)
    expect(() => mustLookUpFirst('not a date', at)).toThrow(RangeError)
  })
})

describe('mapping Stripe', () => {
  it.each([
    ['visa', 'credit', 'visa'],
    ['visa', 'debit', 'visa_debit'],
    ['visa', 'prepaid', 'visa_prepaid'],
    ['mastercard', 'credit', 'mastercard'],
    ['MasterCard', 'debit', 'mastercard_debit'],
    ['mastercard', 'prepaid', 'mastercard_prepaid'],
    ['amex', 'credit', 'other'],
    [null, null, 'other'],
  ])('brand %s / %s → %s', (brand, funding, expected) => {
    expect(cardBrandOf(brand, funding)).toBe(expected)
  })

  it.each([
    ['card_declined', 'generic_decline', 'card_declined'],
    ['card_declined', 'insufficient_funds', 'insufficient_funds'],
    ['expired_card', 'expired_card', 'expired_card'],
    ['incorrect_cvc', null, 'incorrect_cvc'],
    ['processing_error', null, 'processing_error'],
    ['card_declined', 'lost_card', 'lost_or_stolen'],
    ['card_declined', 'stolen_card', 'lost_or_stolen'],
    ['authentication_required', null, 'authentication_required'],
    [null, null, 'card_declined'],
  ])('decline %s / %s → %s', (code, decline, expected) => {
    expect(declineCode(code, decline)).toBe(expected)
  })

  it('reads Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('2')).toBe(2000)
    expect(parseRetryAfter('0.5')).toBe(500)
    expect(parseRetryAfter(['3'])).toBe(3000)
    expect(parseRetryAfter('Fri, 20 Nov 2026 15:00:10 GMT', Date.parse('2026-11-20T15:00:00Z'))).toBe(10_000)
    expect(parseRetryAfter(undefined)).toBeUndefined()
    expect(parseRetryAfter('soon')).toBeUndefined()
  })

  it('maps refund statuses', () => {
    const base = { id: 're_1', amount: 500 } as Stripe.Refund
    expect(refundResult({ ...base, status: 'succeeded' })).toEqual({ status: 'succeeded', processorRef: 're_1', amountCents: 500 })
    expect(refundResult({ ...base, status: 'pending' })).toMatchObject({ status: 'pending' })
    expect(refundResult({ ...base, status: 'requires_action' })).toMatchObject({ status: 'pending' })
    expect(refundResult({ ...base, status: 'failed', failure_reason: 'lost_or_stolen_card' })).toMatchObject({ status: 'failed', failureCode: 'lost_or_stolen_card' })
    expect(refundResult({ ...base, status: 'canceled' })).toMatchObject({ status: 'failed', failureCode: 'canceled' })
  })

  it('maps Stripe errors to transient or final', () => {
    const E = Stripe.errors
    expect(toProcessorError(new E.StripeConnectionError({ message: 'Request aborted due to timeout being reached (300ms)' }))).toMatchObject({ reason: 'timeout', outcomeUnknown: true })
    expect(toProcessorError(new E.StripeConnectionError({ message: 'An error occurred with our connection to Stripe.' }))).toMatchObject({ reason: 'network' })
    expect(toProcessorError(new E.StripeRateLimitError({ message: 'slow', statusCode: 429, headers: { 'retry-after': '4' } }))).toMatchObject({ reason: 'rate_limited', retryAfterMs: 4000, outcomeUnknown: false })
    expect(toProcessorError(new E.StripeAPIError({ message: 'boom', statusCode: 503 }))).toMatchObject({ reason: 'server' })
    expect(toProcessorError(new E.StripeAPIError({ message: 'busy', statusCode: 409, code: 'idempotency_key_in_use' }))).toMatchObject({ reason: 'conflict' })
    expect(toProcessorError(new E.StripeInvalidRequestError({ message: 'x', statusCode: 400, code: 'amount_too_large' }))).toMatchObject({ code: 'refund.exceedsRemaining' })
    expect(toProcessorError(new E.StripeInvalidRequestError({ message: 'x', statusCode: 404, code: 'resource_missing' }))).toMatchObject({ code: 'processor.notFound' })
    expect(toProcessorError(new E.StripeInvalidRequestError({ message: 'x', statusCode: 400, code: 'terminal_reader_busy' }))).toMatchObject({ code: 'terminal.readerBusy' })
    expect(toProcessorError(new E.StripeIdempotencyError({ message: 'x', statusCode: 400 }))).toMatchObject({ code: 'processor.idempotencyMismatch' })
    expect(toProcessorError(new E.StripePermissionError({ message: 'x', statusCode: 403 }))).toMatchObject({ code: 'processor.notAuthorized' })
    expect(toProcessorError(new E.StripeInvalidRequestError({ message: 'x', statusCode: 400, code: 'parameter_unknown' }))).toMatchObject({ code: 'processor.invalidRequest', processorCode: 'parameter_unknown' })
    const bug = new TypeError('not Stripe')
    expect(() => toProcessorError(bug)).toThrow(bug)
  })

  it('declares every refusal code it gives', () => {
    for (const code of ['refund.exceedsRemaining', 'refund.paymentVoided', 'processor.notFound', 'terminal.readerOffline', 'charge.amountTooSmall']) {
      expect(REFUSAL_CODES).toContain(code)
    }
  })
})
