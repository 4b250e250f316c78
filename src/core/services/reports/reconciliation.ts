import { sql, type Kysely } from 'kysely'
import {
  SETTLEMENT_DELAY_DAYS,
  type DifferenceKind,
  type LedgerPaymentRef,
  type ReconciledPayout,
  type Reconciliation,
  type ReconciliationDifference,
} from '../../../shared/contract/reconciliation'
import { feesOf, type Payout, type PayoutItem, type PayoutRange } from '../../adapters/processors/types'
import type { DB, PaymentsTable } from '../../db/schema'
import { addDays, localDateOf, startOfLocalDay } from '../../domain/catalogue/dates'

/**
 * The reconciliation of the card processor's payouts against the ledger (DOMAIN.md, "Reports":
 * "money … matched against the processor's payouts").
 *
 * Which processor: the school's account, Stripe when a key is configured, the demo otherwise. Its
 * payouts are the account's: a payout is shown whole even when a school is chosen; the school
 * filters the ledger's side (payments not paid out, refunds missing, the board's payments).
 *
 * The processor's side is the payouts arriving in the period, and, to clear the ledger's
 * payments of the period's last days, those arriving up to SETTLEMENT_DELAY_DAYS after it
 * (`payoutRangeFor`). Every line of a payout of the period is matched to the ledger by the
 * processor's references (a charge's PaymentIntent is `payments.processor_ref`; a refund's id is
 * `refunds.processor_ref`), among the payments the same processor took:
 *
 * - a charge: its payment, same amount → matched; no payment → chargeNotInLedger; another
 *   amount → amountDiffers; a voided payment → voidedPaymentPaidOut;
 * - a refund: its refund, same amount → matched (pending or failed in the ledger too: it was sent);
 *   none → refundNotInLedger; another amount → amountDiffers; failed in the ledger (before the
 *   period's end and longer ago than the delay) with no failure line anywhere in the payouts
 *   fetched → refundFailedInLedger;
 * - a refund's failure: the refund failed in the ledger (or is still pending) → matched; succeeded
 *   in the ledger → refundFailedAtProcessor; unknown → refundNotInLedger;
 * - a fee: totalled with the charges' fees, never a difference;
 * - an adjustment or anything else → adjustment.
 *
 * The ledger's side, for the period (school dates, America/Toronto): a payment of this processor
 * (not voided) that no payout fetched holds is paymentNotPaidOut once older than the delay, in
 * transit before; a succeeded refund asked in the period likewise refundNotAtProcessor. Payments of processor
 * 'board' were paid out to the board: counted apart. A failed or cancelled payout is listed, not
 * counted: its money did not arrive, and its lines come back in a later payout.
 *
 * For a clean period: payouts = ledger payments − ledger refunds − fees, to the cent. A manual
 * payout comes with no lines (Stripe cannot tell what it paid out): its amount stays unexplained.
 */

const TZ = 'America/Toronto'
const DAY_MS = 86_400_000
/** SQLite takes at most 32,766 parameters; a few hundred per query is plenty. */
const CHUNK = 500

export type ReconciledProcessor = Reconciliation['processor']
export type LineMatch = 'matched' | 'difference' | 'fee'

/** A payout line with what the reconciliation made of it (the workbook lists them all). */
export interface ReconciledLine extends PayoutItem {
  payoutId: string
  arrivalDate: string
  match: LineMatch
  payment: LedgerPaymentRef | null
  refundId: string | null
  /** What the ledger says this line should move (signed like the line); null when it has nothing. */
  ledgerCents: number | null
}

export interface ReconciliationDetail extends Reconciliation {
  lines: ReconciledLine[]
  boardPayments: LedgerPaymentRef[]
}

export interface ReconcileOptions {
  schoolId?: string | undefined
  from: string
  to: string
  /** The instant of the call: what is older than the delay is missing, not late. */
  now: string
  processor: ReconciledProcessor
  demo: boolean
  fetchedAt: string
  /** Every payout of `payoutRangeFor(from, to)`. */
  payouts: Payout[]
}

