import { z } from 'zod'
import { method } from './method'
import { DocumentFile } from './reports'
import { Cents, Id, Instant, IsoDate, ReceiptSeries } from './schemas'

/**
 * The reconciliation of the card processor's payouts against the ledger (issue 8): each payout
 * of the period with the balance lines it paid out, matched to the ledger's payments and refunds,
 * and every difference, each pointing at what it is about.
 */

/** Days a processor may take to pay a payment out before the reconciliation calls it missing. */
export const SETTLEMENT_DELAY_DAYS = 7
/** The longest period reconciled at once (the processor is asked for every payout in it). */
export const RECONCILIATION_MAX_DAYS = 400

/**
 * - chargeNotInLedger: the processor paid out a charge that no payment of the ledger is.
 * - paymentNotPaidOut: a ledger payment of the period that no payout holds, older than the delay.
 * - amountDiffers: a charge or a refund whose amount is not the ledger's.
 * - refundNotInLedger: the processor made a refund (or its failure) that the ledger does not have.
 * - refundNotAtProcessor: a refund succeeded in the ledger, older than the delay, that no payout holds.
 * - refundFailedAtProcessor: the refund failed at the processor (its money came back); the ledger says succeeded.
 * - refundFailedInLedger: the ledger says the refund failed; the processor sent it and never took it back.
 * - voidedPaymentPaidOut: a payment voided in the ledger that the processor paid out all the same.
 * - adjustment: money the processor moved that no payment explains (a dispute, a correction).
 */
export const DIFFERENCE_KINDS = [
  'chargeNotInLedger',
  'paymentNotPaidOut',
  'amountDiffers',
  'refundNotInLedger',
  'refundNotAtProcessor',
  'refundFailedAtProcessor',
  'refundFailedInLedger',
  'voidedPaymentPaidOut',
  'adjustment',
] as const
export const DifferenceKind = z.enum(DIFFERENCE_KINDS)
export type DifferenceKind = z.infer<typeof DifferenceKind>

/** The ledger payment a line or a difference is about: what staff look up (receipt, family). */
export const LedgerPaymentRef = z.object({
  paymentId: Id,
  receiptNumber: z.number().int(),
  receiptSeries: ReceiptSeries,
  schoolId: Id,
  schoolName: z.string(),
  guardianId: Id.nullable(),
  familyName: z.string(),
  createdAt: Instant,
  amountCents: Cents,
  channel: z.enum(['online', 'kiosk']),
})
export type LedgerPaymentRef = z.infer<typeof LedgerPaymentRef>

export const ReconciliationDifference = z.object({
  kind: DifferenceKind,
  /** The payout the line is in; null for what the ledger has and no payout does. */
  payoutId: z.string().nullable(),
  arrivalDate: IsoDate.nullable(),
  balanceTransactionId: z.string().nullable(),
  /** The processor's references (PaymentIntent, refund). */
  paymentRef: z.string().nullable(),
  refundRef: z.string().nullable(),
  /** What the processor moved (signed, as the balance moved), and what the ledger says; null when one side has nothing. */
  processorCents: Cents.nullable(),
  ledgerCents: Cents.nullable(),
  payment: LedgerPaymentRef.nullable(),
  refundId: Id.nullable(),
  /** When it happened: the balance line's time, or the ledger's. */
  at: Instant,
})
export type ReconciliationDifference = z.infer<typeof ReconciliationDifference>

export const PayoutStatus = z.enum(['paid', 'pending', 'in_transit', 'canceled', 'failed'])

export const ReconciledPayout = z.object({
  id: z.string(),
  arrivalDate: IsoDate,
  status: PayoutStatus,
  /** False for a failed or cancelled payout: its money never arrived, its lines are not counted. */
  counted: z.boolean(),
  amountCents: Cents,
  chargesCents: Cents,
  /** Refunds sent, less refunds that failed and came back. */
  refundsCents: Cents,
  feesCents: Cents,
  adjustmentsCents: Cents,
  itemCount: z.number().int(),
  matchedCount: z.number().int(),
  differenceCount: z.number().int(),
})
export type ReconciledPayout = z.infer<typeof ReconciledPayout>

