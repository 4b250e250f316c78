import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Stripe from 'stripe'
import { cardByNumber, cardByPaymentMethod, type FakeCard } from './cards'
import { listOf, parseForm, recordOf, stringOf, type FormObject, type FormValue } from './form'

/**
 * A small fake of Stripe's v1 HTTP API, for driving the real stripe SDK in tests. It keeps state
 * (PaymentIntents, charges, refunds, simulated readers, idempotency keys) and fails on demand.
 *
 * Endpoints: POST/GET /v1/payment_intents[/:id], POST /v1/payment_intents/:id/{capture,cancel},
 * POST /v1/refunds, GET /v1/refunds/:id, GET /v1/refunds?payment_intent=&limit=&starting_after=,
 * GET /v1/terminal/readers/:id, POST /v1/terminal/readers/:id/{process_payment_intent,cancel_action},
 * POST /v1/test_helpers/terminal/readers/:id/present_payment_method,
 * GET /v1/payouts[/:id]?arrival_date[gte|gt|lte|lt]=&status=&limit=&starting_after=,
 * GET /v1/balance_transactions[/:id]?payout=&type=&source=&limit=&starting_after=&expand[]=data.source.
 *
 * The balance (for payouts): every captured charge is a `charge` balance transaction (fee 2.9 % +
 * 30 ¢, `fakeStripeFee`), every refund a `refund` one (−amount, no fee) from the moment it is
 * made, and a refund once failed or canceled adds a `refund_failure` (+amount). They are made from
 * the charges and refunds as they stand when a payout is made or the balance is listed.
 * `createPayout` (a test hook: Stripe's automatic payout) pays out every balance transaction not
 * paid out yet, with its own `payout` line (−amount) listed under it, as Stripe does;
 * `addBalanceTransaction` adds a fee or an adjustment (a dispute) to the balance.
 *
 * As Stripe does: Bearer key check (401); the Idempotency-Key of a POST saves the answer once the
 * endpoint ran (200, or 402 for a declined card), and the same key with the same parameters gets
 * it again with `Idempotent-Replayed: true`; other parameters or another endpoint → 400
 * idempotency_error; refunds never go above what is left on the charge (400 amount_too_large /
 * charge_already_refunded); amounts under 50 ¢ are refused (amount_too_small).
 *
 * Faults (`failNext`), each used once (or `times`) by the next request that matches:
 * - 'timeout': no answer at all until the client gives up (with `commit: true`, done first);
 * - '500': an api_error before anything is done; '500-after-commit': done, then a 500 that is
 *   saved under the idempotency key and replayed (what Stripe does with a 500 mid-way);
 * - '429': rate_limit with Retry-After (`retryAfterSeconds`, default 1), nothing done;
 * - 'drop-before-commit' / 'drop-after-commit': the socket is destroyed without an answer,
 *   before or after the request was done (the SDK sees a connection error, Stripe did it).
 */
export type FaultKind = 'timeout' | '500' | '500-after-commit' | '429' | 'drop-before-commit' | 'drop-after-commit'

export interface Fault {
  /** The pathname exactly (no query), or a pattern. */
  path: string | RegExp
  method?: 'GET' | 'POST'
  kind: FaultKind
  times?: number
  retryAfterSeconds?: number
  /** For 'timeout': do the request before going silent. */
  commit?: boolean
}

export interface RequestLog {
  method: string
  path: string
  idempotencyKey: string | undefined
  status: number | 'no-answer'
  replayed: boolean
  fault: FaultKind | undefined
}

export interface FakeCharge {
  id: string
  amount: number
  paymentIntent: string
  card: FakeCard
  type: 'card' | 'card_present'
  created: number
}

export interface FakePaymentIntent {
  id: string
  amount: number
  currency: string
  status: string
  captureMethod: string
  description: string | null
  metadata: Record<string, string>
  paymentMethod: string | null
  allowedTypes: string[]
  latestCharge: string | null
  lastPaymentError: Record<string, unknown> | null
  created: number
}

export interface FakeRefund {
  id: string
  amount: number
  paymentIntent: string
  charge: string
  currency: string
  metadata: Record<string, string>
  status: 'pending' | 'succeeded' | 'failed' | 'canceled'
  failureReason: string | undefined
  created: number
  /** Applied when the refund is next read. */
  next: { status: 'succeeded' | 'failed'; failureReason?: string } | undefined
}

export interface FakeReader {
  id: string
  status: 'online' | 'offline'
  action: null | {
    type: 'process_payment_intent'
    status: 'in_progress' | 'succeeded' | 'failed'
    paymentIntent: string
    failureCode: string | null
    failureMessage: string | null
    apiError: Record<string, unknown> | null
  }
}

export interface FakeBalanceTransaction {
  id: string
  type: 'charge' | 'refund' | 'refund_failure' | 'stripe_fee' | 'adjustment' | 'payout'
  amount: number
  fee: number
  net: number
  created: number
  /** A charge, refund, dispute or payout id; null for a fee. */
  source: string | null
  description: string | null
  payout: string | null
}

export interface FakePayout {
  id: string
  amount: number
  /** Midnight UTC of the arrival day, in seconds (as Stripe gives it). */
  arrivalDate: number
  created: number
  status: 'paid' | 'pending' | 'in_transit' | 'canceled' | 'failed'
  automatic: boolean
  balanceTransaction: string
}

interface FakeDispute {
  id: string
  amount: number
  paymentIntent: string
  charge: string | null
}

