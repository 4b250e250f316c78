import { sql, type Kysely } from 'kysely'
import type { ReceiptSeries } from '../../../shared/format'
import type { DB, PaymentsTable, RefundJobKind, RefundTender } from '../../db/schema'

/**
 * What staff read about refund work: a job's progress and items, the jobs of a school, the failed
 * refunds waiting for someone. Every state is derived from the ledger (refund_states, events,
 * resolutions), never stored.
 */
export type ItemState = 'queued' | 'sent' | 'waiting' | 'succeeded' | 'failed' | 'retried' | 'credited'

export interface JobProgress {
  total: number
  /** Settled one way or the other (succeeded, failed, or failed and then dealt with). */
  done: number
  succeeded: number
  /** Failed and not dealt with yet (retry or credit). */
  failed: number
  resolved: number
  pending: number
  totalCents: number
  succeededCents: number
  failedCents: number
  finished: boolean
}

export interface JobView {
  id: string
  schoolId: string
  kind: RefundJobKind
  orderId: string | null
  programDateId: string | null
  offeringId: string | null
  reason: string
  createdAt: string
  createdBy: string | null
  progress: JobProgress
}

export async function jobProgress(db: Kysely<DB>, jobIds: readonly string[]): Promise<Map<string, JobProgress>> {
  const out = new Map<string, JobProgress>()
  if (jobIds.length === 0) return out
  const rows = await db
    .selectFrom('refund_job_items as i')
    .innerJoin('refund_states as s', 's.id', 'i.refund_id')
    .leftJoin('refund_resolutions as z', 'z.refund_id', 's.id')
    .select('i.job_id')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      sql<number>`sum(s.status = 'succeeded')`.as('succeeded'),
      sql<number>`sum(s.status = 'failed' AND z.refund_id IS NULL)`.as('failed'),
      sql<number>`sum(s.status = 'failed' AND z.refund_id IS NOT NULL)`.as('resolved'),
      sql<number>`sum(s.status = 'pending')`.as('pending'),
      sql<number>`sum(s.amount_cents)`.as('total_cents'),
      sql<number>`coalesce(sum(CASE WHEN s.status = 'succeeded' THEN s.amount_cents END), 0)`.as('succeeded_cents'),
      sql<number>`coalesce(sum(CASE WHEN s.status = 'failed' THEN s.amount_cents END), 0)`.as('failed_cents'),
    ])
    .where('i.job_id', 'in', [...jobIds])
    .groupBy('i.job_id')
    .execute()
  for (const r of rows) {
    const pending = Number(r.pending)
    const total = Number(r.total)
    out.set(r.job_id, {
      total,
      done: total - pending,
      succeeded: Number(r.succeeded),
      failed: Number(r.failed),
      resolved: Number(r.resolved),
      pending,
      totalCents: Number(r.total_cents),
      succeededCents: Number(r.succeeded_cents),
      failedCents: Number(r.failed_cents),
      finished: pending === 0,
    })
  }
  return out
}

const EMPTY: JobProgress = { total: 0, done: 0, succeeded: 0, failed: 0, resolved: 0, pending: 0, totalCents: 0, succeededCents: 0, failedCents: 0, finished: true }

export async function jobs(db: Kysely<DB>, filter: { jobId?: string; schoolId?: string; limit?: number }): Promise<JobView[]> {
  let q = db.selectFrom('refund_jobs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc')
  if (filter.jobId) q = q.where('id', '=', filter.jobId)
  if (filter.schoolId) q = q.where('school_id', '=', filter.schoolId)
  const rows = await q.limit(filter.limit ?? 50).execute()
  const progress = await jobProgress(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({
    id: r.id,
    schoolId: r.school_id,
    kind: r.kind,
    orderId: r.order_id,
    programDateId: r.program_date_id,
    offeringId: r.offering_id,
    reason: r.reason,
    createdAt: r.created_at,
    createdBy: r.created_by,
    progress: progress.get(r.id) ?? EMPTY,
  }))
}

/** A job still working on this target (a cancelled date or item), if there is one. */
export async function runningJobFor(db: Kysely<DB>, target: { programDateId?: string; offeringId?: string }): Promise<string | undefined> {
  let q = db
    .selectFrom('refund_jobs as j')
    .select('j.id')
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('refund_job_items as i').innerJoin('refunds as r', 'r.id', 'i.refund_id').select('i.seq').whereRef('i.job_id', '=', 'j.id').where('r.status', '=', 'pending')),
    )
  if (target.programDateId) q = q.where('j.kind', '=', 'program_date').where('j.program_date_id', '=', target.programDateId)
  else q = q.where('j.kind', '=', 'offering').where('j.offering_id', '=', target.offeringId ?? '')
  return (await q.orderBy('j.created_at').executeTakeFirst())?.id
}

