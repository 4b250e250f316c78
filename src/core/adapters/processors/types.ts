/**
 * The card processor seen by the rest of Guichet: one interface, two implementations
 * (`stripe.ts` through the stripe SDK, `demo.ts` with no network at all).
 *
 * Money is integer cents, CAD. A processor never decides whether a refund is allowed by the
 * school's rules (that is `src/core/domain/money`); it only refuses what the processor itself
 * refuses, and it never does anything twice for one idempotency key.
 *
 * The retry policy, made explicit:
 * - The caller makes the idempotency key and writes it (with `requestedAt`, the time of the first
 *   try) before the first call, and sends the SAME key and the SAME parameters on every retry.
 * - A `TransientProcessorError` means "try again later with the same key"; `outcomeUnknown` says
 *   whether the processor may nevertheless have done it (timeout, dropped connection, 5xx). Such a
 *   refund is neither failed nor succeeded: it stays pending locally until a retry answers.
 * - A `ProcessorRefusal` is final for these parameters: retrying it changes nothing.
 * - Stripe forgets idempotency keys after 24 hours. `refund()` therefore looks the refund up by
 *   `metadata.refundId` (`findRefund`) before creating anything once `requestedAt` is older than
 *   `LOOKUP_FIRST_AFTER_MS`; the adapter never retries a refund blindly after that.
 * - The adapters never loop on their own; `retry.ts` holds the one loop, with backoff.
 */

export type ProcessorKind = 'stripe' | 'demo'

/** Brand and funding as the receipt shows them ("Carte VISA se terminant par 4242"). */
export const CARD_BRANDS = ['visa', 'visa_debit', 'visa_prepaid', 'mastercard', 'mastercard_debit', 'mastercard_prepaid', 'other'] as const
export type CardBrand = (typeof CARD_BRANDS)[number]

export type ChargeMethod =
  /** A test card number (spaces allowed): the demo processor, or Stripe in test mode. */
  | { kind: 'test_card'; card: string }
  /** A Stripe Terminal reader in the server-driven flow (the kiosk, issue 7). */
  | { kind: 'terminal'; readerId: string }

export interface ChargeRequest {
  amountCents: number
  currency: 'cad'
  idempotencyKey: string
  description: string
  /** Ids only (orderId, paymentId, schoolId): never names, never card data. */
  metadata: Record<string, string>
  method: ChargeMethod
}

/** Why a card was not charged. `messageCode` is the catalogue key the UI shows. */
export const DECLINE_CODES = {
  card_declined: 'charge.declined',
  insufficient_funds: 'charge.insufficientFunds',
  expired_card: 'charge.expiredCard',
  incorrect_cvc: 'charge.incorrectCvc',
  processing_error: 'charge.processingError',
  lost_or_stolen: 'charge.lostOrStolen',
  authentication_required: 'charge.authenticationRequired',
  /** The customer (or the office) cancelled on the reader. */
  canceled: 'charge.canceled',
  /** Nobody presented a card before the reader's time ran out. */
  timed_out: 'charge.timedOut',
} as const
export type DeclineCode = keyof typeof DECLINE_CODES
export type DeclineMessageCode = (typeof DECLINE_CODES)[DeclineCode]

export type ChargeResult =
  | { status: 'succeeded'; processorRef: string; amountCents: number; cardBrand: CardBrand; last4: string }
  | { status: 'declined'; code: DeclineCode; messageCode: DeclineMessageCode; processorRef?: string }

export interface RefundRequest {
  /** The processorRef of the payment (a PaymentIntent id, or 'demo_pi_…'). */
  paymentRef: string
  amountCents: number
  idempotencyKey: string
  /** `refundId` is Guichet's refund id: what `findRefund` looks for. Ids only. */
  metadata: { refundId: string } & Record<string, string>
  /** When the first try was made (ISO instant or Date), stored with the key. */
  requestedAt: string | Date
}

export type RefundStatus = 'pending' | 'succeeded' | 'failed'

