import Stripe from 'stripe'
import { findTestCard } from './test-cards'
import {
  DECLINE_CODES,
  isWholePositiveCents,
  mustLookUpFirst,
  ProcessorError,
  ProcessorRefusal,
  TransientProcessorError,
  type CardBrand,
  type CardProcessor,
  type ChargeRequest,
  type ChargeResult,
  type DeclineCode,
  type Payout,
  type PayoutItem,
  type PayoutItemKind,
  type PayoutRange,
  type PayoutStatus,
  type RefundRequest,
  type RefundResult,
} from './types'

/**
 * The Stripe processor, through the stripe SDK.
 *
 * - Test cards (test mode only): a PaymentIntent created and confirmed in one call with Stripe's
 *   test PaymentMethod for the card (see test-cards.ts), under the caller's idempotency key.
 * - Terminal (the kiosk), server-driven: a `card_present` PaymentIntent under the caller's key,
 *   `process_payment_intent` on the reader, then the reader's action is polled (bounded) until it
 *   succeeds or fails; a PaymentIntent left uncaptured is captured. When the polls run out the
 *   reader's action is cancelled and the PaymentIntent has the last word. Interac (`interac_present`)
 *   is not offered: the board takes Visa, Mastercard, Visa Debit and prepaid cards only, and an
 *   Interac refund would need the card at the reader.
 * - Refunds: `refunds.create` under the caller's idempotency key with `metadata.refundId`; once
 *   the key may have been forgotten (`LOOKUP_FIRST_AFTER_MS`) the refund is looked up first by
 *   listing the PaymentIntent's refunds. After a 5xx (which Stripe may save and replay for that
 *   key) the refund is looked up too before the error goes back.
 *
 * - Payouts (the reconciliation): `payouts.list` by arrival date, then for each payout the balance
 *   transactions it paid out (`balanceTransactions.list` with `payout=` and `expand:
 *   ['data.source']`, so that a charge names its PaymentIntent and a refund its id), both
 *   auto-paginated. Only automatic payouts list their transactions; a manual one comes with none.
 *
 * The SDK retries connection errors and 5xx by itself (`maxNetworkRetries`) with our key. Nothing
 * here logs, and no error carries the API key, a card number or Stripe's raw answer.
 */
export interface StripeProcessorOptions {
  apiKey: string
  /** Only to point the SDK at another server (the tests' fake Stripe). */
  host?: string
  port?: number
  protocol?: 'http' | 'https'
  /** The SDK's own retries of connection errors, 409 and 5xx, with the same key. Default 2. */
  maxNetworkRetries?: number
  /** Per request. Default 30 s. */
  timeoutMs?: number
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  terminal?: {
    /** Between two looks at the reader. Default 1 s. */
    pollIntervalMs?: number
    /** Looks at the reader before giving up. Default 120 (two minutes at 1 s). */
    maxPolls?: number
  }
}

/** Stripe charges at least 0.50 $ in CAD. */
export const STRIPE_MINIMUM_CAD_CENTS = 50

type PaymentIntent = Stripe.PaymentIntent
type Charge = Stripe.Charge
type Refund = Stripe.Refund

export class StripeProcessor implements CardProcessor {
  readonly kind = 'stripe' as const
  readonly isDemo = false
  readonly livemode: boolean
  private readonly stripe: Stripe
  private readonly now: () => number
  private readonly sleep: (ms: number) => Promise<void>
  private readonly pollIntervalMs: number
  private readonly maxPolls: number

  constructor(options: StripeProcessorOptions) {
    this.livemode = /^(sk|rk)_live_/.test(options.apiKey)
    const config: Stripe.StripeConfig = {
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: options.timeoutMs ?? 30_000,
      telemetry: false,
      appInfo: { name: 'Guichet' },
    }
    if (options.host !== undefined) config.host = options.host
    if (options.port !== undefined) config.port = options.port
    if (options.protocol !== undefined) config.protocol = options.protocol
    this.stripe = new Stripe(options.apiKey, config)
    this.now = options.now ?? Date.now
    this.sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
    this.pollIntervalMs = options.terminal?.pollIntervalMs ?? 1_000
    this.maxPolls = options.terminal?.maxPolls ?? 120
  }

