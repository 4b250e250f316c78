import type { Kysely } from 'kysely'
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

  const issues: KeyedIssue[] = []
  const usedOnLine = new Map<string, number>()
  const usedOnPayment = new Map<string, number>()
  const planned: Array<{ line: LineFacts | null; payment: PaymentFacts; amountCents: number }> = []
  let schoolId: string | undefined = request.schoolId

  request.items.forEach((item, index) => {
    const path = pathOf(index)
    const line = item.lineId ? lines.get(item.lineId)! : null
    const paymentId = line ? line.paymentId : item.paymentId!
    const payment = paymentId ? payments.get(paymentId) : undefined
    const itemSchool = line?.schoolId ?? payment?.schoolId
    if (schoolId && itemSchool && itemSchool !== schoolId) {
      issues.push({ path, key: 'refund.otherSchool' })
      return
    }
    schoolId ??= itemSchool
    if (!payment) {
      issues.push({ path, key: 'refund.notPaid' })
      return
    }
    const lineLeft = line ? Math.max(0, line.refundableCents - (usedOnLine.get(line.lineId) ?? 0)) : Number.MAX_SAFE_INTEGER
    const paymentLeft = Math.max(0, payment.refundableCents - (usedOnPayment.get(payment.paymentId) ?? 0))
    const remainingCents = Math.min(lineLeft, paymentLeft)
    if (item.expectedRemainingCents !== undefined && line && item.expectedRemainingCents !== lineLeft) {
      throw new GuichetError('CONFLICT')
    }
    const amountCents = item.amountCents ?? remainingCents
    const check = checkRefund({ amountCents, remainingCents, paymentVoided: payment.voided })
    if (!check.ok) {
      // "All that is left" of nothing is more than what is left, not a zero amount.
      const code = item.amountCents === null && check.code === 'refund.amountNotPositive' ? 'refund.exceedsRemaining' : check.code
      issues.push({ path, key: code, values: code === 'refund.exceedsRemaining' ? { remainingCents, remaining: formatMoney(remainingCents, who.locale) } : (check.values ?? {}) })
      return
    }
    if (line) usedOnLine.set(line.lineId, (usedOnLine.get(line.lineId) ?? 0) + amountCents)
    usedOnPayment.set(payment.paymentId, (usedOnPayment.get(payment.paymentId) ?? 0) + amountCents)
    planned.push({ line, payment, amountCents })
  })
  if (issues.length > 0) throw new GuichetError('REFUND_REFUSED', { count: issues.length }, issues)
  if (planned.length === 0 || !schoolId) throw new GuichetError('REFUND_NOTHING_LEFT')

  if (!request.approved && !hasPrincipalAuthority(who.role)) {
    const school = await db.selectFrom('schools').select('refund_approval_threshold_cents as threshold').where('id', '=', schoolId).executeTakeFirstOrThrow()
    const largest = Math.max(...usedOnPayment.values())
    if (needsPrincipal(largest, school.threshold)) {
      throw new GuichetError('REFUND_NEEDS_PRINCIPAL', { amount: formatMoney(largest, who.locale), threshold: formatMoney(school.threshold, who.locale) })
    }
  }
  // Back the way the money came: the card's part first (the family's own money goes back to its
  // card), what the family paid with credit back to its credit.
  const cardUsed = new Map<string, number>()
  const tendered = planned.flatMap((p) => {
    const cardLeft = Math.max(0, p.payment.cardRefundableCents - (cardUsed.get(p.payment.paymentId) ?? 0))
    const card = Math.min(p.amountCents, cardLeft)
    cardUsed.set(p.payment.paymentId, (cardUsed.get(p.payment.paymentId) ?? 0) + card)
    return [
      ...(card > 0 ? [{ ...p, amountCents: card, tender: 'card' as const }] : []),
      ...(p.amountCents - card > 0 ? [{ ...p, amountCents: p.amountCents - card, tender: 'credit' as const }] : []),
    ]
  })
  for (const p of new Set(tendered.flatMap((x) => (x.tender === 'card' && x.payment.processor !== 'credit' ? [x.payment.processor] : [])))) {
    if (!processors.forPayment(p)) throw new GuichetError('PROCESSOR_UNAVAILABLE')
  }

  const jobId = newId()
  await db
    .insertInto('refund_jobs')
    .values({
      id: jobId,
      school_id: schoolId,
      kind: request.kind,
      order_id: request.orderId ?? null,
      program_date_id: request.programDateId ?? null,
      offering_id: request.offeringId ?? null,
      reason: request.reason,
      created_by: who.staffId,
      created_at: who.now,
    })
    .execute()
  const refunds: RequestedRefund[] = tendered.map((p) => ({ refundId: newId(), lineId: p.line?.lineId ?? null, paymentId: p.payment.paymentId, amountCents: p.amountCents, tender: p.tender }))
  for (let i = 0; i < refunds.length; i += 200) {
    const chunk = refunds.slice(i, i + 200)
    await db
      .insertInto('refunds')
      .values(
        chunk.map((r) => ({
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
        })),
      )
      .execute()
    await db
      .insertInto('refund_job_items')
      .values(chunk.map((r, j) => ({ job_id: jobId, seq: i + j + 1, refund_id: r.refundId })))
      .execute()
  }
  return { jobId, schoolId, refunds, totalCents: refunds.reduce((s, r) => s + r.amountCents, 0) }
}