/** The payouts to ask the processor for: arriving in the period, or within the delay after it. */
export function payoutRangeFor(from: string, to: string): PayoutRange {
  return { from, to: addDays(to, SETTLEMENT_DELAY_DAYS) }
}

export function isCounted(payout: Payout): boolean {
  return payout.status !== 'failed' && payout.status !== 'canceled'
}

interface LedgerPaymentRow extends LedgerPaymentRef {
  processor: 'stripe' | 'demo' | 'board'
  processorRef: string
  voided: boolean
}

interface LedgerRefundRow {
  id: string
  ref: string | null
  amountCents: number
  status: 'pending' | 'succeeded' | 'failed'
  /** When it became what it is (settled, failed), or when it was asked. */
  at: string
  requestedAt: string
  payment: LedgerPaymentRow
}

export async function reconcile(db: Kysely<DB>, options: ReconcileOptions): Promise<ReconciliationDetail> {
  const { from, to, processor } = options
  const delayMs = SETTLEMENT_DELAY_DAYS * DAY_MS
  const nowMs = Date.parse(options.now)
  const olderThanDelay = (at: string) => Date.parse(at) <= nowMs - delayMs

  const fetched = options.payouts.filter(isCounted)
  const shown = options.payouts.filter((p) => p.arrivalDate >= from && p.arrivalDate <= to).sort((a, b) => a.arrivalDate.localeCompare(b.arrivalDate) || a.id.localeCompare(b.id))

  // What the processor holds, across every payout fetched.
  const charged = new Set<string>()
  const refunded = new Set<string>()
  const failed = new Set<string>()
  for (const item of fetched.flatMap((p) => p.items)) {
    if (item.kind === 'charge' && item.paymentRef) charged.add(item.paymentRef)
    if (item.kind === 'refund' && item.refundRef) refunded.add(item.refundRef)
    if (item.kind === 'refund_failure' && item.refundRef) failed.add(item.refundRef)
  }
  const shownItems = shown.filter(isCounted).flatMap((p) => p.items)
  const paymentsByRef = await paymentsByProcessorRef(db, processor, unique(shownItems.map((i) => i.paymentRef)))
  const refundsByRef = await refundsByProcessorRef(db, processor, unique(shownItems.map((i) => i.refundRef)))

  const differences: ReconciliationDifference[] = []
  const lines: ReconciledLine[] = []
  const rows: ReconciledPayout[] = []
  let ledgerPaymentsCents = 0
  let ledgerRefundsCents = 0

  for (const payout of shown) {
    const counted = isCounted(payout)
    const row: ReconciledPayout = {
      id: payout.id,
      arrivalDate: payout.arrivalDate,
      status: payout.status,
      counted,
      amountCents: payout.amountCents,
      chargesCents: 0,
      refundsCents: 0,
      feesCents: 0,
      adjustmentsCents: 0,
      itemCount: payout.items.length,
      matchedCount: 0,
      differenceCount: 0,
    }
    rows.push(row)
    if (!counted) continue
    for (const item of payout.items) {
      const payment = item.paymentRef ? (paymentsByRef.get(item.paymentRef) ?? null) : null
      const refund = item.refundRef ? (refundsByRef.get(item.refundRef) ?? null) : null
      // Set by the cases below (an object, so that the closure's writes are seen).
      const line: { match: LineMatch; ledgerCents: number | null } = { match: 'matched', ledgerCents: null }
      const differ = (kind: DifferenceKind, ledger: number | null, pointer: LedgerPaymentRow | null = refund?.payment ?? payment) => {
        line.match = 'difference'
        differences.push({
          kind,
          payoutId: payout.id,
          arrivalDate: payout.arrivalDate,
          balanceTransactionId: item.balanceTransactionId,
          paymentRef: item.paymentRef,
          refundRef: item.refundRef,
          processorCents: item.kind === 'fee' || item.kind === 'adjustment' || item.kind === 'other' ? item.netCents : item.grossCents,
          ledgerCents: ledger,
          payment: pointer ? pointerOf(pointer) : null,
          refundId: refund?.id ?? null,
          at: item.createdAt,
        })
      }

      switch (item.kind) {
        case 'charge':
          row.chargesCents += item.grossCents
          if (!payment) differ('chargeNotInLedger', null)
          else if (payment.voided) {
            line.ledgerCents = 0
            differ('voidedPaymentPaidOut', 0)
          } else {
            line.ledgerCents = payment.amountCents
            if (payment.amountCents !== item.grossCents) differ('amountDiffers', payment.amountCents)
          }
          break
        case 'refund':
          row.refundsCents -= item.grossCents
          if (!refund) differ('refundNotInLedger', null)
          else {
            line.ledgerCents = -refund.amountCents
            if (refund.amountCents !== -item.grossCents) differ('amountDiffers', -refund.amountCents)
            else if (refund.status === 'failed' && !failed.has(refund.ref!) && localDateOf(refund.at, TZ) <= to && olderThanDelay(refund.at)) {
              differ('refundFailedInLedger', -refund.amountCents)
            }
          }
          break
        case 'refund_failure':
          row.refundsCents -= item.grossCents
          if (!refund) differ('refundNotInLedger', null)
          else if (refund.status === 'succeeded') {
            line.ledgerCents = 0
            differ('refundFailedAtProcessor', 0)
          } else line.ledgerCents = refund.amountCents
          break
        case 'fee':
          line.match = 'fee'
          break
        default:
          row.adjustmentsCents += item.netCents
          differ('adjustment', null)
      }
      const { match, ledgerCents } = line
      row.feesCents += feesOf(item)
      if (item.kind === 'charge' && ledgerCents !== null) ledgerPaymentsCents += ledgerCents
      if ((item.kind === 'refund' || item.kind === 'refund_failure') && ledgerCents !== null) ledgerRefundsCents -= ledgerCents
      if (match === 'matched') row.matchedCount += 1
      if (match === 'difference') row.differenceCount += 1
      const pointer = refund?.payment ?? payment
      lines.push({ ...item, payoutId: payout.id, arrivalDate: payout.arrivalDate, match, payment: pointer ? pointerOf(pointer) : null, refundId: refund?.id ?? null, ledgerCents })
    }
  }

  // The ledger's side: the period's payments and refunds.
  const start = startOfLocalDay(from, TZ)
  const end = startOfLocalDay(addDays(to, 1), TZ)
  const board = { count: 0, paidCents: 0, refundedCents: 0 }
  const otherProcessor = { count: 0, paidCents: 0 }
  const inTransit = { count: 0, cents: 0, refundCount: 0, refundCents: 0 }
  const boardPayments: LedgerPaymentRef[] = []
  const periodPayments = await ledgerPayments(db, (q) =>
    q.where('p.created_at', '>=', start).where('p.created_at', '<', end).$if(options.schoolId !== undefined, (w) => w.where('p.school_id', '=', options.schoolId!)),
  )
  for (const p of periodPayments) {
    if (p.processor === 'board') {
      board.count += 1
      board.paidCents += p.amountCents
      boardPayments.push(pointerOf(p))
    } else if (p.processor !== processor) {
      otherProcessor.count += 1
      otherProcessor.paidCents += p.amountCents
    } else if (p.voided || charged.has(p.processorRef)) {
      continue
    } else if (olderThanDelay(p.createdAt)) {
      differences.push(ledgerDifference('paymentNotPaidOut', p, p.amountCents, null, p.createdAt))
    } else {
      inTransit.count += 1
      inTransit.cents += p.amountCents
    }
  }
  // By the day it was asked: the processor's line is made when it is sent, never before.
  const periodRefunds = await ledgerRefunds(db, (q) =>
    q
      .where('r.requested_at', '>=', start)
      .where('r.requested_at', '<', end)
      .$if(options.schoolId !== undefined, (w) => w.where('p.school_id', '=', options.schoolId!)),
  )
  for (const r of periodRefunds) {
    if (r.status !== 'succeeded') continue
    if (r.payment.processor === 'board') board.refundedCents += r.amountCents
    if (r.payment.processor !== processor) continue
    if (r.ref && refunded.has(r.ref)) continue
    if (olderThanDelay(r.requestedAt)) differences.push(ledgerDifference('refundNotAtProcessor', r.payment, -r.amountCents, r.id, r.requestedAt, r.ref))
    else {
      inTransit.refundCount += 1
      inTransit.refundCents += r.amountCents
    }
  }

  differences.sort((a, b) => (a.arrivalDate ?? '9999').localeCompare(b.arrivalDate ?? '9999') || a.at.localeCompare(b.at) || a.kind.localeCompare(b.kind))
  const counted = rows.filter((r) => r.counted)
  const payoutsCents = sum(counted.map((r) => r.amountCents))
  const feesCents = sum(counted.map((r) => r.feesCents))
  const expectedCents = ledgerPaymentsCents - ledgerRefundsCents - feesCents
  return {
    from,
    to,
    processor,
    demo: options.demo,
    settlementDelayDays: SETTLEMENT_DELAY_DAYS,
    fetchedAt: options.fetchedAt,
    payouts: rows,
    differences,
    board,
    otherProcessor,
    inTransit,
    totals: {
      payoutsCents,
      ledgerPaymentsCents,
      ledgerRefundsCents,
      feesCents,
      adjustmentsCents: sum(counted.map((r) => r.adjustmentsCents)),
      expectedCents,
      unexplainedCents: payoutsCents - expectedCents,
      matchedCount: sum(counted.map((r) => r.matchedCount)),
      differenceCount: differences.length,
    },
    lines,
    boardPayments,
  }
}