/** Stripe's Canadian card rate, as the fake charges it: 2.9 % (rounded to the cent) + 30 ¢. */
export function fakeStripeFee(amountCents: number): number {
  return Math.round((amountCents * 290) / 10_000) + 30
}

interface SavedAnswer {
  method: string
  path: string
  fingerprint: string
  status: number
  body: string
}

interface RefundPolicy {
  initial: 'pending' | 'succeeded'
  then?: { status: 'succeeded' | 'failed'; failureReason?: string }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: Record<string, unknown>,
  ) {
    super(String(error.message ?? 'error'))
  }
}

type Answer = { status: number; body: unknown }

export class FakeStripe {
  readonly apiKey: string
  readonly host = '127.0.0.1'
  private server: Server | undefined
  private portNumber = 0

  private paymentIntents = new Map<string, FakePaymentIntent>()
  private charges = new Map<string, FakeCharge>()
  private refundsById = new Map<string, FakeRefund>()
  private readers = new Map<string, FakeReader>()
  private keys = new Map<string, SavedAnswer>()
  private faults: (Fault & { left: number })[] = []
  private refundPolicies = new Map<string, RefundPolicy>()
  private balance = new Map<string, FakeBalanceTransaction>()
  private payoutsById = new Map<string, FakePayout>()
  private disputes = new Map<string, FakeDispute>()
  private counter = 0
  private clock = 1_780_000_000
  readonly requests: RequestLog[] = []

  private constructor(apiKey: string) {
    this.apiKey = apiKey
  }

  static async start(options: { apiKey?: string } = {}): Promise<FakeStripe> {
    const fake = new FakeStripe(options.apiKey ?? 'sk_test_fake')
    fake.server = createServer((req, res) => fake.handle(req, res))
    await new Promise<void>((resolve) => fake.server!.listen(0, '127.0.0.1', resolve))
    fake.portNumber = (fake.server.address() as AddressInfo).port
    return fake
  }

  get port(): number {
    return this.portNumber
  }

  /** What StripeProcessor (or new Stripe) needs to talk to this server. */
  connection(): { apiKey: string; host: string; port: number; protocol: 'http' } {
    return { apiKey: this.apiKey, host: this.host, port: this.port, protocol: 'http' }
  }

  /** A real SDK client pointed here (for setting up and inspecting, besides the adapter). */
  client(options: { maxNetworkRetries?: number; timeoutMs?: number } = {}): Stripe {
    return new Stripe(this.apiKey, {
      host: this.host,
      port: this.port,
      protocol: 'http',
      maxNetworkRetries: options.maxNetworkRetries ?? 0,
      timeout: options.timeoutMs ?? 5_000,
      telemetry: false,
    })
  }

  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = undefined
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Forgets everything but the readers' list (their actions are cleared). */
  reset(): void {
    this.paymentIntents.clear()
    this.charges.clear()
    this.refundsById.clear()
    this.keys.clear()
    this.faults = []
    this.refundPolicies.clear()
    this.balance.clear()
    this.payoutsById.clear()
    this.disputes.clear()
    this.requests.length = 0
    for (const r of this.readers.values()) r.action = null
  }

  // -- controls -------------------------------------------------------------------------------

