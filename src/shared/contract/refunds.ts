import { z } from 'zod'
import { method } from './method'
import { AdjustmentCents, AmountCents, Cents, Id, Instant, IsoDate, ReceiptSeries } from './schemas'

/**
 * Refunds (per line, a whole order, in bulk for a cancelled date or item), failed refunds retried
 * or settled as a family credit, waivers and the assistance budget, family credits.
 *
 * A refund command writes pending refunds and returns at once; the core asks the processor
 * afterwards, one refund at a time, and `refunds.job` tells how far it got.
 */
const PRINCIPAL = ['principal', 'admin'] as const

const Reason = z.string().trim().min(1).max(500)

export const REFUND_JOB_KINDS = ['lines', 'order', 'program_date', 'offering', 'retry'] as const
export const REFUND_ITEM_STATES = ['queued', 'sent', 'waiting', 'succeeded', 'failed', 'retried', 'credited'] as const

export const JobProgress = z.object({
  total: z.number().int(),
  done: z.number().int(),
  succeeded: z.number().int(),
  /** Failed and not dealt with yet. */
  failed: z.number().int(),
  /** Failed, then retried or settled as a credit. */
  resolved: z.number().int(),
  pending: z.number().int(),
  totalCents: Cents,
  succeededCents: Cents,
  failedCents: Cents,
  finished: z.boolean(),
})
export type JobProgress = z.infer<typeof JobProgress>

export const RefundJob = z.object({
  id: Id,
  schoolId: Id,
  kind: z.enum(REFUND_JOB_KINDS),
  orderId: Id.nullable(),
  programDateId: Id.nullable(),
  offeringId: Id.nullable(),
  reason: z.string(),
  createdAt: Instant,
  createdBy: Id.nullable(),
  progress: JobProgress,
})
export type RefundJob = z.infer<typeof RefundJob>

export const RefundRow = z.object({
  refundId: Id,
  jobId: Id.nullable(),
  seq: z.number().int().nullable(),
  paymentId: Id,
  receiptNumber: z.number().int(),
  receiptSeries: ReceiptSeries,
  schoolId: Id,
  orderLineId: Id.nullable(),
  guardianId: Id,
  guardianName: z.string(),
  studentName: z.string().nullable(),
  titleFr: z.string().nullable(),
  titleEn: z.string().nullable(),
  date: IsoDate.nullable(),
  amountCents: Cents,
  state: z.enum(REFUND_ITEM_STATES),
  /** The processor's reason ('expired_or_canceled_card') or a refusal's code ('refund.paymentVoided'). */
  failureCode: z.string().nullable(),
  /** Succeeded first, failed later at the processor. */
  reversed: z.boolean(),
  requestedAt: Instant,
  settledAt: Instant.nullable(),
  reason: z.string(),
  processor: z.enum(['stripe', 'demo', 'board', 'credit']),
  /** 'credit': this part goes back to the family's credit (what it paid with credit), at once. */
  tender: z.enum(['card', 'credit']),
})
export type RefundRow = z.infer<typeof RefundRow>

const Requested = z.object({ jobId: Id, refundIds: z.array(Id), totalCents: Cents })

export const RefundableLine = z.object({
  orderLineId: Id,
  studentName: z.string(),
  titleFr: z.string(),
  titleEn: z.string().nullable(),
  date: IsoDate.nullable(),
  amountCents: Cents,
  refundedCents: Cents,
  creditedCents: Cents,
  refundableCents: Cents,
})

export const CreditEntry = z.object({
  id: Id,
  schoolId: Id,
  schoolName: z.string(),
  guardianId: Id,
  guardianName: z.string(),
  kind: z.enum(['granted', 'used']),
  amountCents: Cents,
  refundId: Id.nullable(),
  orderId: Id.nullable(),
  reason: z.string().nullable(),
  createdAt: Instant,
})

export const BudgetEntry = z.object({ id: Id, amountCents: Cents, reason: z.string(), createdBy: Id.nullable(), createdAt: Instant })
export const WaiverRow = z.object({
  id: Id,
  studentId: Id,
  studentName: z.string(),
  offeringId: Id,
  titleFr: z.string(),
  titleEn: z.string().nullable(),
  amountCents: Cents,
  reason: z.string(),
  createdAt: Instant,
})