function ledgerDifference(kind: DifferenceKind, p: LedgerPaymentRow, ledgerCents: number, refundId: string | null, at: string, refundRef: string | null = null): ReconciliationDifference {
  return {
    kind,
    payoutId: null,
    arrivalDate: null,
    balanceTransactionId: null,
    paymentRef: p.processorRef,
    refundRef,
    processorCents: null,
    ledgerCents,
    payment: pointerOf(p),
    refundId,
    at,
  }
}

function pointerOf(p: LedgerPaymentRow): LedgerPaymentRef {
  return {
    paymentId: p.paymentId,
    receiptNumber: p.receiptNumber,
    receiptSeries: p.receiptSeries,
    schoolId: p.schoolId,
    schoolName: p.schoolName,
    guardianId: p.guardianId,
    familyName: p.familyName,
    createdAt: p.createdAt,
    amountCents: p.amountCents,
    channel: p.channel,
  }
}

// ---------------------------------------------------------------------------------------------
// The ledger

type PaymentQuery = ReturnType<typeof paymentQuery>
type ReconciledPaymentProcessor = Exclude<PaymentsTable['processor'], 'credit'>

/** A payment as both the payment and the refund rows need it: who, which receipt, voided or not. */
const PAYMENT_COLUMNS = [
  'p.id',
  'p.processor',
  'p.processor_ref',
  'p.receipt_number',
  'p.receipt_series',
  'p.school_id',
  'sc.name as school_name',
  'o.guardian_id',
  'g.first_name',
  'g.last_name',
  'p.created_at',
  'p.amount_cents',
  'p.credit_cents',
  'p.channel',
  'v.payment_id as voided',
] as const