const Totals = z.object({
  /** Deposited by the payouts of the period (counted ones). */
  payoutsCents: Cents,
  /** The ledger's amounts for the charges and refunds those payouts hold. */
  ledgerPaymentsCents: Cents,
  ledgerRefundsCents: Cents,
  /** The processor's fees, totalled apart: never a difference. */
  feesCents: Cents,
  adjustmentsCents: Cents,
  /** ledgerPayments − ledgerRefunds − fees: what the payouts should be by the ledger. */
  expectedCents: Cents,
  /** payouts − expected: what the differences account for (0 when the period is clean). */
  unexplainedCents: Cents,
  matchedCount: z.number().int(),
  differenceCount: z.number().int(),
})

export const Reconciliation = z.object({
  from: IsoDate,
  to: IsoDate,
  processor: z.enum(['stripe', 'demo']),
  /** The demo processor: "Démo — aucun paiement réel". */
  demo: z.boolean(),
  settlementDelayDays: z.number().int(),
  /** When the processor was asked. */
  fetchedAt: Instant,
  payouts: z.array(ReconciledPayout),
  differences: z.array(ReconciliationDifference),
  /** Payments of the period paid out to the board (online): listed apart, never differences. */
  board: z.object({ count: z.number().int(), paidCents: Cents, refundedCents: Cents }),
  /** Payments of the period taken by another processor than the one reconciled (the demo's, under Stripe). */
  otherProcessor: z.object({ count: z.number().int(), paidCents: Cents }),
  /** Payments of the period not paid out yet, still within the processor's delay. */
  inTransit: z.object({ count: z.number().int(), cents: Cents, refundCount: z.number().int(), refundCents: Cents }),
  totals: Totals,
})
export type Reconciliation = z.infer<typeof Reconciliation>

const Period = {
  schoolId: Id.optional(),
  from: IsoDate,
  to: IsoDate,
}
const ReconciliationInput = z
  .object({ ...Period, fetchId: Id.optional() })
  .strict()
  .refine((i) => i.from <= i.to, { path: ['to'], message: 'validation.periodReversed' })
  .refine((i) => Date.parse(i.to) - Date.parse(i.from) <= RECONCILIATION_MAX_DAYS * 86_400_000, { path: ['to'], message: 'reconciliation.periodTooLong' })

/**
 * The processor is never asked inside a call's transaction (the core has one SQLite connection):
 * a call without `fetchId` starts asking it for the period's payouts once the call has
 * committed and answers `fetching`; the caller then calls again with the `fetchId` until the
 * answer is `ready` (the reconciliation, made in that call's transaction) or `failed`.
 */
export const ReconciliationResult = z.discriminatedUnion('state', [
  z.object({ state: z.literal('fetching'), fetchId: Id }),
  z.object({ state: z.literal('failed'), fetchId: Id, message: z.string() }),
  z.object({ state: z.literal('ready'), fetchId: Id, report: Reconciliation }),
])
export type ReconciliationResult = z.infer<typeof ReconciliationResult>

const ReconciliationFileInput = z.object({ schoolId: Id.optional(), fetchId: Id }).strict()

const MONEY_ROLES = ['principal', 'admin', 'secretary'] as const

export const reconciliationMethods = {
  'reports.reconciliation': method({ kind: 'query', access: MONEY_ROLES, input: ReconciliationInput, output: ReconciliationResult }),
  /** The workbook of a fetch that is ready: every payout line, the differences, the board's payments. */
  'reports.reconciliationFile': method({ kind: 'query', access: MONEY_ROLES, input: ReconciliationFileInput, output: DocumentFile }),
}