  /** Keeps the SDK (and the key it holds) out of logs and JSON. */
  toJSON(): object {
    return { kind: this.kind, livemode: this.livemode }
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    if (!isWholePositiveCents(request.amountCents)) {
      throw new ProcessorRefusal('charge.amountNotPositive', 'The amount must be whole cents above zero')
    }
    if (request.currency !== 'cad') throw new ProcessorRefusal('processor.invalidRequest', 'Only CAD is accepted')
    return request.method.kind === 'terminal'
      ? this.chargeOnReader(request, request.method.readerId)
      : this.chargeTestCard(request, request.method.card)
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    if (!isWholePositiveCents(request.amountCents)) {
      throw new ProcessorRefusal('refund.amountNotPositive', 'The amount must be whole cents above zero')
    }
    const refundId = request.metadata.refundId
    if (!refundId) throw new ProcessorRefusal('processor.invalidRequest', 'metadata.refundId is required')

    // Stripe may have forgotten the key: never create before looking.
    if (mustLookUpFirst(request.requestedAt, this.now())) {
      const found = await this.findRefund(refundId, request.paymentRef)
      if (found) return found
    }
    try {
      const refund = await this.stripe.refunds.create(
        { payment_intent: request.paymentRef, amount: request.amountCents, metadata: { ...request.metadata } },
        { idempotencyKey: request.idempotencyKey },
      )
      return refundResult(refund)
    } catch (e) {
      const error = toProcessorError(e)
      if (error instanceof TransientProcessorError && error.reason === 'server') {
        // A 5xx is saved under the key and replayed: if the refund exists anyway, say so now.
        const found = await this.findRefund(refundId, request.paymentRef).catch(() => null)
        if (found) return found
      }
      if (error instanceof ProcessorRefusal && error.processorCode === 'payment_intent_unexpected_state') {
        throw await this.explainUnrefundable(request.paymentRef, error)
      }
      throw error
    }
  }

  async refundStatus(processorRef: string): Promise<RefundResult> {
    return refundResult(await this.call(() => this.stripe.refunds.retrieve(processorRef)))
  }

