import { sql, type Kysely } from 'kysely'
import type { Role } from '../../../shared/contract'
import { GuichetError, type KeyedIssue } from '../../../shared/errors'
import { formatMoney } from '../../../shared/format'
import type { Locale } from '../../../shared/i18n'
import type { DB, RefundJobKind, RefundTender } from '../../db/schema'
import { checkRefund, needsPrincipal } from '../../domain/money'
import { newId } from '../ids'
import { lineFacts, paymentFacts, type LineFacts, type PaymentFacts } from './ledger'
import type { ProcessorProvider } from './processors'

/** Who asks, and when: the refund rows name them. */
export interface Requester {
  staffId: string | null
  role: Role
  now: string
  locale: Locale
}

export interface RefundItemRequest {
  /** The line refunded; null only for the retry of a refund that named no line. */
  lineId: string | null
  /** Needed when lineId is null. */
  paymentId?: string
  /** Null: all that is left on the line. */
  amountCents: number | null
  /** What the caller saw left on the line: if the ledger says otherwise, someone else refunded it. */
  expectedRemainingCents?: number | undefined
}

export interface RefundJobRequest {
  kind: RefundJobKind
  reason: string
  orderId?: string
  programDateId?: string
  offeringId?: string
  items: readonly RefundItemRequest[]
  /** The issue path of item i, for the form ('lines.0.amountCents'). */
  pathOf?: (index: number) => string
  /** A retry was approved with the refund it retries: the threshold is not asked again. */
  approved?: boolean
  /** The school, when the job has no item yet (never written without items). */
  schoolId?: string
}

export interface RequestedRefund {
  refundId: string
  lineId: string | null
  paymentId: string
  amountCents: number
  /** A line paid partly with credit gives two refunds: the card's part and the credit's (0013). */
  tender: RefundTender
}

export interface RequestedJob {
  jobId: string
  schoolId: string
  refunds: RequestedRefund[]
  totalCents: number
}

/** The principal's authority, as the catalogue has it (cancelling paid items): principal or admin. */
export function hasPrincipalAuthority(role: Role): boolean {
  return role !== 'secretary'
}

export function idempotencyKeyOf(refundId: string): string {
  return `guichet-refund-${refundId}`
}

/**
 * Checks a refund request against the ledger and, when every item passes, writes the job, its
 * pending refunds (each with its idempotency key) and its items in the caller's transaction. The
 * processor is asked later, by the runner, once this has committed. Refusals change nothing:
 * - a line or payment that does not exist: NOT_FOUND;
 * - what the caller saw left has changed (another staff member refunded it): CONFLICT;
 * - an unpaid line, a voided payment, a zero or negative amount, more than what is left (on the
 *   line and on its payment, counting the request's own earlier items): REFUND_REFUSED, with one
 *   issue per item and the rule's code;
 * - above the school's threshold (per payment, the request's sum) without the principal's role:
 *   REFUND_NEEDS_PRINCIPAL;
 * - no processor for the payment (Stripe payment, no key): PROCESSOR_UNAVAILABLE.
 */
export async function requestRefunds(db: Kysely<DB>, who: Requester, request: RefundJobRequest, processors: ProcessorProvider): Promise<RequestedJob> {
  const pathOf = request.pathOf ?? ((i: number) => `lines.${i}.amountCents`)
  const lines = await lineFacts(
    db,
    request.items.flatMap((i) => (i.lineId ? [i.lineId] : [])),
  )
  for (const item of request.items) {
    if (item.lineId && !lines.has(item.lineId)) throw new GuichetError('NOT_FOUND', { what: 'orderLine' })
  }
  const paymentIds = request.items.map((i) => (i.lineId ? lines.get(i.lineId)!.paymentId : (i.paymentId ?? null))).filter((p): p is string => p !== null)
  const payments = await paymentFacts(db, paymentIds)
  for (const item of request.items) {
    if (!item.lineId && (!item.paymentId || !payments.has(item.paymentId))) throw new GuichetError('NOT_FOUND', { what: 'payment' })
  }

  // Each item is checked against the ledger as it stands, the request's own earlier items
  // written in it already (pending refunds count): what is left is line_refundable's and the
  // payment's facts, never a sum kept here. A refusal rolls the savepoint back: nothing stays.
  await sql`SAVEPOINT refund_request`.execute(db)
  try {
    const job = await writeItems(db, who, request, processors, { lines, payments, pathOf })
    await sql`RELEASE refund_request`.execute(db)
    return job
  } catch (error) {
    await sql`ROLLBACK TO refund_request`.execute(db)
    await sql`RELEASE refund_request`.execute(db)
    throw error
  }
}

