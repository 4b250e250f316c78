import { createHash } from 'node:crypto'
import { DEMO_CARDS, findTestCard, normalizeCardNumber, type TestCard } from './test-cards'
import {
  DECLINE_CODES,
  DEMO_NOTICE,
  isWholePositiveCents,
  ProcessorRefusal,
  type CardProcessor,
  type ChargeRequest,
  type ChargeResult,
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
 */

/** Synchronous (better-sqlite3) or asynchronous; values are JSON strings. */
export interface DemoStore {
  get(key: string): string | undefined | Promise<string | undefined>
  set(key: string, value: string): void | Promise<void>
}

export function memoryDemoStore(initial: Record<string, string> = {}): DemoStore & { dump(): Record<string, string> } {
  const data = new Map(Object.entries(initial))
  return {
    get: (key) => data.get(key),
    set: (key, value) => void data.set(key, value),
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
interface PaymentRecord {
  ref: string
  amountCents: number
  card: string
  refunds: string[]
}
interface RefundRecord {
  ref: string
  paymentRef: string
  refundId: string
  amountCents: number
  status: RefundResult['status']
  failureCode?: string
  createdAt: string
}

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
        await this.write<PaymentRecord>(`payment:${ref}`, { ref, amountCents: request.amountCents, card: card.number, refunds: [] })
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

  /** A pending refund of a card whose refunds fail later fails when it is next looked at. */
  private async settle(record: RefundRecord): Promise<RefundRecord> {
    if (record.status !== 'pending') return record
    const payment = await this.read<PaymentRecord>(`payment:${record.paymentRef}`)
    const failsLater = payment ? findTestCard(payment.card)?.refundsFailLater === true : false
    const settled: RefundRecord = failsLater
      ? { ...record, status: 'failed', failureCode: 'expired_or_canceled_card' }
      : { ...record, status: 'succeeded' }
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