  failNext(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 })
  }

  /** Faults not used yet. */
  pendingFaults(): number {
    return this.faults.length
  }

  clearFaults(): void {
    this.faults = []
  }

  /** Refunds of this PaymentIntent (made or to come) fail when next read, with expired_or_canceled_card. */
  refundFailsLater(paymentIntentId: string, options: { initialStatus?: 'pending' | 'succeeded'; failureReason?: string } = {}): void {
    const then = { status: 'failed' as const, failureReason: options.failureReason ?? 'expired_or_canceled_card' }
    this.refundPolicies.set(paymentIntentId, { initial: options.initialStatus ?? 'succeeded', then })
    for (const r of this.refundsById.values()) {
      if (r.paymentIntent === paymentIntentId && r.status !== 'failed' && r.status !== 'canceled') r.next = then
    }
  }

  /** Refunds of this PaymentIntent are created pending and stay so until `settleRefund`. */
  refundsStayPending(paymentIntentId: string): void {
    this.refundPolicies.set(paymentIntentId, { initial: 'pending' })
  }

  settleRefund(refundId: string, status: 'succeeded' | 'failed', failureReason = 'unknown'): void {
    const r = this.refundsById.get(refundId)
    if (!r) throw new Error(`no refund ${refundId}`)
    r.status = status
    r.failureReason = status === 'failed' ? failureReason : undefined
    r.next = undefined
  }

  /** The 24 hours pass: every idempotency key is forgotten. */
  expireIdempotencyKeys(): void {
    this.keys.clear()
  }

  addReader(options: { id?: string; status?: 'online' | 'offline' } = {}): string {
    const id = options.id ?? `tmr_${this.nextId()}`
    this.readers.set(id, { id, status: options.status ?? 'online', action: null })
    return id
  }

  setReaderStatus(readerId: string, status: 'online' | 'offline'): void {
    this.reader(readerId).status = status
  }

  /** The parent presses "cancel" on the reader. */
  cancelOnReader(readerId: string): void {
    const reader = this.reader(readerId)
    if (reader.action?.status !== 'in_progress') throw new Error('nothing in progress on the reader')
    reader.action = { ...reader.action, status: 'failed', failureCode: 'customer_canceled', failureMessage: 'The customer canceled.' }
  }

  /** Resolves once the reader has a payment in progress (the adapter is waiting for a tap). */
  async waitForReaderAction(readerId: string, timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const action = this.readers.get(readerId)?.action
      if (action?.status === 'in_progress') return action.paymentIntent
      if (Date.now() > deadline) throw new Error(`reader ${readerId}: no payment in progress after ${timeoutMs} ms`)
      await new Promise((r) => setTimeout(r, 5))
    }
  }

  /**
   * Stripe's automatic payout: every balance transaction not paid out yet (or only those `only`
   * keeps) goes into one payout of their net total, arriving on `arrivalDate` ('YYYY-MM-DD';
   * two days after the fake's clock by default), with its own `payout` line.
   */
  createPayout(
    options: { arrivalDate?: string; status?: FakePayout['status']; automatic?: boolean; only?: (txn: FakeBalanceTransaction) => boolean } = {},
  ): FakePayout {
    this.syncBalance()
    const lines = [...this.balance.values()].filter((t) => t.payout === null && t.type !== 'payout' && (!options.only || options.only(t)))
    const id = `po_${this.nextId()}`
    const amount = lines.reduce((sum, t) => sum + t.net, 0)
    const created = this.now()
    const arrivalDate = options.arrivalDate ? Date.parse(`${options.arrivalDate}T00:00:00Z`) / 1000 : Math.floor(created / 86_400 + 2) * 86_400
    const own: FakeBalanceTransaction = { id: `txn_${id.slice(3)}`, type: 'payout', amount: -amount, fee: 0, net: -amount, created, source: id, description: 'STRIPE PAYOUT', payout: id }
    this.balance.set(own.id, own)
    const automatic = options.automatic ?? true
    for (const t of lines) if (automatic) t.payout = id
    const payout: FakePayout = { id, amount, arrivalDate, created, status: options.status ?? 'paid', automatic, balanceTransaction: own.id }
    this.payoutsById.set(id, payout)
    return { ...payout }
  }

  /** A fee charged on its own (a positive `amountCents` is taken), or an adjustment: a dispute of a PaymentIntent, or a correction. */
  addBalanceTransaction(
    options: { type: 'stripe_fee'; amountCents: number; description?: string } | { type: 'adjustment'; amountCents: number; paymentIntent?: string; description?: string },
  ): FakeBalanceTransaction {
    const id = `txn_${this.nextId()}`
    let source: string | null = null
    if (options.type === 'adjustment' && options.paymentIntent) {
      const pi = this.pi(options.paymentIntent)
      const dispute: FakeDispute = { id: `dp_${this.nextId()}`, amount: Math.abs(options.amountCents), paymentIntent: pi.id, charge: pi.latestCharge }
      this.disputes.set(dispute.id, dispute)
      source = dispute.id
    }
    const amount = options.type === 'stripe_fee' ? -Math.abs(options.amountCents) : options.amountCents
    const txn: FakeBalanceTransaction = { id, type: options.type, amount, fee: 0, net: amount, created: this.now(), source, description: options.description ?? null, payout: null }
    this.balance.set(id, txn)
    return { ...txn }
  }

  // -- inspection ------------------------------------------------------------------------------

  /** Every balance transaction, made up to date with the charges and refunds. */
  balanceTransactions(): FakeBalanceTransaction[] {
    this.syncBalance()
    return [...this.balance.values()].map((t) => ({ ...t }))
  }

  payout(id: string): FakePayout | undefined {
    const p = this.payoutsById.get(id)
    return p && { ...p }
  }


  /** Refunds ever created on a PaymentIntent (all of them when none is given). */
  refundsCreated(paymentIntentId?: string): number {
    return [...this.refundsById.values()].filter((r) => !paymentIntentId || r.paymentIntent === paymentIntentId).length
  }

  refundsFor(refundId: string): FakeRefund[] {
    return [...this.refundsById.values()].filter((r) => r.metadata.refundId === refundId)
  }

  refund(id: string): FakeRefund | undefined {
    const r = this.refundsById.get(id)
    return r && { ...r }
  }

  paymentIntent(id: string): FakePaymentIntent | undefined {
    const pi = this.paymentIntents.get(id)
    return pi && { ...pi }
  }

  paymentIntentsCreated(): number {
    return this.paymentIntents.size
  }

  readerState(id: string): FakeReader | undefined {
    const r = this.readers.get(id)
    return r && { ...r, action: r.action && { ...r.action } }
  }

  /** What is left to refund on a PaymentIntent: failed and canceled refunds give it back. */
  remaining(paymentIntentId: string): number {
    const pi = this.paymentIntents.get(paymentIntentId)
    if (!pi || pi.status !== 'succeeded') return 0
    const refunded = [...this.refundsById.values()]
      .filter((r) => r.paymentIntent === pi.id && r.status !== 'failed' && r.status !== 'canceled')
      .reduce((sum, r) => sum + r.amount, 0)
    return pi.amount - refunded
  }

  replays(): number {
    return this.requests.filter((r) => r.replayed).length
  }

  // -- HTTP ------------------------------------------------------------------------------------

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      try {
        this.respond(req, res, Buffer.concat(chunks).toString('utf8'))
      } catch (e) {
        this.send(res, 500, { error: { type: 'api_error', message: `fake-stripe bug: ${(e as Error).message}` } })
      }
    })
  }

  private respond(req: IncomingMessage, res: ServerResponse, body: string): void {
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://fake')
    const path = url.pathname
    const key = header(req, 'idempotency-key')
    const log: RequestLog = { method, path, idempotencyKey: key, status: 'no-answer', replayed: false, fault: undefined }
    this.requests.push(log)

    if (header(req, 'authorization') !== `Bearer ${this.apiKey}`) {
      log.status = 401
      return this.send(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } })
    }

    const params: FormObject = method === 'GET' ? parseForm(url.search.slice(1)) : parseForm(body)
    const fault = this.takeFault(method, path)
    log.fault = fault?.kind

    if (fault) {
      switch (fault.kind) {
        case 'timeout':
          if (fault.commit) this.execute(method, path, params, key)
          return // never answered: the client times out
        case '500':
          log.status = 500
          return this.send(res, 500, { error: { type: 'api_error', message: 'An unknown error occurred' } })
        case '429':
          log.status = 429
          return this.send(res, 429, { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' } }, {
            'retry-after': String(fault.retryAfterSeconds ?? 1),
          })
        case 'drop-before-commit':
          req.socket.destroy()
          return
        case 'drop-after-commit':
          this.execute(method, path, params, key)
          req.socket.destroy()
          return
        case '500-after-commit': {
          this.execute(method, path, params, key)
          const error = { error: { type: 'api_error', message: 'An unknown error occurred' } }
          if (method === 'POST' && key) this.keys.set(key, { method, path, fingerprint: fingerprintOf(params), status: 500, body: JSON.stringify(error) })
          log.status = 500
          return this.send(res, 500, error)
        }
      }
    }

    const answer = this.execute(method, path, params, key)
    log.status = answer.status
    log.replayed = answer.replayed
    this.send(res, answer.status, answer.body, { ...(answer.replayed ? { 'idempotent-replayed': 'true' } : {}), ...(key ? { 'idempotency-key': key } : {}) })
  }

  /** Runs the request through the idempotency layer; saves what must be saved. */
  private execute(method: string, path: string, params: FormObject, key: string | undefined): Answer & { replayed: boolean } {
    if (method === 'POST' && key) {
      const saved = this.keys.get(key)
      const fingerprint = fingerprintOf(params)
      if (saved) {
        if (saved.method !== method || saved.path !== path) {
          return {
            status: 400,
            body: { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used for the same endpoint they were first used for.' } },
            replayed: false,
          }
        }
        if (saved.fingerprint !== fingerprint) {
          return {
            status: 400,
            body: { error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } },
            replayed: false,
          }
        }
        return { status: saved.status, body: JSON.parse(saved.body), replayed: true }
      }
      const answer = this.route(method, path, params)
      // Saved once the endpoint ran: a success, or a card declined after the PaymentIntent was made.
      if (answer.status === 200 || answer.status === 402) {
        this.keys.set(key, { method, path, fingerprint, status: answer.status, body: JSON.stringify(answer.body) })
      }
      return { ...answer, replayed: false }
    }
    return { ...this.route(method, path, params), replayed: false }
  }

  private route(method: string, path: string, params: FormObject): Answer {
    try {
      const parts = path.split('/').filter(Boolean) // ['v1', ...]
      const [v1, a, b, c, d] = parts
      if (v1 !== 'v1') throw notFound(path)
      if (a === 'payment_intents') {
        if (method === 'POST' && !b) return ok(this.createPaymentIntent(params))
        if (method === 'GET' && b && !c) return ok(this.paymentIntentJson(this.pi(b), params))
        if (method === 'POST' && b && c === 'capture') return ok(this.capture(this.pi(b), params))
        if (method === 'POST' && b && c === 'cancel') return ok(this.cancel(this.pi(b), params))
      }
      if (a === 'refunds') {
        if (method === 'POST' && !b) return ok(this.createRefund(params))
        if (method === 'GET' && b && !c) return ok(this.refundJson(this.read(this.refundOr404(b))))
        if (method === 'GET' && !b) return ok(this.listRefunds(params))
      }
      if (a === 'payouts' && method === 'GET') {
        if (!b) return ok(this.listPayouts(params))
        if (!c) return ok(this.payoutJson(this.payoutOr404(b)))
      }
      if (a === 'balance_transactions' && method === 'GET') {
        if (!b) return ok(this.listBalanceTransactions(params))
        if (!c) {
          this.syncBalance()
          const txn = this.balance.get(b)
          if (!txn) throw invalid('resource_missing', `No such balance transaction: '${b}'`, 'id', 404)
          return ok(this.balanceTransactionJson(txn, listOf(params.expand).includes('source')))
        }
      }
      if (a === 'terminal' && b === 'readers' && c) {
        if (method === 'GET' && !d) return ok(this.readerJson(this.reader(c)))
        if (method === 'POST' && d === 'process_payment_intent') return ok(this.processPaymentIntent(this.reader(c), params))
        if (method === 'POST' && d === 'cancel_action') return ok(this.cancelAction(this.reader(c)))
      }
      if (a === 'test_helpers' && b === 'terminal' && c === 'readers' && d && parts[5] === 'present_payment_method' && method === 'POST') {
        return ok(this.presentPaymentMethod(this.reader(d), params))
      }
      throw notFound(path)
    } catch (e) {
      if (e instanceof HttpError) return { status: e.status, body: { error: e.error } }
      throw e
    }
  }

  // -- PaymentIntents ------------------------------------------------------------------------

  private createPaymentIntent(params: FormObject): unknown {
    const amount = integerParam(params.amount, 'amount')
    const currency = stringOf(params.currency)
    if (!currency) throw invalid('parameter_missing', 'Missing required param: currency.', 'currency')
    if (amount < 50) throw invalid('amount_too_small', 'Amount must be at least $0.50 cad', 'amount')
    const allowed = listOf(params.allowed_payment_method_types ?? params.payment_method_types)
    const pm = stringOf(params.payment_method) ?? null
    const card = pm ? cardByPaymentMethod(pm) : undefined
    if (pm && !card) throw invalid('resource_missing', `No such PaymentMethod: '${pm}'`, 'payment_method', 404)
    const pi: FakePaymentIntent = {
      id: `pi_${this.nextId()}`,
      amount,
      currency,
      status: pm ? 'requires_confirmation' : 'requires_payment_method',
      captureMethod: stringOf(params.capture_method) ?? 'automatic',
      description: stringOf(params.description) ?? null,
      metadata: recordOf(params.metadata) ?? {},
      paymentMethod: pm,
      allowedTypes: allowed.length > 0 ? allowed : ['card'],
      latestCharge: null,
      lastPaymentError: null,
      created: this.now(),
    }
    this.paymentIntents.set(pi.id, pi)
    if (stringOf(params.confirm) === 'true') {
      if (!card) throw invalid('payment_intent_unexpected_state', 'You must provide a payment_method to confirm.', 'payment_method')
      this.applyCard(pi, card, 'card')
      if (card.decline) throw this.cardError(pi, card, params)
    }
    return this.paymentIntentJson(pi, params)
  }

  /** A card presented to a PaymentIntent: a charge, or a decline. */
  private applyCard(pi: FakePaymentIntent, card: FakeCard, type: 'card' | 'card_present'): void {
    if (card.decline) {
      pi.status = 'requires_payment_method'
      pi.lastPaymentError = {
        type: 'card_error',
        code: card.decline.code,
        decline_code: card.decline.decline_code,
        message: card.decline.message,
        payment_method: { id: `pm_${this.nextId()}`, object: 'payment_method', type },
      }
      return
    }
    const charge: FakeCharge = { id: `ch_${this.nextId()}`, amount: pi.amount, paymentIntent: pi.id, card, type, created: this.now() }
    this.charges.set(charge.id, charge)
    pi.latestCharge = charge.id
    pi.lastPaymentError = null
    pi.status = pi.captureMethod === 'manual' ? 'requires_capture' : 'succeeded'
    if (card.refundFails && !this.refundPolicies.has(pi.id)) {
      this.refundPolicies.set(pi.id, { initial: 'succeeded', then: { status: 'failed', failureReason: 'expired_or_canceled_card' } })
    }
  }

  private cardError(pi: FakePaymentIntent, card: FakeCard, params: FormObject): HttpError {
    return new HttpError(402, {
      type: 'card_error',
      code: card.decline!.code,
      decline_code: card.decline!.decline_code,
      message: card.decline!.message,
      payment_intent: this.paymentIntentJson(pi, params),
      request_log_url: 'https://dashboard.stripe.com/test/logs',
    })
  }

  private capture(pi: FakePaymentIntent, params: FormObject): unknown {
    if (pi.status !== 'requires_capture') throw unexpectedState(pi)
    pi.status = 'succeeded'
    return this.paymentIntentJson(pi, params)
  }

  private cancel(pi: FakePaymentIntent, params: FormObject): unknown {
    if (!['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action'].includes(pi.status)) throw unexpectedState(pi)
    pi.status = 'canceled'
    for (const reader of this.readers.values()) {
      if (reader.action?.paymentIntent === pi.id && reader.action.status === 'in_progress') {
        reader.action = { ...reader.action, status: 'failed', failureCode: 'canceled', failureMessage: 'The PaymentIntent was canceled.' }
      }
    }
    return this.paymentIntentJson(pi, params)
  }

  private paymentIntentJson(pi: FakePaymentIntent, params: FormObject): unknown {
    const expand = listOf(params.expand)
    const charge = pi.latestCharge ? this.charges.get(pi.latestCharge) : undefined
    return {
      id: pi.id,
      object: 'payment_intent',
      amount: pi.amount,
      amount_capturable: pi.status === 'requires_capture' ? pi.amount : 0,
      amount_received: pi.status === 'succeeded' ? pi.amount : 0,
      allowed_payment_method_types: pi.allowedTypes,
      capture_method: pi.captureMethod,
      client_secret: `${pi.id}_secret_fake`,
      confirmation_method: 'automatic',
      created: pi.created,
      currency: pi.currency,
      description: pi.description,
      last_payment_error: pi.lastPaymentError,
      latest_charge: charge ? (expand.includes('latest_charge') ? this.chargeJson(charge) : charge.id) : null,
      livemode: false,
      metadata: pi.metadata,
      payment_method: pi.paymentMethod,
      payment_method_types: pi.allowedTypes,
      status: pi.status,
    }
  }

  private chargeJson(charge: FakeCharge): unknown {
    const refunded = this.refundedOn(charge.paymentIntent)
    const card = {
      brand: charge.card.brand,
      funding: charge.card.funding,
      last4: charge.card.number.slice(-4),
      exp_month: 12,
      exp_year: 2034,
      country: 'CA',
    }
    return {
      id: charge.id,
      object: 'charge',
      amount: charge.amount,
      amount_captured: charge.amount,
      amount_refunded: refunded,
      captured: true,
      created: charge.created,
      currency: 'cad',
      paid: true,
      payment_intent: charge.paymentIntent,
      payment_method_details: { type: charge.type, [charge.type]: card },
      refunded: refunded === charge.amount,
      status: 'succeeded',
    }
  }

  // -- refunds ---------------------------------------------------------------------------------

  private createRefund(params: FormObject): unknown {
    const piId = stringOf(params.payment_intent) ?? this.piOfCharge(stringOf(params.charge))
    if (!piId) throw invalid('parameter_missing', 'One of charge or payment_intent is required.', 'payment_intent')
    const pi = this.pi(piId)
    if (pi.status !== 'succeeded' || !pi.latestCharge) {
      throw invalid('payment_intent_unexpected_state', `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, 'payment_intent')
    }
    const remaining = this.remaining(pi.id)
    const amount = params.amount === undefined ? remaining : integerParam(params.amount, 'amount')
    if (amount <= 0) throw invalid('parameter_invalid_integer', 'Invalid positive integer', 'amount')
    if (remaining === 0) throw invalid('charge_already_refunded', `Charge ${pi.latestCharge} has already been refunded.`, 'amount')
    if (amount > remaining) {
      throw invalid('amount_too_large', `Refund amount ($${dollars(amount)}) is greater than unrefunded amount on charge ($${dollars(remaining)})`, 'amount')
    }
    const policy = this.refundPolicies.get(pi.id)
    const refund: FakeRefund = {
      id: `re_${this.nextId()}`,
      amount,
      paymentIntent: pi.id,
      charge: pi.latestCharge,
      currency: pi.currency,
      metadata: recordOf(params.metadata) ?? {},
      status: policy?.initial ?? 'succeeded',
      failureReason: undefined,
      created: this.now(),
      next: policy?.then,
    }
    this.refundsById.set(refund.id, refund)
    return this.refundJson(refund)
  }

  private listRefunds(params: FormObject): unknown {
    const limit = Math.min(100, Math.max(1, Number(stringOf(params.limit) ?? 10)))
    const pi = stringOf(params.payment_intent)
    const charge = stringOf(params.charge)
    let all = [...this.refundsById.values()]
      .filter((r) => (!pi || r.paymentIntent === pi) && (!charge || r.charge === charge))
      .sort((x, y) => y.created - x.created || (x.id < y.id ? 1 : -1))
    const after = stringOf(params.starting_after)
    if (after) all = all.slice(all.findIndex((r) => r.id === after) + 1)
    const page = all.slice(0, limit).map((r) => this.refundJson(this.read(r)))
    return { object: 'list', data: page, has_more: all.length > limit, url: '/v1/refunds' }
  }

  /** A read moves a refund on to what it was going to become. */
  private read(refund: FakeRefund): FakeRefund {
    if (refund.next) {
      refund.status = refund.next.status
      refund.failureReason = refund.next.status === 'failed' ? (refund.next.failureReason ?? 'unknown') : undefined
      refund.next = undefined
    }
    return refund
  }

  private refundJson(r: FakeRefund): unknown {
    return {
      id: r.id,
      object: 'refund',
      amount: r.amount,
      balance_transaction: `txn_${r.id.slice(3)}`,
      charge: r.charge,
      created: r.created,
      currency: r.currency,
      destination_details: { type: 'card', card: { type: 'refund', reference_status: 'pending' } },
      ...(r.status === 'failed' ? { failure_reason: r.failureReason ?? 'unknown', failure_balance_transaction: `txn_f_${r.id.slice(3)}` } : {}),
      metadata: r.metadata,
      payment_intent: r.paymentIntent,
      reason: null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: r.status,
      transfer_reversal: null,
    }
  }

  private refundedOn(paymentIntentId: string): number {
    return [...this.refundsById.values()]
      .filter((r) => r.paymentIntent === paymentIntentId && r.status !== 'failed' && r.status !== 'canceled')
      .reduce((sum, r) => sum + r.amount, 0)
  }

  // -- payouts and the balance ----------------------------------------------------------------

  /** The balance as the charges and refunds stand now: each gets its line once. */
  private syncBalance(): void {
    for (const charge of this.charges.values()) {
      const pi = this.paymentIntents.get(charge.paymentIntent)
      if (pi?.status !== 'succeeded') continue
      const id = `txn_${charge.id.slice(3)}`
      if (this.balance.has(id)) continue
      const fee = fakeStripeFee(charge.amount)
      this.balance.set(id, { id, type: 'charge', amount: charge.amount, fee, net: charge.amount - fee, created: charge.created, source: charge.id, description: pi.description, payout: null })
    }
    for (const r of this.refundsById.values()) {
      const id = `txn_${r.id.slice(3)}`
      if (!this.balance.has(id)) {
        this.balance.set(id, { id, type: 'refund', amount: -r.amount, fee: 0, net: -r.amount, created: r.created, source: r.id, description: 'REFUND FOR CHARGE', payout: null })
      }
      const failed = `txn_f_${r.id.slice(3)}`
      if ((r.status === 'failed' || r.status === 'canceled') && !this.balance.has(failed)) {
        this.balance.set(failed, { id: failed, type: 'refund_failure', amount: r.amount, fee: 0, net: r.amount, created: this.now(), source: r.id, description: 'REFUND FAILURE', payout: null })
      }
    }
  }

  private listPayouts(params: FormObject): unknown {
    const arrival = rangeOf(params.arrival_date)
    const created = rangeOf(params.created)
    const status = stringOf(params.status)
    const all = [...this.payoutsById.values()]
      .filter((p) => arrival(p.arrivalDate) && created(p.created) && (!status || p.status === status))
      .sort((x, y) => y.created - x.created || (x.id < y.id ? 1 : -1))
    return this.page(all, params, '/v1/payouts', (p) => this.payoutJson(p))
  }

  private listBalanceTransactions(params: FormObject): unknown {
    this.syncBalance()
    const payout = stringOf(params.payout)
    if (payout) {
      const p = this.payoutOr404(payout)
      if (!p.automatic) throw invalid('invalid_request_error', 'Balance transaction history can only be filtered on automatic transfers, not manual.', 'payout')
    }
    const type = stringOf(params.type)
    const source = stringOf(params.source)
    const created = rangeOf(params.created)
    const expandSource = listOf(params.expand).includes('data.source')
    const all = [...this.balance.values()]
      .filter((t) => (!payout || t.payout === payout) && (!type || t.type === type) && (!source || t.source === source) && created(t.created))
      .sort((x, y) => y.created - x.created || (x.id < y.id ? 1 : -1))
    return this.page(all, params, '/v1/balance_transactions', (t) => this.balanceTransactionJson(t, expandSource))
  }

  /** One page of a list, newest first, after `starting_after`. */
  private page<T extends { id: string }>(all: T[], params: FormObject, url: string, json: (item: T) => unknown): unknown {
    const limit = Math.min(100, Math.max(1, Number(stringOf(params.limit) ?? 10)))
    const after = stringOf(params.starting_after)
    let rest = all
    if (after) {
      const at = all.findIndex((item) => item.id === after)
      if (at === -1) throw invalid('resource_missing', `No such object: '${after}'`, 'starting_after')
      rest = all.slice(at + 1)
    }
    return { object: 'list', data: rest.slice(0, limit).map(json), has_more: rest.length > limit, url }
  }

  private payoutOr404(id: string): FakePayout {
    const p = this.payoutsById.get(id)
    if (!p) throw invalid('resource_missing', `No such payout: '${id}'`, 'id', 404)
    return p
  }

  private payoutJson(p: FakePayout): unknown {
    return {
      id: p.id,
      object: 'payout',
      amount: p.amount,
      application_fee: null,
      application_fee_amount: null,
      arrival_date: p.arrivalDate,
      automatic: p.automatic,
      balance_transaction: p.balanceTransaction,
      created: p.created,
      currency: 'cad',
      description: 'STRIPE PAYOUT',
      destination: 'ba_fake',
      failure_balance_transaction: null,
      failure_code: p.status === 'failed' ? 'account_closed' : null,
      failure_message: null,
      livemode: false,
      metadata: {},
      method: 'standard',
      original_payout: null,
      reconciliation_status: p.automatic ? 'completed' : 'not_applicable',
      reversed_by: null,
      source_type: 'card',
      statement_descriptor: null,
      status: p.status,
      trace_id: null,
      type: 'bank_account',
    }
  }

  private balanceTransactionJson(t: FakeBalanceTransaction, expandSource: boolean): unknown {
    return {
      id: t.id,
      object: 'balance_transaction',
      amount: t.amount,
      available_on: t.created + 2 * 86_400,
      created: t.created,
      currency: 'cad',
      description: t.description,
      exchange_rate: null,
      fee: t.fee,
      fee_details: t.fee > 0 ? [{ amount: t.fee, application: null, currency: 'cad', description: 'Stripe processing fees', type: 'stripe_fee' }] : [],
      net: t.net,
      reporting_category: t.type === 'stripe_fee' ? 'fee' : t.type === 'refund_failure' ? 'refund_failure' : t.type,
      source: expandSource ? this.sourceJson(t.source) : t.source,
      status: 'available',
      type: t.type,
    }
  }

  private sourceJson(id: string | null): unknown {
    if (!id) return null
    const charge = this.charges.get(id)
    if (charge) return this.chargeJson(charge)
    const refund = this.refundsById.get(id)
    if (refund) return this.refundJson(refund)
    const payout = this.payoutsById.get(id)
    if (payout) return this.payoutJson(payout)
    const dispute = this.disputes.get(id)
    if (dispute) {
      return { id: dispute.id, object: 'dispute', amount: dispute.amount, charge: dispute.charge, currency: 'cad', payment_intent: dispute.paymentIntent, reason: 'fraudulent', status: 'lost' }
    }
    return id
  }

  // -- Terminal --------------------------------------------------------------------------------

  private processPaymentIntent(reader: FakeReader, params: FormObject): unknown {
    if (reader.status === 'offline') throw invalid('terminal_reader_offline', 'Reader is currently offline, please ensure the reader is powered on and connected to the internet before retrying your request.')
    if (reader.action?.status === 'in_progress') throw invalid('terminal_reader_busy', 'Reader is currently busy processing another request, please retry after a short delay.')
    const piId = stringOf(params.payment_intent)
    if (!piId) throw invalid('parameter_missing', 'Missing required param: payment_intent.', 'payment_intent')
    const pi = this.pi(piId)
    if (!pi.allowedTypes.includes('card_present')) {
      throw invalid('payment_intent_invalid_parameter', 'The PaymentIntent does not allow card_present.', 'payment_intent')
    }
    if (pi.status !== 'requires_payment_method') throw unexpectedState(pi)
    reader.action = { type: 'process_payment_intent', status: 'in_progress', paymentIntent: pi.id, failureCode: null, failureMessage: null, apiError: null }
    return this.readerJson(reader)
  }

  private presentPaymentMethod(reader: FakeReader, params: FormObject): unknown {
    const action = reader.action
    if (action?.status !== 'in_progress') throw invalid('terminal_reader_action_not_in_progress', 'The reader has no action in progress.')
    const present = params.card_present as FormObject | undefined
    const number = stringOf(present?.number) ?? '4242424242424242'
    const card = cardByNumber(number)
    if (!card) throw invalid('invalid_number', 'Not a test card number.', 'card_present[number]')
    const pi = this.pi(action.paymentIntent)
    this.applyCard(pi, card, 'card_present')
    if (card.decline) {
      reader.action = {
        ...action,
        status: 'failed',
        failureCode: 'card_declined',
        failureMessage: card.decline.message,
        apiError: { type: 'card_error', code: card.decline.code, decline_code: card.decline.decline_code, message: card.decline.message },
      }
    } else {
      reader.action = { ...action, status: 'succeeded' }
    }
    return this.readerJson(reader)
  }

  private cancelAction(reader: FakeReader): unknown {
    if (reader.action?.status !== 'in_progress') throw invalid('terminal_reader_action_not_in_progress', 'The reader has no action in progress.')
    reader.action = { ...reader.action, status: 'failed', failureCode: 'canceled', failureMessage: 'The action was canceled.' }
    return this.readerJson(reader)
  }

  private readerJson(reader: FakeReader): unknown {
    const a = reader.action
    return {
      id: reader.id,
      object: 'terminal.reader',
      action: a && {
        type: a.type,
        status: a.status,
        failure_code: a.failureCode,
        failure_message: a.failureMessage,
        api_error: a.apiError,
        process_payment_intent: { payment_intent: a.paymentIntent },
      },
      device_sw_version: '2.37.2.0',
      device_type: 'simulated_wisepos_e',
      ip_address: '0.0.0.0',
      label: 'Kiosque (simulé)',
      last_seen_at: Date.now(),
      livemode: false,
      location: 'tml_fake',
      metadata: {},
      serial_number: `SIM-${reader.id}`,
      status: reader.status,
    }
  }

  // -- helpers ---------------------------------------------------------------------------------

  private takeFault(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex((f) => (!f.method || f.method === method) && (typeof f.path === 'string' ? f.path === path : f.path.test(path)))
    if (i === -1) return undefined
    const fault = this.faults[i]!
    fault.left -= 1
    if (fault.left <= 0) this.faults.splice(i, 1)
    return fault
  }

  private pi(id: string): FakePaymentIntent {
    const pi = this.paymentIntents.get(id)
    if (!pi) throw invalid('resource_missing', `No such payment_intent: '${id}'`, 'intent', 404)
    return pi
  }

  private piOfCharge(chargeId: string | undefined): string | undefined {
    return chargeId ? this.charges.get(chargeId)?.paymentIntent : undefined
  }

  private refundOr404(id: string): FakeRefund {
    const r = this.refundsById.get(id)
    if (!r) throw invalid('resource_missing', `No such refund: '${id}'`, 'id', 404)
    return r
  }

  private reader(id: string): FakeReader {
    const r = this.readers.get(id)
    if (!r) throw invalid('resource_missing', `No such terminal.reader: '${id}'`, 'reader', 404)
    return r
  }

  private nextId(): string {
    this.counter += 1
    return `fake${String(this.counter).padStart(8, '0')}`
  }

  /** Seconds, strictly increasing, so that "newest first" is well defined. */
  private now(): number {
    this.clock += 1
    return this.clock
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed || res.writableEnded) return
    res.writeHead(status, {
      'content-type': 'application/json',
      'request-id': `req_${this.nextId()}`,
      'stripe-version': '2026-10-28.endive',
      ...headers,
    })
    res.end(JSON.stringify(body))
  }
}

export function startFakeStripe(options: { apiKey?: string } = {}): Promise<FakeStripe> {
  return FakeStripe.start(options)
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function ok(body: unknown): Answer {
  return { status: 200, body }
}

function invalid(code: string, message: string, param?: string, status = 400): HttpError {
  return new HttpError(status, { type: 'invalid_request_error', code, message, ...(param ? { param } : {}) })
}

function notFound(path: string): HttpError {
  return new HttpError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${path}).` })
}