export const refundMethods = {
  /** What is left to refund on each line of an order, from the ledger. */
  'refunds.refundable': method({
    kind: 'query',
    access: 'session',
    input: z.object({ orderId: Id }).strict(),
    output: z.object({ lines: z.array(RefundableLine), voided: z.boolean(), paid: z.boolean() }),
  }),
  /**
   * Refunds some lines, each in full (no amount) or in part. `expectedRemainingCents` is what the
   * form showed left on the line: if another refund came in between, CONFLICT.
   */
  'refunds.refundLines': method({
    kind: 'command',
    access: 'session',
    input: z
      .object({
        lines: z
          .array(
            z.object({ orderLineId: Id, amountCents: AmountCents.optional(), expectedRemainingCents: AmountCents.optional() }).strict(),
          )
          .min(1)
          .max(500),
        reason: Reason,
      })
      .strict(),
    output: Requested,
  }),
  /** Refunds all that is left on every line of an order. */
  'refunds.refundOrder': method({
    kind: 'command',
    access: 'session',
    input: z.object({ orderId: Id, reason: Reason }).strict(),
    output: Requested,
  }),
  /**
   * Refunds every paid line of a cancelled program date (a snow day) or a cancelled item (an
   * outing). A job already working on the same target is resumed rather than doubled.
   */
  'refunds.startBulk': method({
    kind: 'command',
    access: 'session',
    input: z
      .object({
        target: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('programDate'), programDateId: Id }).strict(),
          z.object({ kind: z.literal('offering'), offeringId: Id }).strict(),
        ]),
        reason: Reason,
      })
      .strict(),
    output: z.object({ jobId: Id, resumed: z.boolean(), total: z.number().int(), totalCents: Cents }),
  }),
  /** Starts the core on a job's pending refunds again (after a crash or a network outage). */
  'refunds.resume': method({
    kind: 'command',
    access: 'session',
    input: z.object({ jobId: Id }).strict(),
    output: z.object({ job: RefundJob }),
  }),
  /** A job and its progress (done / total / failed), with a page of its items. */
  'refunds.job': method({
    kind: 'query',
    access: 'session',
    input: z
      .object({ jobId: Id, offset: z.number().int().min(0).default(0), limit: z.number().int().min(0).max(500).default(100) })
      .strict(),
    output: z.object({ job: RefundJob, items: z.array(RefundRow) }),
  }),
  'refunds.jobs': method({
    kind: 'query',
    access: 'session',
    input: z.object({ schoolId: Id.optional(), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.object({ jobs: z.array(RefundJob) }),
  }),
  /** Failed refunds that nobody has retried or settled yet, newest first. */
  'refunds.failed': method({
    kind: 'query',
    access: 'session',
    input: z.object({ schoolId: Id.optional() }).strict(),
    output: z.object({ refunds: z.array(RefundRow) }),
  }),
  /** Asks the processor again for a failed refund: a new refund (new key), the old one resolved. */
  'refunds.retry': method({
    kind: 'command',
    access: 'session',
    input: z.object({ refundId: Id, reason: Reason }).strict(),
    output: z.object({ jobId: Id, refundId: Id }),
  }),
  /** Settles a failed refund as a credit for the family's later purchases at that school. */
  'refunds.settleAsCredit': method({
    kind: 'command',
    access: 'session',
    input: z.object({ refundId: Id, reason: Reason }).strict(),
    output: z.object({ creditId: Id, amountCents: Cents, balanceCents: Cents }),
  }),
  /** The school's threshold above which a refund needs the principal's role. */
  'refunds.settings': method({
    kind: 'query',
    access: 'session',
    input: z.object({ schoolId: Id }).strict(),
    output: z.object({ thresholdCents: Cents }),
  }),
  'refunds.setThreshold': method({
    kind: 'command',
    access: PRINCIPAL,
    input: z.object({ schoolId: Id, thresholdCents: AmountCents }).strict(),
    output: z.object({ thresholdCents: Cents }),
  }),
  /** The principal waives all (no amount) or part of a fee or an outing for one student. */
  'waivers.grant': method({
    kind: 'command',
    access: ['principal'],
    input: z.object({ studentId: Id, offeringId: Id, amountCents: AmountCents.optional(), reason: Reason }).strict(),
    output: z.object({ waiverId: Id, amountCents: Cents, remainingBudgetCents: Cents }),
  }),
  /** The school's assistance budget: given, waived, left, and the waivers with their reasons. */
  'waivers.budget': method({
    kind: 'query',
    access: PRINCIPAL,
    input: z.object({ schoolId: Id }).strict(),
    output: z.object({
      allocatedCents: Cents,
      waivedCents: Cents,
      remainingCents: Cents,
      entries: z.array(BudgetEntry),
      waivers: z.array(WaiverRow),
    }),
  }),
  /** Adds to the budget (or corrects it, with a negative amount), with a reason. */
  'waivers.addBudget': method({
    kind: 'command',
    access: PRINCIPAL,
    input: z
      .object({ schoolId: Id, amountCents: AdjustmentCents, reason: Reason })
      .strict(),
    output: z.object({ remainingCents: Cents }),
  }),
  /** A family's credits: balance per school and guardian, and every entry. */
  'credits.ofFamily': method({
    kind: 'query',
    access: 'session',
    input: z.object({ studentId: Id }).strict(),
    output: z.object({
      balances: z.array(z.object({ schoolId: Id, schoolName: z.string(), guardianId: Id, guardianName: z.string(), balanceCents: Cents })),
      entries: z.array(CreditEntry),
    }),
  }),
}
