import { createHash } from 'node:crypto'
import { addDays, isoWeekday, localDateOf } from '../../domain/catalogue/dates'
import { DEMO_CARDS, findTestCard, normalizeCardNumber, type TestCard } from './test-cards'
import {
  DECLINE_CODES,
  DEMO_NOTICE,
  isWholePositiveCents,
  ProcessorRefusal,
  type CardProcessor,
  type ChargeRequest,
  type ChargeResult,
  type Payout,
  type PayoutItem,
  type PayoutRange,
  type RefundRequest,
  type RefundResult,
} from './types'

export { DEMO_CARDS }

/**
 * The demo processor: no network, no real money, deterministic. The cards of `DEMO_CARDS`
 * (see the table in test-cards.ts) decide the outcome; a terminal charge uses `terminalCard`
 * (4242…, approved, unless told otherwise). Wherever it is in use the UI shows DEMO_NOTICE
 * ("Démo — aucun paiement réel").
 *
 * What it remembers goes through a `DemoStore` of strings so that the lead can keep it in SQLite
 * and it survives a restart: the same idempotency key then still gives the same answer, and the
 * refunds of a payment still count against what is left of it. Keys never expire here.
 *
 * One processor refund per refundId: a request for a refundId that already has a refund on that
 * payment answers that refund, whatever key it comes with. A retry after a failed refund is a new
 * refund with a new refundId.
 *
 * Payouts (so that the demo board has something to reconcile), deterministic, from what it
 * remembers (its store must be able to list: `DemoStore.entries`):
 * - every charge, refund and refund failure is a balance line on the day it happened, in the
 *   school's zone (America/Toronto); the lines of a day are paid out on the next business day
 *   (Monday to Friday; no holidays), so Friday's, Saturday's and Sunday's arrive on Monday;
 * - a charge costs a fee of 2.9 % of its amount, rounded to the cent (half up), plus 30 ¢
 *   (`demoFeeCents`: 25,00 $ → 1,03 $); a refund costs nothing, and its fee is not given back;
 * - a refund is a line of −amount when it is made (pending or not); a failed refund adds a line of
 *   +amount when it failed;
 * - payments of the board's account (`account: 'board'`: paid online, on the board's Stripe) are
 *   never in the school's payouts; nor is a payment whose time the processor does not know;
 * - a payout whose arrival date is after today is `in_transit`, otherwise `paid`.
 */

/** The demo's fee on a charge: 2.9 % + 30 ¢, as Stripe's Canadian card rate. */
export const DEMO_FEE = { basisPoints: 290, fixedCents: 30 } as const
export const DEMO_TIME_ZONE = 'America/Toronto'

export function demoFeeCents(amountCents: number): number {
  return Math.round((amountCents * DEMO_FEE.basisPoints) / 10_000) + DEMO_FEE.fixedCents
}

/** The first Monday-to-Friday strictly after a date. */
export function nextBusinessDay(date: string): string {
  let next = addDays(date, 1)
  while (isoWeekday(next) > 5) next = addDays(next, 1)
  return next
}

/** Synchronous (better-sqlite3) or asynchronous; values are JSON strings. */
export interface DemoStore {
  get(key: string): string | undefined | Promise<string | undefined>
  set(key: string, value: string): void | Promise<void>
  /** Every [key, value] whose key starts with `prefix` ('payment:', 'refund:'): what payouts are made of. */
  entries?(prefix: string): Array<[string, string]> | Promise<Array<[string, string]>>
}

export function memoryDemoStore(initial: Record<string, string> = {}): DemoStore & { dump(): Record<string, string> } {
  const data = new Map(Object.entries(initial))
  return {
    get: (key) => data.get(key),
    set: (key, value) => void data.set(key, value),
    entries: (prefix) => [...data.entries()].filter(([k]) => k.startsWith(prefix)),
    dump: () => Object.fromEntries(data),
  }
}

export interface DemoProcessorOptions {
  store?: DemoStore
  /** The card a terminal charge "reads" in the demo. */
  terminalCard?: string
  now?: () => number
}

interface KeyRecord<T> {
  fingerprint: string
  result: T
}
/** A payment as the demo processor remembers it (JSON in the store). */
export interface DemoPaymentRecord {
  ref: string
  amountCents: number
  card: string
  refunds: string[]
  /** When it was charged (ISO instant); older records may lack it, and are then never paid out. */
  createdAt?: string
  /** Whose account took it: the school's (kiosk), or the board's (online). 'school' when absent. */
  account?: 'school' | 'board'
}
/** A refund as the demo processor remembers it (JSON in the store). */
export interface DemoRefundRecord {
  ref: string
  paymentRef: string
  refundId: string
  amountCents: number
  status: RefundResult['status']
  failureCode?: string
  createdAt: string
  /** When it became final (a failure's balance line is dated so). */
  settledAt?: string
}
type PaymentRecord = DemoPaymentRecord
type RefundRecord = DemoRefundRecord

export class DemoProcessor implements CardProcessor {
  readonly kind = 'demo' as const
  readonly isDemo = true
  readonly notice = DEMO_NOTICE
  private readonly store: DemoStore
  private readonly terminalCard: string
  private readonly now: () => number
  private queue: Promise<unknown> = Promise.resolve()