function unexpectedState(pi: FakePaymentIntent): HttpError {
  return invalid('payment_intent_unexpected_state', `This PaymentIntent's status is ${pi.status}.`, 'intent')
}

function integerParam(value: FormValue | undefined, name: string): number {
  const text = stringOf(value)
  if (text === undefined) throw invalid('parameter_missing', `Missing required param: ${name}.`, name)
  if (!/^-?\d+$/.test(text)) throw invalid('parameter_invalid_integer', 'Invalid integer', name)
  return Number(text)
}

/** A Stripe range filter (`arrival_date[gte]=…`, or one exact value) as a test on seconds. */
function rangeOf(value: FormValue | undefined): (seconds: number) => boolean {
  if (value === undefined) return () => true
  if (typeof value === 'string') return (x) => x === Number(value)
  if (Array.isArray(value)) return () => true
  const bound = (k: string) => (typeof value[k] === 'string' ? Number(value[k]) : undefined)
  const [gte, gt, lte, lt] = [bound('gte'), bound('gt'), bound('lte'), bound('lt')]
  return (x) => (gte === undefined || x >= gte) && (gt === undefined || x > gt) && (lte === undefined || x <= lte) && (lt === undefined || x < lt)
}

function dollars(cents: number): string {
  return (cents / 100).toFixed(2)
}

/** The parameters of a request, independent of their order. */
function fingerprintOf(value: FormValue | FormObject): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(fingerprintOf).join(',')}]`
  const keys = Object.keys(value).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${fingerprintOf(value[k]!)}`).join(',')}}`
}