  async findRefund(refundId: string, paymentRef: string): Promise<RefundResult | null> {
    let startingAfter: string | undefined
    for (;;) {
      const page = await this.call(() =>
        this.stripe.refunds.list({ payment_intent: paymentRef, limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) }),
      )
      const found = page.data.filter((r) => r.metadata?.refundId === refundId)
      if (found.length > 0) {
        // Never more than one, by construction; if there were, the live one is what counts.
        return refundResult(found.find((r) => r.status !== 'failed' && r.status !== 'canceled') ?? found[0]!)
      }
      const last = page.data.at(-1)
      if (!page.has_more || !last) return null
      startingAfter = last.id
    }
  }

  async payouts(range: PayoutRange): Promise<Payout[]> {
    const payouts: Stripe.Payout[] = []
    await this.call(async () => {
      for await (const payout of this.stripe.payouts.list({ arrival_date: { gte: unixOfDate(range.from), lt: unixOfDate(range.to) + DAY_SECONDS }, limit: 100 })) {
        payouts.push(payout)
      }
    })
    const out: Payout[] = []
    for (const payout of payouts) {
      const items: PayoutItem[] = []
      if (payout.automatic) {
        await this.call(async () => {
          for await (const txn of this.stripe.balanceTransactions.list({ payout: payout.id, limit: 100, expand: ['data.source'] })) {
            const item = payoutItem(txn)
            if (item) items.push(item)
          }
        })
      }
      out.push({ id: payout.id, arrivalDate: dateOfUnix(payout.arrival_date), amountCents: payout.amount, status: payoutStatus(payout.status), items })
    }
    return out.sort((a, b) => a.arrivalDate.localeCompare(b.arrivalDate) || a.id.localeCompare(b.id))
  }

  /** Test mode with a simulated reader: what the parent's tap does. */
  async simulatePresentCard(readerId: string, card = '4242424242424242'): Promise<void> {
    if (this.livemode) throw new ProcessorRefusal('processor.testCardInLiveMode', 'Simulated readers exist in test mode only')
    await this.call(() =>
      this.stripe.testHelpers.terminal.readers.presentPaymentMethod(readerId, { type: 'card_present', card_present: { number: card.replace(/[\s-]/g, '') } }),
    )
  }

  // -------------------------------------------------------------------------------------------

  private async chargeTestCard(request: ChargeRequest, number: string): Promise<ChargeResult> {
    if (this.livemode) throw new ProcessorRefusal('processor.testCardInLiveMode', 'Test cards are refused with a live key')
    const card = findTestCard(number)
    if (!card) throw new ProcessorRefusal('processor.unknownTestCard', 'Not a test card (see DEMO_CARDS)')
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          currency: request.currency,
          description: request.description,
          metadata: { ...request.metadata },
          payment_method: card.stripePaymentMethod,
          allowed_payment_method_types: ['card'],
          confirm: true,
          expand: ['latest_charge'],
        },
        { idempotencyKey: request.idempotencyKey },
      )
      return await this.outcome(intent, request.idempotencyKey)
    } catch (e) {
      const declined = declineFromError(e)
      if (declined) return declined
      throw toProcessorError(e)
    }
  }

  private async chargeOnReader(request: ChargeRequest, readerId: string): Promise<ChargeResult> {
    let intent: PaymentIntent = await this.call(() =>
      this.stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          currency: request.currency,
          description: request.description,
          metadata: { ...request.metadata },
          allowed_payment_method_types: ['card_present'],
          capture_method: 'automatic',
        },
        { idempotencyKey: request.idempotencyKey },
      ),
    )
    if (isReplay(intent as Stripe.Response<PaymentIntent>)) {
      // A retry of a charge that may have gone further: the saved answer is old, ask again.
      intent = await this.retrieveIntent(intent.id)
      if (intent.status !== 'requires_payment_method' || intent.last_payment_error) return this.outcome(intent, request.idempotencyKey)
    }

    try {
      await this.stripe.terminal.readers.processPaymentIntent(readerId, { payment_intent: intent.id })
    } catch (e) {
      const error = toProcessorError(e)
      // Already at work on this very PaymentIntent (a retry): keep following it.
      if (!(error.processorCode === 'terminal_reader_busy' && (await this.readerWorksOn(readerId, intent.id)))) throw error
    }

    for (let poll = 0; poll < this.maxPolls; poll++) {
      await this.sleep(this.pollIntervalMs)
      let reader: Stripe.Terminal.Reader | Stripe.Terminal.DeletedReader
      try {
        reader = await this.stripe.terminal.readers.retrieve(readerId)
      } catch (e) {
        const error = toProcessorError(e)
        if (error.transient) continue // a blip while the parent is tapping: look again
        throw error
      }
      const action = 'action' in reader ? reader.action : null
      if (!action || action.type !== 'process_payment_intent' || idOf(action.process_payment_intent?.payment_intent) !== intent.id) break
      if (action.status === 'in_progress') continue
      if (action.status === 'succeeded') return this.outcome(await this.retrieveIntent(intent.id), request.idempotencyKey)
      if (action.status === 'failed') {
        const current = await this.retrieveIntent(intent.id)
        if (current.status === 'succeeded' || current.status === 'requires_capture') return this.outcome(current, request.idempotencyKey)
        return declined(declineFromAction(action), intent.id)
      }
    }

    // Out of time, or the reader moved on: stop the reader, then the PaymentIntent decides.
    await this.stripe.terminal.readers.cancelAction(readerId).catch(() => undefined)
    const current = await this.retrieveIntent(intent.id)
    if (current.status !== 'requires_payment_method') return this.outcome(current, request.idempotencyKey)
    try {
      await this.stripe.paymentIntents.cancel(intent.id)
    } catch {
      const last = await this.retrieveIntent(intent.id)
      if (last.status === 'succeeded' || last.status === 'requires_capture') return this.outcome(last, request.idempotencyKey)
    }
    return declined('timed_out', intent.id)
  }

  /** What a PaymentIntent's status means for the caller; captures what was only authorized. */
  private async outcome(intent: PaymentIntent, idempotencyKey: string): Promise<ChargeResult> {
    switch (intent.status) {
      case 'succeeded':
        return this.succeeded(intent)
      case 'requires_capture': {
        const captured = await this.call(() =>
          this.stripe.paymentIntents.capture(intent.id, { expand: ['latest_charge'] }, { idempotencyKey: `${idempotencyKey}:capture` }),
        )
        return this.outcome(captured, idempotencyKey)
      }
      case 'requires_payment_method':
        return declined(intent.last_payment_error ? declineCode(intent.last_payment_error.code, intent.last_payment_error.decline_code) : 'card_declined', intent.id)
      case 'requires_action':
        return declined('authentication_required', intent.id)
      case 'canceled':
        return declined('canceled', intent.id)
      default:
        // processing, requires_confirmation: not final yet; the same key will tell later.
        throw new TransientProcessorError('server', `The payment is not final yet (${intent.status})`, { outcomeUnknown: true })
    }
  }

  private async succeeded(intent: PaymentIntent): Promise<ChargeResult> {
    let charge = intent.latest_charge
    if (typeof charge === 'string' || charge === null) {
      const fresh = await this.retrieveIntent(intent.id)
      charge = fresh.latest_charge
    }
    const card = typeof charge === 'object' && charge !== null ? cardOf(charge) : { brand: 'other' as const, last4: '0000' }
    return { status: 'succeeded', processorRef: intent.id, amountCents: intent.amount_received || intent.amount, cardBrand: card.brand, last4: card.last4 }
  }

  private retrieveIntent(id: string): Promise<PaymentIntent> {
    return this.call(() => this.stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] }))
  }

  private async readerWorksOn(readerId: string, intentId: string): Promise<boolean> {
    const reader = await this.call(() => this.stripe.terminal.readers.retrieve(readerId))
    const action = 'action' in reader ? reader.action : null
    return action?.status === 'in_progress' && idOf(action.process_payment_intent?.payment_intent) === intentId
  }

  /** Stripe said the payment cannot be refunded in its state: a cancelled one was voided. */
  private async explainUnrefundable(paymentRef: string, error: ProcessorRefusal): Promise<ProcessorError> {
    try {
      const intent = await this.stripe.paymentIntents.retrieve(paymentRef)
      if (intent.status === 'canceled') {
        return new ProcessorRefusal('refund.paymentVoided', 'The payment was voided: there is nothing to refund', {
          processorCode: error.processorCode,
          statusCode: error.statusCode,
          requestId: error.requestId,
        })
      }
    } catch {
      // keep the first error
    }
    return error
  }

  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op()
    } catch (e) {
      throw toProcessorError(e)
    }
  }
}