export interface RefundRowView {
  refundId: string
  jobId: string | null
  seq: number | null
  paymentId: string
  receiptNumber: number
  receiptSeries: ReceiptSeries
  schoolId: string
  orderLineId: string | null
  guardianId: string
  guardianName: string
  studentName: string | null
  titleFr: string | null
  titleEn: string | null
  date: string | null
  amountCents: number
  state: ItemState
  failureCode: string | null
  reversed: boolean
  requestedAt: string
  settledAt: string | null
  reason: string
  processor: PaymentsTable['processor']
  tender: RefundTender
}

function refundRows(db: Kysely<DB>) {
  return db
    .selectFrom('refund_states as s')
    .innerJoin('refunds as rf', 'rf.id', 's.id')
    .innerJoin('payments as p', 'p.id', 's.payment_id')
    .innerJoin('orders as o', 'o.id', 'p.order_id')
    .innerJoin('guardians as g', 'g.id', 'o.guardian_id')
    .leftJoin('order_lines as l', 'l.id', 's.order_line_id')
    .leftJoin('students as st', 'st.id', 'l.student_id')
    .leftJoin('offerings as f', 'f.id', 'l.offering_id')
    .leftJoin('program_dates as d', 'd.id', 'l.program_date_id')
    .leftJoin('refund_job_items as i', 'i.refund_id', 's.id')
    .leftJoin('refund_resolutions as z', 'z.refund_id', 's.id')
    .select([
      's.id',
      'i.job_id',
      'i.seq',
      's.payment_id',
      'p.receipt_number',
      'p.receipt_series',
      'p.school_id',
      'p.processor',
      'rf.tender',
      's.order_line_id',
      'o.guardian_id',
      'g.first_name as g_first',
      'g.last_name as g_last',
      'st.first_name as s_first',
      'st.last_name as s_last',
      'f.title_fr',
      'f.title_en',
      'd.date',
      's.amount_cents',
      's.status',
      's.failure_code',
      's.reversed',
      's.requested_at',
      's.settled_at',
      's.reason',
      's.processor_ref',
      'z.kind as resolution',
    ])
    .select(sql<number>`EXISTS (SELECT 1 FROM refund_events e WHERE e.refund_id = s.id AND e.kind = 'sent')`.as('sent'))
}

type RefundRow = Awaited<ReturnType<ReturnType<typeof refundRows>['execute']>>[number]

function stateOf(r: RefundRow): ItemState {
  if (r.status === 'succeeded') return 'succeeded'
  if (r.status === 'failed') return r.resolution ?? 'failed'
  if (r.processor_ref) return 'waiting'
  return Number(r.sent) ? 'sent' : 'queued'
}

function view(r: RefundRow): RefundRowView {
  return {
    refundId: r.id,
    jobId: r.job_id,
    seq: r.seq,
    paymentId: r.payment_id,
    receiptNumber: r.receipt_number,
    receiptSeries: r.receipt_series,
    schoolId: r.school_id,
    orderLineId: r.order_line_id,
    guardianId: r.guardian_id,
    guardianName: `${r.g_first} ${r.g_last}`,
    studentName: r.s_first ? `${r.s_first} ${r.s_last}` : null,
    titleFr: r.title_fr,
    titleEn: r.title_en,
    date: r.date,
    amountCents: r.amount_cents,
    state: stateOf(r),
    failureCode: r.failure_code,
    reversed: r.reversed === 1,
    requestedAt: r.requested_at,
    settledAt: r.settled_at,
    reason: r.reason,
    processor: r.processor,
    tender: r.tender,
  }
}

export async function jobItems(db: Kysely<DB>, jobId: string, page: { offset: number; limit: number }): Promise<RefundRowView[]> {
  const rows = await refundRows(db).where('i.job_id', '=', jobId).orderBy('i.seq').limit(page.limit).offset(page.offset).execute()
  return rows.map(view)
}

/**
 * Failed refunds nobody has dealt with yet (retried or credited), newest first. A refund of a
 * voided payment is not one of them: nothing was taken, so there is nothing to give back.
 */
export async function failedRefunds(db: Kysely<DB>, filter: { schoolId?: string; limit?: number }): Promise<RefundRowView[]> {
  let q = refundRows(db)
    .where('s.status', '=', 'failed')
    .where('z.refund_id', 'is', null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('payment_voids as v').select('v.payment_id').whereRef('v.payment_id', '=', 's.payment_id'))))
  if (filter.schoolId) q = q.where('p.school_id', '=', filter.schoolId)
  const rows = await q
    .orderBy('s.settled_at', 'desc')
    .limit(filter.limit ?? 200)
    .execute()
  return rows.map(view)
}