  constructor(options: DemoProcessorOptions = {}) {
    this.store = options.store ?? memoryDemoStore()
    this.terminalCard = normalizeCardNumber(options.terminalCard ?? '4242424242424242')
    this.now = options.now ?? Date.now
    if (!findTestCard(this.terminalCard)) throw new RangeError('terminalCard is not one of DEMO_CARDS')
  }

  charge(request: ChargeRequest): Promise<ChargeResult> {
    return this.serial(async () => {
      if (!isWholePositiveCents(request.amountCents)) {
        throw new ProcessorRefusal('charge.amountNotPositive', 'The amount must be whole cents above zero')
      }
      if (request.currency !== 'cad') throw new ProcessorRefusal('processor.invalidRequest', 'Only CAD is accepted')
      const fingerprint = stableJson({
        amountCents: request.amountCents,
        currency: request.currency,
        description: request.description,
        metadata: request.metadata,
        method: request.method,
      })
      const keyName = `charge-key:${request.idempotencyKey}`
      const seen = await this.read<KeyRecord<ChargeResult>>(keyName)
      if (seen) return replay(seen, fingerprint)

      const number = request.method.kind === 'terminal' ? this.terminalCard : normalizeCardNumber(request.method.card)
      const card = findTestCard(number)
      if (!card) throw new ProcessorRefusal('processor.unknownTestCard', 'Not a demo card (see DEMO_CARDS)')
      const ref = `demo_pi_${digest(`charge:${request.idempotencyKey}`)}`
      const result = chargeOutcome(card, ref, request.amountCents)
      if (result.status === 'succeeded') {
        const createdAt = new Date(this.now()).toISOString()
        await this.write<PaymentRecord>(`payment:${ref}`, { ref, amountCents: request.amountCents, card: card.number, refunds: [], createdAt })
      }
      await this.write<KeyRecord<ChargeResult>>(keyName, { fingerprint, result })
      return result
    })
  }