/** Card money only: a payment wholly made with the family's credit never reached a processor. */
function paymentQuery(db: Kysely<DB>) {
  return db
    .selectFrom('payments as p')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .innerJoin('schools as sc', 'sc.id', 'p.school_id')
    .leftJoin('guardians as g', 'g.id', 'o.guardian_id')
    .leftJoin('payment_voids as v', 'v.payment_id', 'p.id')
    .where('p.processor', '!=', 'credit')
    .select(PAYMENT_COLUMNS)
}

type PaymentSqlRow = Awaited<ReturnType<PaymentQuery['execute']>>[number]

function paymentRow(r: PaymentSqlRow): LedgerPaymentRow {
  return {
    paymentId: r.id,
    processor: r.processor as ReconciledPaymentProcessor,
    processorRef: r.processor_ref,
    receiptNumber: r.receipt_number,
    receiptSeries: r.receipt_series,
    schoolId: r.school_id,
    schoolName: r.school_name,
    guardianId: r.guardian_id,
    familyName: [r.first_name, r.last_name].filter(Boolean).join(' '),
    createdAt: r.created_at,
    // What the card was charged: the part paid with credit never went through the processor.
    amountCents: r.amount_cents - r.credit_cents,
    channel: r.channel,
    voided: r.voided !== null,
  }
}