export function createStripeProcessor(options: StripeProcessorOptions): StripeProcessor {
  return new StripeProcessor(options)
}

// ---------------------------------------------------------------------------------------------
// Mapping Stripe's answers

function isReplay(resource: { lastResponse?: { headers?: Record<string, string> } }): boolean {
  return resource.lastResponse?.headers?.['idempotent-replayed'] === 'true'
}

function idOf(value: string | { id: string } | null | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.id
}

function declined(code: DeclineCode, processorRef?: string): ChargeResult {
  return { status: 'declined', code, messageCode: DECLINE_CODES[code], ...(processorRef ? { processorRef } : {}) }
}

export function refundResult(refund: Refund): RefundResult {
  const status = refund.status === 'succeeded' ? 'succeeded' : refund.status === 'failed' || refund.status === 'canceled' ? 'failed' : 'pending'
  const result: RefundResult = { status, processorRef: refund.id, amountCents: refund.amount }
  if (status === 'failed') result.failureCode = refund.failure_reason ?? (refund.status === 'canceled' ? 'canceled' : 'unknown')
  return result
}

const DAY_SECONDS = 86_400

function unixOfDate(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000
}

/** Stripe gives an arrival date as the instant of that day's midnight, UTC. */
function dateOfUnix(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10)
}