export interface RefundResult {
  status: RefundStatus
  processorRef: string
  amountCents: number
  /** Only when failed: 'expired_or_canceled_card', 'lost_or_stolen_card', 'declined', 'canceled', 'unknown', … */
  failureCode?: string
}

export interface CardProcessor {
  readonly kind: ProcessorKind
  readonly isDemo: boolean
  charge(request: ChargeRequest): Promise<ChargeResult>
  /** Creates the refund once per idempotency key and refundId (see the policy above). */
  refund(request: RefundRequest): Promise<RefundResult>
  /** The refund as the processor has it now: follow a pending refund until it is final. */
  refundStatus(processorRef: string): Promise<RefundResult>
  /** The refund made for this refundId on this payment, or null if there is none. */
  findRefund(refundId: string, paymentRef: string): Promise<RefundResult | null>
  /**
   * The payouts to the school's bank account whose arrival date is in `range`, each with the
   * balance lines it pays out (the reconciliation's processor side). Optional: a processor that
   * cannot tell has none, and the reconciliation says so.
   */
  payouts?(range: PayoutRange): Promise<Payout[]>
}

// ---------------------------------------------------------------------------------------------
// Payouts

/** Arrival dates, 'YYYY-MM-DD', both included. */
export interface PayoutRange {
  from: string
  to: string
}

/**
 * What one balance line of a payout is. `charge`: a payment taken; `refund`: money sent back;
 * `refund_failure`: a refund that failed, its money back in the balance; `fee`: a fee charged on
 * its own (a charge's own fee is in its `feeCents`); `adjustment`: a dispute or a correction by
 * the processor; `other`: anything else.
 */
export const PAYOUT_ITEM_KINDS = ['charge', 'refund', 'refund_failure', 'fee', 'adjustment', 'other'] as const
export type PayoutItemKind = (typeof PAYOUT_ITEM_KINDS)[number]

export interface PayoutItem {
  balanceTransactionId: string
  kind: PayoutItemKind
  /** The payment (PaymentIntent id, 'demo_pi_…') of a charge, of a refunded or disputed payment; null when none is named. */
  paymentRef: string | null
  /** The refund ('re_…', 'demo_re_…') of a refund or a refund's failure. */
  refundRef: string | null
  /** Signed, as the balance moved: a charge +, a refund −, a refund's failure +, a fee −. */
  grossCents: number
  /** What the processor kept on this line (a charge's fee), ≥ 0. */
  feeCents: number
  /** grossCents − feeCents: what this line adds to the payout. */
  netCents: number
  /** When the line reached the balance (ISO instant). */
  createdAt: string
}

export type PayoutStatus = 'paid' | 'pending' | 'in_transit' | 'canceled' | 'failed'

export interface Payout {
  id: string
  /** The day the money is expected in the bank, 'YYYY-MM-DD'. */
  arrivalDate: string
  /** Net deposited (negative when the processor debits the account). */
  amountCents: number
  status: PayoutStatus
  /** The balance lines paid out, the payout's own line excluded: their net sums to the amount. */
  items: PayoutItem[]
}

/** The fees a line stands for: a charge's fee, or the whole of a fee line. */
export function feesOf(item: PayoutItem): number {
  return item.kind === 'fee' ? -item.netCents : item.feeCents
}

/** Stripe may prune an idempotency key once it is 24 hours old, never before. */
export const IDEMPOTENCY_KEY_WINDOW_MS = 24 * 60 * 60 * 1000
/** From this age on, `refund()` looks the refund up before creating one (an hour of margin for clocks). */
export const LOOKUP_FIRST_AFTER_MS = 23 * 60 * 60 * 1000

/** Shown wherever the demo processor is in use (kiosk, receipts, settings). */
export const DEMO_NOTICE = { fr: 'Démo — aucun paiement réel', en: 'Demo — no real payment' } as const
/** The catalogue key for the same notice. */
export const DEMO_NOTICE_KEY = 'processor.demoNotice'

// ---------------------------------------------------------------------------------------------
// Errors

export type TransientReason = 'timeout' | 'network' | 'server' | 'rate_limited' | 'conflict'