async function ledgerPayments(db: Kysely<DB>, where: (q: PaymentQuery) => PaymentQuery): Promise<LedgerPaymentRow[]> {
  const rows = await where(paymentQuery(db)).orderBy('p.created_at').orderBy('p.id').execute()
  return rows.map(paymentRow)
}

async function paymentsByProcessorRef(db: Kysely<DB>, processor: ReconciledProcessor, refs: string[]): Promise<Map<string, LedgerPaymentRow>> {
  const out = new Map<string, LedgerPaymentRow>()
  for (const chunk of chunks(refs)) {
    for (const p of await ledgerPayments(db, (q) => q.where('p.processor', '=', processor).where('p.processor_ref', 'in', chunk))) out.set(p.processorRef, p)
  }
  return out
}

function refundQuery(db: Kysely<DB>) {
  return db
    .selectFrom('refund_states as r')
    .innerJoin('refunds as rt', 'rt.id', 'r.id')
    .innerJoin('payments as p', 'p.id', 'r.payment_id')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .innerJoin('schools as sc', 'sc.id', 'p.school_id')
    .leftJoin('guardians as g', 'g.id', 'o.guardian_id')
    .leftJoin('payment_voids as v', 'v.payment_id', 'p.id')
    // A refund to the family's credit never goes through a processor.
    .where('rt.tender', '=', 'card')
    .select([
      'r.id as refund_id',
      'r.processor_ref as refund_ref',
      'r.amount_cents as refund_cents',
      'r.status as refund_status',
      sql<string>`coalesce(r.settled_at, r.requested_at)`.as('refund_at'),
      'r.requested_at as refund_requested_at',
      ...PAYMENT_COLUMNS,
    ])
}
type RefundQuery = ReturnType<typeof refundQuery>

async function ledgerRefunds(db: Kysely<DB>, where: (q: RefundQuery) => RefundQuery): Promise<LedgerRefundRow[]> {
  const rows = await where(refundQuery(db)).orderBy('refund_at').orderBy('r.id').execute()
  return rows.map((r) => ({ id: r.refund_id, ref: r.refund_ref, amountCents: r.refund_cents, status: r.refund_status, at: r.refund_at, requestedAt: r.refund_requested_at, payment: paymentRow(r) }))
}

async function refundsByProcessorRef(db: Kysely<DB>, processor: ReconciledProcessor, refs: string[]): Promise<Map<string, LedgerRefundRow>> {
  const out = new Map<string, LedgerRefundRow>()
  for (const chunk of chunks(refs)) {
    for (const r of await ledgerRefunds(db, (q) => q.where('p.processor', '=', processor).where('r.processor_ref', 'in', chunk))) out.set(r.ref!, r)
  }
  return out
}

function unique(values: Array<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))]
}

function chunks<T>(values: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK))
  return out
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0)
}