function payoutStatus(status: string): PayoutStatus {
  return status === 'paid' || status === 'pending' || status === 'in_transit' || status === 'canceled' || status === 'failed' ? status : 'pending'
}

const KIND_OF_TYPE: Record<string, PayoutItemKind> = {
  charge: 'charge',
  payment: 'charge',
  refund: 'refund',
  payment_refund: 'refund',
  refund_failure: 'refund_failure',
  payment_failure_refund: 'refund_failure',
  stripe_fee: 'fee',
  stripe_fx_fee: 'fee',
  tax_fee: 'fee',
  application_fee: 'fee',
  adjustment: 'adjustment',
  payment_reversal: 'adjustment',
}

/** A balance transaction of a payout as the reconciliation reads it; the payout's own line is left out. */
export function payoutItem(txn: Stripe.BalanceTransaction): PayoutItem | null {
  if (txn.type === 'payout' || txn.type === 'payout_cancel' || txn.type === 'payout_failure') return null
  const kind = KIND_OF_TYPE[txn.type] ?? 'other'
  const source = txn.source
  let paymentRef: string | null = null
  let refundRef: string | null = null
  if (source && typeof source === 'object') {
    const s = source as { object?: string; id: string; payment_intent?: string | { id: string } | null; charge?: string | { id: string } | null }
    if (s.object === 'refund') refundRef = s.id
    paymentRef = idOf(s.payment_intent) ?? (s.object === 'charge' ? s.id : (idOf(s.charge) ?? null))
  } else if (typeof source === 'string') {
    if (source.startsWith('re_') || source.startsWith('pyr_')) refundRef = source
    else if (source.startsWith('pi_')) paymentRef = source
  }
  return {
    balanceTransactionId: txn.id,
    kind,
    paymentRef,
    refundRef,
    grossCents: txn.amount,
    feeCents: txn.fee,
    netCents: txn.net,
    createdAt: new Date(txn.created * 1000).toISOString(),
  }
}

/** Brand and funding as Guichet keeps them; a receipt prints them. */
export function cardBrandOf(brand: string | null | undefined, funding: string | null | undefined): CardBrand {
  const b = (brand ?? '').toLowerCase().replace(/\s+/g, '')
  const family = b === 'visa' ? 'visa' : b === 'mastercard' ? 'mastercard' : null
  if (!family) return 'other'
  if (funding === 'debit') return `${family}_debit`
  if (funding === 'prepaid') return `${family}_prepaid`
  return family
}

function cardOf(charge: Charge): { brand: CardBrand; last4: string } {
  const details = charge.payment_method_details
  const card = details?.card ?? details?.card_present ?? null
  const last4 = card?.last4 && /^\d{4}$/.test(card.last4) ? card.last4 : '0000'
  return { brand: cardBrandOf(card?.brand, card?.funding), last4 }
}

/** Stripe's error code and decline code, to ours. */
export function declineCode(code: string | null | undefined, decline: string | null | undefined): DeclineCode {
  const codes = [decline, code]
  if (codes.includes('insufficient_funds')) return 'insufficient_funds'
  if (codes.includes('expired_card')) return 'expired_card'
  if (codes.includes('incorrect_cvc') || codes.includes('invalid_cvc')) return 'incorrect_cvc'
  if (codes.includes('processing_error')) return 'processing_error'
  if (codes.includes('lost_card') || codes.includes('stolen_card')) return 'lost_or_stolen'
  if (codes.includes('authentication_required')) return 'authentication_required'
  return 'card_declined'
}