export abstract class ProcessorError extends Error {
  abstract readonly transient: boolean
  /** The processor's own error code when it gave one ('amount_too_large', 'resource_missing', …). */
  readonly processorCode: string | undefined
  readonly statusCode: number | undefined
  readonly requestId: string | undefined

  constructor(message: string, details: { processorCode?: string; statusCode?: number; requestId?: string } = {}) {
    super(message)
    this.name = new.target.name
    this.processorCode = details.processorCode
    this.statusCode = details.statusCode
    this.requestId = details.requestId
  }
}

/** Try again later with the same idempotency key and parameters. */
export class TransientProcessorError extends ProcessorError {
  readonly transient = true
  readonly reason: TransientReason
  /** True when the processor may have done it anyway (the answer was lost, or it failed mid-way). */
  readonly outcomeUnknown: boolean
  /** From a Retry-After header, when the processor sent one. */
  readonly retryAfterMs: number | undefined

  constructor(
    reason: TransientReason,
    message: string,
    details: { outcomeUnknown?: boolean; retryAfterMs?: number; processorCode?: string; statusCode?: number; requestId?: string } = {},
  ) {
    super(message, details)
    this.reason = reason
    this.outcomeUnknown = details.outcomeUnknown ?? reason !== 'rate_limited'
    this.retryAfterMs = details.retryAfterMs
  }
}

/**
 * Every final refusal a processor gives, with what `values` holds. The UI's catalogues hold the
 * sentences; the lead maps these keys.
 */
export const REFUSAL_CODES = [
  'charge.amountNotPositive', // the amount is zero, negative or not whole cents
  'charge.amountTooSmall', // {minimumCents}: below the processor's minimum (Stripe: 50 ¢ in CAD)
  'refund.amountNotPositive', // the amount is zero, negative or not whole cents
  'refund.exceedsRemaining', // {remainingCents?}: more than what is left on the payment
  'refund.paymentVoided', // the payment was cancelled before it was captured: nothing to refund
  'processor.notFound', // the payment or refund does not exist at the processor
  'processor.idempotencyMismatch', // the key was used before with other parameters (a bug: never a new key for a retry)
  'processor.notAuthorized', // the API key is wrong, revoked or lacks the permission
  'processor.testCardInLiveMode', // a test card sent to a live Stripe key
  'processor.unknownTestCard', // a card number that is not in DEMO_CARDS
  'processor.invalidRequest', // anything else the processor refuses ({processorCode} on the error)
  'terminal.readerOffline', // the kiosk's reader is not connected
  'terminal.readerBusy', // the reader is already taking another payment
] as const
export type RefusalCode = (typeof REFUSAL_CODES)[number]

/** Final: the processor will refuse these parameters again. */
export class ProcessorRefusal extends ProcessorError {
  readonly transient = false
  readonly code: RefusalCode
  readonly values: Record<string, number> | undefined

  constructor(
    code: RefusalCode,
    message: string,
    details: { values?: Record<string, number>; processorCode?: string; statusCode?: number; requestId?: string } = {},
  ) {
    super(message, details)
    this.code = code
    this.values = details.values
  }
}

export function isTransient(error: unknown): error is TransientProcessorError {
  return error instanceof TransientProcessorError
}

/** Epoch milliseconds of a request's first try. */
export function requestedAtMs(requestedAt: string | Date): number {
  const ms = requestedAt instanceof Date ? requestedAt.getTime() : Date.parse(requestedAt)
  if (Number.isNaN(ms)) throw new RangeError('requestedAt is not a valid instant')
  return ms
}

/** True once Stripe may have forgotten the key: look the refund up before creating one. */
export function mustLookUpFirst(requestedAt: string | Date, nowMs: number): boolean {
  return nowMs - requestedAtMs(requestedAt) >= LOOKUP_FIRST_AFTER_MS
}

export function isWholePositiveCents(amountCents: number): boolean {
  return Number.isSafeInteger(amountCents) && amountCents > 0
}