async function writeItems(
  db: Kysely<DB>,
  who: Requester,
  request: RefundJobRequest,
  processors: ProcessorProvider,
  known: { lines: Map<string, LineFacts>; payments: Map<string, PaymentFacts>; pathOf: (index: number) => string },
): Promise<RequestedJob> {
  const issues: KeyedIssue[] = []
  const touchedLines = new Set<string>()
  const touchedPayments = new Set<string>()
  const perPayment = new Map<string, number>()
  const cardProcessors = new Set<Exclude<PaymentFacts['processor'], 'credit'>>()
  const refunds: RequestedRefund[] = []
  const jobId = newId()
  let schoolId: string | undefined = request.schoolId
  let jobWritten = false

  for (const [index, item] of request.items.entries()) {
    const path = known.pathOf(index)
    // Read again from the ledger what this request has refunded already.
    const line = item.lineId ? (touchedLines.has(item.lineId) ? (await lineFacts(db, [item.lineId])).get(item.lineId)! : known.lines.get(item.lineId)!) : null
    const paymentId = line ? line.paymentId : item.paymentId!
    const payment = paymentId ? (touchedPayments.has(paymentId) ? (await paymentFacts(db, [paymentId])).get(paymentId) : known.payments.get(paymentId)) : undefined
    const itemSchool = line?.schoolId ?? payment?.schoolId
    if (schoolId && itemSchool && itemSchool !== schoolId) {
      issues.push({ path, key: 'refund.otherSchool' })
      continue
    }
    schoolId ??= itemSchool
    if (!payment) {
      issues.push({ path, key: 'refund.notPaid' })
      continue
    }
    // Left on a line: its own remainder, and never more than what is left on its payment.
    const lineLeft = line ? line.refundableCents : Number.MAX_SAFE_INTEGER
    const remainingCents = Math.min(lineLeft, payment.refundableCents)
    if (item.expectedRemainingCents !== undefined && line && item.expectedRemainingCents !== lineLeft) {
      throw new GuichetError('CONFLICT')
    }
    const amountCents = item.amountCents ?? remainingCents
    const check = checkRefund({ amountCents, remainingCents, paymentVoided: payment.voided })
    if (!check.ok) {
      // "All that is left" of nothing is more than what is left, not a zero amount.
      const code = item.amountCents === null && check.code === 'refund.amountNotPositive' ? 'refund.exceedsRemaining' : check.code
      issues.push({ path, key: code, values: code === 'refund.exceedsRemaining' ? { remainingCents, remaining: formatMoney(remainingCents, who.locale) } : (check.values ?? {}) })
      continue
    }
    if (issues.length > 0) continue // refused already: the rest is only checked
    if (!jobWritten) {
      await db
        .insertInto('refund_jobs')
        .values({
          id: jobId,
          school_id: schoolId!,
          kind: request.kind,
          order_id: request.orderId ?? null,
          program_date_id: request.programDateId ?? null,
          offering_id: request.offeringId ?? null,
          reason: request.reason,
          created_by: who.staffId,
          created_at: who.now,
        })
        .execute()
      jobWritten = true
    }
    // Back the way the money came: the card's part first (the family's own money goes back to its
    // card), what the family paid with credit back to its credit.
    const card = Math.min(amountCents, payment.cardRefundableCents)
    const parts = [
      ...(card > 0 ? [{ amountCents: card, tender: 'card' as const }] : []),
      ...(amountCents - card > 0 ? [{ amountCents: amountCents - card, tender: 'credit' as const }] : []),
    ]
    for (const part of parts) {
      const r: RequestedRefund = { refundId: newId(), lineId: line?.lineId ?? null, paymentId: payment.paymentId, ...part }
      await db
        .insertInto('refunds')
        .values({
          id: r.refundId,
          payment_id: r.paymentId,
          order_line_id: r.lineId,
          amount_cents: r.amountCents,
          reason: request.reason,
          status: 'pending' as const,
          idempotency_key: idempotencyKeyOf(r.refundId),
          tender: r.tender,
          requested_by: who.staffId,
          requested_at: who.now,
        })
        .execute()
      refunds.push(r)
      await db.insertInto('refund_job_items').values({ job_id: jobId, seq: refunds.length, refund_id: r.refundId }).execute()
    }
    if (card > 0 && payment.processor !== 'credit') cardProcessors.add(payment.processor)
    if (line) touchedLines.add(line.lineId)
    touchedPayments.add(payment.paymentId)
    perPayment.set(payment.paymentId, (perPayment.get(payment.paymentId) ?? 0) + amountCents)
  }
  if (issues.length > 0) throw new GuichetError('REFUND_REFUSED', { count: issues.length }, issues)
  if (refunds.length === 0 || !schoolId) throw new GuichetError('REFUND_NOTHING_LEFT')

  if (!request.approved && !hasPrincipalAuthority(who.role)) {
    const school = await db.selectFrom('schools').select('refund_approval_threshold_cents as threshold').where('id', '=', schoolId).executeTakeFirstOrThrow()
    const largest = Math.max(...perPayment.values())
    if (needsPrincipal(largest, school.threshold)) {
      throw new GuichetError('REFUND_NEEDS_PRINCIPAL', { amount: formatMoney(largest, who.locale), threshold: formatMoney(school.threshold, who.locale) })
    }
  }
  for (const processor of cardProcessors) {
    if (!processors.forPayment(processor)) throw new GuichetError('PROCESSOR_UNAVAILABLE')
  }
  return { jobId, schoolId, refunds, totalCents: refunds.reduce((s, r) => s + r.amountCents, 0) }
}