function declineFromError(e: unknown): ChargeResult | null {
  if (!(e instanceof Stripe.errors.StripeCardError)) return null
  const raw = e.raw as { payment_intent?: { id?: string } } | undefined
  return declined(declineCode(e.code, e.decline_code), raw?.payment_intent?.id)
}

function declineFromAction(action: Stripe.Terminal.Reader.Action): DeclineCode {
  if (action.api_error) return declineCode(action.api_error.code, action.api_error.decline_code)
  const failure = action.failure_code ?? ''
  if (/cancel/.test(failure)) return 'canceled'
  if (/time/.test(failure)) return 'timed_out'
  return declineCode(failure, null)
}

/** Seconds or an HTTP date, as Retry-After says it. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value
  if (!text) return undefined
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000)
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}

/**
 * Stripe's errors to ours: connection problems, timeouts, 409, 429 and 5xx are transient;
 * what Stripe refuses is final. Card errors are handled where a charge is made. Anything that is
 * not a Stripe error (a bug) is thrown again unchanged.
 */
export function toProcessorError(e: unknown): ProcessorError {
  if (e instanceof ProcessorError) return e
  const errors = Stripe.errors
  // Not Stripe's: a bug of ours, or the platform. It goes back as it is.
  if (!(e instanceof errors.StripeError)) throw e
  const details = { processorCode: e.code, statusCode: e.statusCode, requestId: e.requestId }
  const retryAfterMs = parseRetryAfter(e.headers?.['retry-after'])
  const retry = retryAfterMs === undefined ? {} : { retryAfterMs }

  if (e instanceof errors.StripeConnectionError) {
    const timeout = /timeout/i.test(e.message) || (e.detail as { code?: string } | undefined)?.code === 'ETIMEDOUT'
    return new TransientProcessorError(timeout ? 'timeout' : 'network', timeout ? 'Stripe did not answer in time' : 'No connection to Stripe', {
      ...details,
      outcomeUnknown: true,
    })
  }
  if (e instanceof errors.StripeRateLimitError) {
    return new TransientProcessorError('rate_limited', 'Stripe asks to slow down', { ...details, ...retry, outcomeUnknown: false })
  }
  if (e instanceof errors.StripeIdempotencyError) {
    return new ProcessorRefusal('processor.idempotencyMismatch', 'This idempotency key was used with other parameters', details)
  }
  if (e instanceof errors.StripeAuthenticationError || e instanceof errors.StripePermissionError) {
    return new ProcessorRefusal('processor.notAuthorized', 'Stripe refused the API key', details)
  }
  if (e.code === 'terminal_reader_offline') return new ProcessorRefusal('terminal.readerOffline', 'The card reader is offline', details)
  if (e.code === 'terminal_reader_busy') return new ProcessorRefusal('terminal.readerBusy', 'The card reader is busy', details)
  if (e.statusCode === 409 || e.code === 'idempotency_key_in_use' || e.code === 'lock_timeout') {
    return new TransientProcessorError('conflict', 'Stripe is still working on this request', { ...details, ...retry, outcomeUnknown: true })
  }
  if (e instanceof errors.StripeAPIError || (e.statusCode ?? 0) >= 500) {
    return new TransientProcessorError('server', 'Stripe had an internal error', { ...details, ...retry, outcomeUnknown: true })
  }
  if (e.code === 'amount_too_small') {
    return new ProcessorRefusal('charge.amountTooSmall', 'Below the smallest amount Stripe charges', { ...details, values: { minimumCents: STRIPE_MINIMUM_CAD_CENTS } })
  }
  if (e.code === 'amount_too_large' || e.code === 'charge_already_refunded') {
    return new ProcessorRefusal('refund.exceedsRemaining', 'More than what is left on the payment', details)
  }
  if (e.code === 'resource_missing' || e.statusCode === 404) return new ProcessorRefusal('processor.notFound', 'Stripe has no such object', details)
  return new ProcessorRefusal('processor.invalidRequest', 'Stripe refused the request', details)
}