  refund(request: RefundRequest): Promise<RefundResult> {
    return this.serial(async () => {
      if (!isWholePositiveCents(request.amountCents)) {
        throw new ProcessorRefusal('refund.amountNotPositive', 'The amount must be whole cents above zero')
      }
      const refundId = request.metadata.refundId
      if (!refundId) throw new ProcessorRefusal('processor.invalidRequest', 'metadata.refundId is required')
      const fingerprint = stableJson({ paymentRef: request.paymentRef, amountCents: request.amountCents, metadata: request.metadata })
      const keyName = `refund-key:${request.idempotencyKey}`
      const seen = await this.read<KeyRecord<RefundResult>>(keyName)
      if (seen) return replay(seen, fingerprint)

      const payment = await this.read<PaymentRecord>(`payment:${request.paymentRef}`)
      if (!payment) throw new ProcessorRefusal('processor.notFound', 'No such demo payment')
      const refunds = await this.refundsOf(payment)
      const existing = refunds.find((r) => r.refundId === refundId)
      if (existing) return view(existing)

      const remainingCents = payment.amountCents - refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amountCents, 0)
      if (request.amountCents > remainingCents) {
        throw new ProcessorRefusal('refund.exceedsRemaining', 'More than what is left on the payment', { values: { remainingCents } })
      }
      const card = findTestCard(payment.card)
      const record: RefundRecord = {
        ref: `demo_re_${digest(`refund:${request.idempotencyKey}`)}`,
        paymentRef: payment.ref,
        refundId,
        amountCents: request.amountCents,
        status: card?.refundsFailLater ? 'pending' : 'succeeded',
        createdAt: new Date(this.now()).toISOString(),
      }
      await this.write(`refund:${record.ref}`, record)
      await this.write<PaymentRecord>(`payment:${payment.ref}`, { ...payment, refunds: [...payment.refunds, record.ref] })
      const result = view(record)
      await this.write<KeyRecord<RefundResult>>(keyName, { fingerprint, result })
      return result
    })
  }

  refundStatus(processorRef: string): Promise<RefundResult> {
    return this.serial(async () => {
      const record = await this.read<RefundRecord>(`refund:${processorRef}`)
      if (!record) throw new ProcessorRefusal('processor.notFound', 'No such demo refund')
      return view(await this.settle(record))
    })
  }

  findRefund(refundId: string, paymentRef: string): Promise<RefundResult | null> {
    return this.serial(async () => {
      const payment = await this.read<PaymentRecord>(`payment:${paymentRef}`)
      if (!payment) return null
      const found = (await this.refundsOf(payment)).find((r) => r.refundId === refundId)
      return found ? view(await this.settle(found)) : null
    })
  }

  /**
   * The payouts whose arrival date is in the range (see the schedule above). Empty when the store
   * cannot list what it holds.
   */
  payouts(range: PayoutRange): Promise<Payout[]> {
    return this.serial(async () => {
      if (!this.store.entries) return []
      const nowMs = this.now()
      const payments = new Map<string, PaymentRecord>()
      for (const [, value] of await this.store.entries('payment:')) {
        const p = JSON.parse(value) as PaymentRecord
        payments.set(p.ref, p)
      }
      const onSchoolAccount = (p: PaymentRecord | undefined): p is PaymentRecord & { createdAt: string } =>
        p !== undefined && p.createdAt !== undefined && p.account !== 'board'
      const lines: PayoutItem[] = []
      for (const p of payments.values()) {
        if (!onSchoolAccount(p)) continue
        const fee = demoFeeCents(p.amountCents)
        lines.push({ balanceTransactionId: `demo_txn_${p.ref}`, kind: 'charge', paymentRef: p.ref, refundRef: null, grossCents: p.amountCents, feeCents: fee, netCents: p.amountCents - fee, createdAt: p.createdAt })
      }
      for (const [, value] of await this.store.entries('refund:')) {
        const r = JSON.parse(value) as RefundRecord
        if (!onSchoolAccount(payments.get(r.paymentRef))) continue
        lines.push({ balanceTransactionId: `demo_txn_${r.ref}`, kind: 'refund', paymentRef: r.paymentRef, refundRef: r.ref, grossCents: -r.amountCents, feeCents: 0, netCents: -r.amountCents, createdAt: r.createdAt })
        if (r.status === 'failed') {
          const at = r.settledAt ?? r.createdAt
          lines.push({ balanceTransactionId: `demo_txn_failure_${r.ref}`, kind: 'refund_failure', paymentRef: r.paymentRef, refundRef: r.ref, grossCents: r.amountCents, feeCents: 0, netCents: r.amountCents, createdAt: at })
        }
      }

      const today = localDateOf(new Date(nowMs), DEMO_TIME_ZONE)
      const byArrival = new Map<string, PayoutItem[]>()
      for (const line of lines) {
        if (Date.parse(line.createdAt) > nowMs) continue
        const arrival = nextBusinessDay(localDateOf(line.createdAt, DEMO_TIME_ZONE))
        if (arrival < range.from || arrival > range.to) continue
        const list = byArrival.get(arrival) ?? []
        list.push(line)
        byArrival.set(arrival, list)
      }
      return [...byArrival.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([arrivalDate, items]) => ({
          id: `demo_po_${arrivalDate.replace(/-/g, '')}`,
          arrivalDate,
          amountCents: items.reduce((sum, i) => sum + i.netCents, 0),
          status: arrivalDate > today ? ('in_transit' as const) : ('paid' as const),
          items: items.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.balanceTransactionId.localeCompare(b.balanceTransactionId)),
        }))
    })
  }

  /** A pending refund of a card whose refunds fail later fails when it is next looked at. */
  private async settle(record: RefundRecord): Promise<RefundRecord> {
    if (record.status !== 'pending') return record
    const payment = await this.read<PaymentRecord>(`payment:${record.paymentRef}`)
    const failsLater = payment ? findTestCard(payment.card)?.refundsFailLater === true : false
    const settledAt = new Date(this.now()).toISOString()
    const settled: RefundRecord = failsLater
      ? { ...record, status: 'failed', failureCode: 'expired_or_canceled_card', settledAt }
      : { ...record, status: 'succeeded', settledAt }
    await this.write(`refund:${record.ref}`, settled)
    return settled
  }

  private async refundsOf(payment: PaymentRecord): Promise<RefundRecord[]> {
    const out: RefundRecord[] = []
    for (const ref of payment.refunds) {
      const r = await this.read<RefundRecord>(`refund:${ref}`)
      if (r) out.push(r)
    }
    return out
  }

  private async read<T>(key: string): Promise<T | undefined> {
    const raw = await this.store.get(key)
    return raw === undefined ? undefined : (JSON.parse(raw) as T)
  }

  private async write<T>(key: string, value: T): Promise<void> {
    await this.store.set(key, JSON.stringify(value))
  }

  /** One operation at a time, so that two refunds of one payment never both see the same remainder. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op)
    this.queue = run.catch(() => undefined)
    return run
  }
}

export function createDemoProcessor(options: DemoProcessorOptions = {}): DemoProcessor {
  return new DemoProcessor(options)
}

function chargeOutcome(card: TestCard, ref: string, amountCents: number): ChargeResult {
  if (card.outcome === 'approved') return { status: 'succeeded', processorRef: ref, amountCents, cardBrand: card.brand, last4: card.last4 }
  const code = card.declineCode ?? 'card_declined'
  return { status: 'declined', code, messageCode: DECLINE_CODES[code], processorRef: ref }
}

function replay<T>(seen: KeyRecord<T>, fingerprint: string): T {
  if (seen.fingerprint !== fingerprint) {
    throw new ProcessorRefusal('processor.idempotencyMismatch', 'This idempotency key was used with other parameters')
  }
  return seen.result
}

function view(r: RefundRecord): RefundResult {
  return {
    status: r.status,
    processorRef: r.ref,
    amountCents: r.amountCents,
    ...(r.failureCode ? { failureCode: r.failureCode } : {}),
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24)
}

/** JSON with object keys sorted, so that the same parameters always give the same fingerprint. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
